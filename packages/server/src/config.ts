import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], { message: 'must be true or false' })
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

/** Every setting comes from the environment (docs/configuration.md lists them). */
export const configSchema = z.object({
  PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  RAPPORT_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  RAPPORT_PUBLIC_URL: z.url({ message: 'must be a URL such as https://crm.example.com' }).optional(),
  RAPPORT_ADMIN_EMAIL: z.email({ message: 'must be an email address' }).optional(),
  RAPPORT_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  RAPPORT_DEMO_DATA: flag.default(true),
  RAPPORT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RAPPORT_BODY_LIMIT: z.coerce.number({ message: 'must be a number of bytes' }).int().min(1024).default(10 * 1024 * 1024),
  RAPPORT_UPLOAD_LIMIT: z.coerce.number({ message: 'must be a number of bytes' }).int().min(1024).default(1024 * 1024 * 1024),
  RAPPORT_DISPATCHER: flag.default(true),
  RAPPORT_DISPATCH_LEASE_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(100).default(30_000),
  RAPPORT_WEB_ROOT: z.string().optional(),
  RAPPORT_TRUST_PROXY: z.coerce.number({ message: 'must be the number of reverse proxies in front of the server' }).int().min(0).max(10).default(0),
  RAPPORT_SECRET_KEY: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)').optional(),
  RAPPORT_SMTP_URL: z.url({ message: 'must be a URL such as smtp://user:password@mail.example.com:587' }).optional(),
  RAPPORT_MAIL_FROM: z.string().min(3).optional(),
  RAPPORT_OIDC_ISSUER: z.url({ message: 'must be the URL of an OpenID Connect provider' }).optional(),
  RAPPORT_OIDC_CLIENT_ID: z.string().min(1).optional(),
  RAPPORT_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  RAPPORT_OIDC_DEFAULT_ROLE: z.string().min(1).default('read_only'),
  RAPPORT_PLUGINS: z.string().default(''),
  RAPPORT_PLUGIN_FETCH_PRIVATE_HOSTS: z.string().default(''),
  RAPPORT_WEBHOOK_PRIVATE_HOSTS: z.string().default(''),
});

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  publicUrl?: string;
  adminEmail?: string;
  adminPassword?: string;
  demoData: boolean;
  logLevel: string;
  bodyLimitBytes: number;
  uploadLimitBytes: number;
  dispatcher: boolean;
  /** How long a server keeps an event it claimed before another may retry it (after a crash). */
  dispatchLeaseMs: number;
  webRoot?: string;
  /** Reverse proxies in front of the server whose X-Forwarded-For is believed. */
  trustedProxies: number;
  /** Encrypts the secrets kept in the database; else a key file in the data folder. */
  secretKey?: string;
  smtpUrl?: string;
  mailFrom?: string;
  oidc?: OidcConfig;
  /** npm package names of the plugins this server offers (RAPPORT_PLUGINS, comma-separated). */
  plugins: string[];
  /** Hosts plugins' `ctx.fetch` may reach inside the server's network (an internal service), comma-separated. */
  pluginFetchPrivateHosts: string[];
  /** Hosts webhooks may be sent to although they resolve inside the server's network, comma-separated. */
  webhookPrivateHosts: string[];
}

/** Single sign-on with an OpenID Connect provider (Keycloak, Entra ID, Google Workspace, Authentik…). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** The role of a user who signs in for the first time (just-in-time membership). */
  defaultRole: string;
}

const DEFAULT_WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../apps/web/dist');

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0])} ${issue.message}`);
  }
  const c = result.data;
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: path.resolve(c.RAPPORT_DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    publicUrl: c.RAPPORT_PUBLIC_URL,
    adminEmail: c.RAPPORT_ADMIN_EMAIL,
    adminPassword: c.RAPPORT_ADMIN_PASSWORD,
    demoData: c.RAPPORT_DEMO_DATA,
    logLevel: c.RAPPORT_LOG_LEVEL,
    bodyLimitBytes: c.RAPPORT_BODY_LIMIT,
    uploadLimitBytes: c.RAPPORT_UPLOAD_LIMIT,
    dispatcher: c.RAPPORT_DISPATCHER,
    dispatchLeaseMs: c.RAPPORT_DISPATCH_LEASE_MS,
    // The shell `pnpm build` makes, in this repository; elsewhere, wherever RAPPORT_WEB_ROOT says.
    webRoot: c.RAPPORT_WEB_ROOT ?? DEFAULT_WEB_ROOT,
    secretKey: c.RAPPORT_SECRET_KEY,
    trustedProxies: c.RAPPORT_TRUST_PROXY,
    plugins: c.RAPPORT_PLUGINS.split(',').map((name) => name.trim()).filter(Boolean),
    webhookPrivateHosts: c.RAPPORT_WEBHOOK_PRIVATE_HOSTS.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean),
    pluginFetchPrivateHosts: c.RAPPORT_PLUGIN_FETCH_PRIVATE_HOSTS.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean),
    smtpUrl: c.RAPPORT_SMTP_URL,
    mailFrom: c.RAPPORT_MAIL_FROM,
    oidc:
      c.RAPPORT_OIDC_ISSUER && c.RAPPORT_OIDC_CLIENT_ID
        ? { issuer: c.RAPPORT_OIDC_ISSUER, clientId: c.RAPPORT_OIDC_CLIENT_ID, clientSecret: c.RAPPORT_OIDC_CLIENT_SECRET, defaultRole: c.RAPPORT_OIDC_DEFAULT_ROLE }
        : undefined,
  };
}
