import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** A random secret as URL-safe text (the session cookie, an API key, a CSRF token). */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/** Tokens are long and random: a plain SHA-256 is enough to store them without keeping them. */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Passwords are short and guessable: argon2id, whose cost is the point. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

export function generatePassword(): string {
  return randomToken(15);
}
