import type { Executor } from '@rapport/db';
import type { Actor } from './access/actor';
import type { Core } from './core';

export interface BootstrapOptions {
  adminEmail?: string;
  adminPassword?: string;
}

export interface BootstrapResult {
  workspaceId: string;
  /** Set on the first run only: the admin that was created, and its password if it was generated. */
  createdAdmin?: { email: string; generatedPassword?: string; actor: Actor };
}

/** The first run makes a workspace and its admin; later runs find them. */
export async function bootstrap(
  core: Core,
  options: BootstrapOptions = {},
  /** Runs in the same transaction after a first-run creation (demo data): all of it happens, or none. */
  onFirstRun?: (tx: Executor, admin: Actor) => Promise<void>,
): Promise<BootstrapResult> {
  return core.database.db.transaction(async (tx) => {
    const existing = await core.identity.defaultWorkspace(tx);
    const workspaceId = existing?.id ?? (await core.identity.createWorkspace('My workspace', 'default', tx));
    if ((await core.identity.countUsers(tx)) > 0) return { workspaceId };
    const email = options.adminEmail ?? 'admin@rapport.local';
    const { user, generatedPassword } = await core.identity.createUser(
      workspaceId,
      { email, name: 'Admin', role: 'admin', ...(options.adminPassword ? { password: options.adminPassword } : {}) },
      tx,
    );
    const actor: Actor = { kind: 'user', id: user.id, userId: user.id, workspaceId, role: 'admin' };
    await onFirstRun?.(tx, actor);
    return { workspaceId, createdAdmin: { email, generatedPassword, actor } };
  });
}
