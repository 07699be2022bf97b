import type { Actor, Core } from '@rapport/core';
import type { Logger } from 'pino';
import type { WebhookService } from './webhooks/webhook-service';
import type { PluginHost } from './plugins/plugin-host';
import type { JobRunner } from '@rapport/jobs';

export interface AuthInfo {
  actor: Actor;
  via: 'session' | 'apiKey';
  /** For sessions: the token to compare with the X-CSRF-Token header on unsafe requests. */
  csrfToken?: string;
}

export interface AppEnv {
  Variables: {
    auth: AuthInfo;
    requestId: string;
    log: Logger;
    /** The client's address: the socket's, or with trusted proxies the one they forwarded. */
    clientIp?: string;
  };
}

export interface AppDeps {
  core: Core;
  log: Logger;
  /** Public base URL (https makes cookies Secure). */
  publicUrl?: string;
  bodyLimitBytes: number;
  /** The body limit of plugins' upload routes (files to import…); the API's limit when absent. */
  uploadLimitBytes?: number;
  /** Folder of the built web shell, served at `/`, when there is one. */
  webRoot?: string;
  /** The plugins this server runs (their routes, under /api/v1/plugins/<id>/). */
  plugins?: PluginHost;
  /** Background jobs (the jobs admin routes). */
  jobs?: JobRunner;
  /** Reverse proxies in front of the server whose X-Forwarded-For is believed (RAPPORT_TRUST_PROXY); 0 by default. */
  trustedProxies?: number;
  /** Webhooks (started by the caller: it owns their delivery loop); routes only when absent. */
  webhooks?: WebhookService;
}
