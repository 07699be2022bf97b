/*
 * Tables other packages may use directly: identity and metadata, never record tables
 * (those go through the data-access layer).
 */
export { apiKey, appUser, session, workspaceMember } from './identity';
export { auditEntry } from './audit';
export { outboxDelivery, outboxEvent } from './outbox';
export { workspace } from './workspace';
export { idempotencyKey } from './idempotency';
export { pluginSecret, pluginState } from './plugins';
export { webhook, webhookDelivery } from './webhooks';
