import { ProblemError } from '../problems';
import type { Access } from './access';
import { excess, type RoleDefinition } from './role-definition';

/**
 * Nobody grants more than they hold: a role they edit, a role they give a member, an invitation or
 * an API key. Refused with a 403 naming every right beyond the granter's own.
 */
export function assertMayGrant(access: Access, wanted: RoleDefinition, what: string, fieldPrefix: string): void {
  const beyond = excess(wanted, access.definition);
  if (beyond.length === 0) return;
  throw new ProblemError({
    status: 403,
    slug: 'forbidden',
    title: 'Forbidden',
    detail: `${what} would allow more than your own role does`,
    errors: beyond.map((path) => ({ field: `${fieldPrefix}.${path}`, code: 'beyond_your_rights', message: 'your own role does not allow this' })),
  });
}
