import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const PREFIX = 'v1:';

/**
 * Secrets the server must read back (TOTP seeds, SMTP passwords) are kept encrypted at rest with
 * AES-256-GCM under the server's key: a copy of the database alone does not give them away.
 * Values written before encryption existed (no `v1:` prefix) are read as they are, and encrypted at
 * their next write.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer | string) {
    // Any text becomes 32 bytes; a 32-byte key is used as it is.
    this.key = typeof key === 'string' ? crypto.createHash('sha256').update(key).digest() : key.length === 32 ? key : crypto.createHash('sha256').update(key).digest();
  }

  /** A key for this process only (tests, a throw-away core): what it seals does not outlive it. */
  static ephemeral(): SecretBox {
    return new SecretBox(crypto.randomBytes(32));
  }

  seal(plain: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('a stored secret cannot be decrypted with this server key: is RAPPORT_SECRET_KEY the one it was written with?');
    }
  }
}

/**
 * The server key: RAPPORT_SECRET_KEY when set (every server of one database needs the same), else a
 * key file made once in the data folder (`secret.key`, readable by its owner only).
 */
export function loadSecretBox(options: { secretKey?: string; dataDir: string }): SecretBox {
  if (options.secretKey) return new SecretBox(options.secretKey);
  const file = path.join(options.dataDir, 'secret.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return new SecretBox(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64'));
}
