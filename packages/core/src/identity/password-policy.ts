import type { FieldProblem } from '../problems';

/**
 * The password policy: long (12+ characters; length beats composition rules, as NIST SP 800-63B
 * says), not the email or name it protects, and not one of the passwords everybody tries first.
 */
const COMMON = new Set(['password1234', '123456789012', 'qwertyuiopas', 'motdepasse12', 'azertyuiopqs', 'passwordpassword', 'changemechangeme', 'welcome12345', 'letmein12345', 'correcthorsebatterystaple', 'administrator']);

export function passwordProblems(password: string, context: { email?: string; name?: string }, field = 'password'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const lower = password.toLowerCase();
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) problems.push({ field, code: 'contains_email', message: 'must not contain your email address' });
  const name = context.name?.toLowerCase().replace(/\s+/g, '');
  if (name && name.length >= 4 && lower.replace(/\s+/g, '').includes(name)) problems.push({ field, code: 'contains_name', message: 'must not contain your name' });
  if (COMMON.has(lower.replace(/\s+/g, '')) || /^(.)\1+$/.test(password)) problems.push({ field, code: 'too_common', message: 'is too easy to guess' });
  return problems;
}
