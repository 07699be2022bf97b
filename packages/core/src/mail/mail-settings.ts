import { z } from 'zod';

/** A workspace's SMTP server; without one, the server's default (RAPPORT_SMTP_URL) is used. */
export const smtpSettingsSchema = z.strictObject({
  host: z.string().trim().min(1, 'is required').max(255),
  port: z.number().int().min(1).max(65535),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  user: z.string().max(255).optional(),
  /** Write-only: answers say whether one is set, never what it is. */
  password: z.string().max(500).optional(),
  from: z.string().trim().min(3).max(320).describe('The sender, e.g. "Acme CRM <crm@acme.example>"'),
});
export type SmtpSettings = z.infer<typeof smtpSettingsSchema>;

/** How the core reaches SMTP when a workspace has no settings of its own. */
export interface MailDefaults {
  /** smtp://user:pass@host:port or smtps://… */
  smtpUrl?: string;
  from?: string;
}

export function presentSmtpSettings(settings: SmtpSettings | undefined) {
  if (!settings) return null;
  const { password, ...rest } = settings;
  return { ...rest, passwordSet: Boolean(password) };
}
