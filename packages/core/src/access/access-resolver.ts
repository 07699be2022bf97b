import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '@rapport/db';
import { rows } from '@rapport/db';
import { recordShare, role, teamMember } from '../schema/access';
import { apiKey, workspaceMember } from '../schema/identity';
import { Access, NO_REACH, type Reach } from './access';
import type { Actor } from './actor';
import { presetByKey } from './presets';
import { ANY_OBJECT, intersect, NO_RIGHTS, type RoleDefinition, roleDefinitionSchema } from './role-definition';

/** Roles, teams, hierarchy or shares changed somewhere: every server drops its resolved rights. */
export const ACCESS_CHANNEL = 'rapport_access';
/** Resolved rights are reused this long at most; changes clear them at once through ACCESS_CHANNEL. */
const CACHE_MS = 30_000;

const NOTHING: RoleDefinition = {
  objects: { [ANY_OBJECT]: NO_RIGHTS },
  export: false,
  import: false,
  admin: { settings: false, users: false, plugins: false, audit: false },
  mfaRequired: false,
};
const EVERYTHING = presetByKey.get('admin')!.definition;

/** Turns an actor into its rights: role definition (a key's narrowed by its creator's) and reach. */
export class AccessResolver {
  private readonly cache = new Map<string, { access: Access; until: number }>();
  /** Plugins' service identities: the role each plugin's manifest declares, registered while it is enabled. */
  private readonly pluginRoles = new Map<string, RoleDefinition>();

  constructor(private readonly database: Database) {}

  forget(): void {
    this.cache.clear();
  }

  /** While a plugin is enabled, its subscribers and jobs act with this role and nothing more. */
  registerPluginRole(pluginId: string, definition: RoleDefinition): () => void {
    const registered = roleDefinitionSchema.parse(definition);
    this.pluginRoles.set(pluginId, registered);
    this.forget();
    return () => {
      // An upgrade registers the new version's role before the old one is disposed: keep the newer.
      if (this.pluginRoles.get(pluginId) === registered) this.pluginRoles.delete(pluginId);
      this.forget();
    };
  }

  /** Call in the transaction that changed roles, teams, managers or shares. */
  async changed(executor: Executor, workspaceId: string): Promise<void> {
    await executor.execute(sql`select pg_notify(${ACCESS_CHANNEL}, ${workspaceId})`);
    this.forget();
  }

  async resolve(actor: Actor, executor: Executor = this.database.db): Promise<Access> {
    if (actor.kind === 'system') return new Access(actor, 'system', EVERYTHING, NO_REACH);
    const key = `${actor.workspaceId}:${actor.kind}:${actor.id}`;
    const cached = this.cache.get(key);
    if (cached && cached.until > Date.now()) return cached.access;
    const access = await this.load(actor, executor);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { access, until: Date.now() + CACHE_MS });
    return access;
  }

  async roleDefinition(executor: Executor, workspaceId: string, roleKey: string): Promise<RoleDefinition | null> {
    const [row] = await executor.select({ definition: role.definition }).from(role).where(and(eq(role.workspaceId, workspaceId), eq(role.key, roleKey)));
    if (row) return roleDefinitionSchema.parse(row.definition);
    return presetByKey.get(roleKey)?.definition ?? null;
  }

  private async memberRole(executor: Executor, workspaceId: string, userId: string): Promise<string | null> {
    const [member] = await executor
      .select({ role: workspaceMember.role })
      .from(workspaceMember)
      .where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.userId, userId), isNull(workspaceMember.deactivatedAt)));
    return member?.role ?? null;
  }

  private async load(actor: Actor, executor: Executor): Promise<Access> {
    const { workspaceId } = actor;
    if (actor.kind === 'plugin') {
      // A plugin's service identity owns no records: its rights are its manifest's, scope "all" or none.
      return new Access(actor, `plugin:${actor.id}`, this.pluginRoles.get(actor.id) ?? NOTHING, NO_REACH);
    }
    if (actor.kind === 'apiKey') {
      const [keyRow] = await executor.select({ role: apiKey.role }).from(apiKey).where(and(eq(apiKey.workspaceId, workspaceId), eq(apiKey.id, actor.id), isNull(apiKey.revokedAt)));
      let definition = keyRow ? await this.roleDefinition(executor, workspaceId, keyRow.role) : null;
      if (definition && actor.userId) {
        const creatorRole = await this.memberRole(executor, workspaceId, actor.userId);
        const creator = creatorRole ? await this.roleDefinition(executor, workspaceId, creatorRole) : null;
        definition = creator ? intersect(definition, creator) : null;
      }
      const reach = actor.userId ? await this.reach(executor, workspaceId, actor.userId) : NO_REACH;
      return new Access(actor, keyRow?.role ?? 'none', definition ?? NOTHING, reach);
    }
    const userId = actor.userId ?? actor.id;
    const roleKey = await this.memberRole(executor, workspaceId, userId);
    const definition = roleKey ? await this.roleDefinition(executor, workspaceId, roleKey) : null;
    return new Access(actor, roleKey ?? 'none', definition ?? NOTHING, definition ? await this.reach(executor, workspaceId, userId) : NO_REACH);
  }

  /** The user, everyone under them (any depth; a cycle cannot loop), their teams' members, and shares. */
  private async reach(executor: Executor, workspaceId: string, userId: string): Promise<Reach> {
    const reports = await rows<{ user_id: string }>(
      executor,
      sql`with recursive below(user_id) as (
          select ${userId}::uuid
          union
          select ${workspaceMember.userId} from ${workspaceMember} join below on ${workspaceMember.managerId} = below.user_id
          where ${workspaceMember.workspaceId} = ${workspaceId}
        )
        select user_id::text from below`,
    );
    const own = reports.map((row) => row.user_id);
    const teams = (await executor.select({ teamId: teamMember.teamId }).from(teamMember).where(and(eq(teamMember.workspaceId, workspaceId), eq(teamMember.userId, userId)))).map(
      (row) => row.teamId,
    );
    const teammates =
      teams.length === 0
        ? []
        : (await executor.selectDistinct({ userId: teamMember.userId }).from(teamMember).where(and(eq(teamMember.workspaceId, workspaceId), inArray(teamMember.teamId, teams)))).map(
            (row) => row.userId,
          );
    const shareRows = await executor
      .select({ object: recordShare.object, recordId: recordShare.recordId, access: recordShare.access })
      .from(recordShare)
      .where(and(eq(recordShare.workspaceId, workspaceId), teams.length > 0 ? or(eq(recordShare.userId, userId), inArray(recordShare.teamId, teams)) : eq(recordShare.userId, userId)));
    const shares = new Map<string, { read: string[]; edit: string[] }>();
    for (const share of shareRows) {
      const entry = shares.get(share.object) ?? { read: [], edit: [] };
      (share.access === 'edit' ? entry.edit : entry.read).push(share.recordId);
      shares.set(share.object, entry);
    }
    return { own, team: [...new Set([...own, ...teammates])], shares };
  }
}
