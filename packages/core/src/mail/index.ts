export * from './mail-outbox';
export * from './mail-sender';
export * from './mail-settings';
export * from './templates';
