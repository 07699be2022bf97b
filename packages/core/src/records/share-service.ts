import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@rapport/db';
import type { Access } from '../access/access';
import type { AccessResolver } from '../access/access-resolver';
import { writeAudit } from '../access/access-audit';
import { newId } from '../ids';
import type { MetadataRegistry } from '../metadata/registry';
import { parseOrThrow, problems } from '../problems';
import { recordShare, team } from '../schema/access';
import { workspaceMember } from '../schema/identity';
import type { RecordService } from './record-service';

export const newShareSchema = z
  .strictObject({
    userId: z.uuid().optional(),
    teamId: z.uuid().optional(),
    access: z.enum(['read', 'edit']),
  })
  .refine((input) => (input.userId === undefined) !== (input.teamId === undefined), { message: 'give exactly one of userId and teamId', path: ['userId'] });

export interface ShareView {
  id: string;
  userId: string | null;
  teamId: string | null;
  access: 'read' | 'edit';
  createdAt: string;
}

/** Explicit sharing of one record with a user or a team; only someone who may edit the record shares it. */
export class ShareService {
  constructor(
    private readonly database: Database,
    private readonly registry: MetadataRegistry,
    private readonly resolver: AccessResolver,
    private readonly records: RecordService,
  ) {}

  async list(access: Access, objectName: string, recordId: string): Promise<ShareView[]> {
    await this.assertRecord(access, objectName, recordId, 'read');
    const found = await this.database.db
      .select()
      .from(recordShare)
      .where(and(eq(recordShare.workspaceId, access.actor.workspaceId), eq(recordShare.object, objectName), eq(recordShare.recordId, recordId)))
      .orderBy(recordShare.createdAt);
    return found.map((row) => ({ id: row.id, userId: row.userId, teamId: row.teamId, access: row.access as ShareView['access'], createdAt: row.createdAt.toISOString() }));
  }

  async create(access: Access, objectName: string, recordId: string, body: unknown): Promise<ShareView> {
    const input = parseOrThrow(newShareSchema, body);
    await this.assertRecord(access, objectName, recordId, 'update');
    const workspaceId = access.actor.workspaceId;
    const id = newId();
    await this.database.db.transaction(async (tx) => {
      if (input.userId) {
        const [member] = await tx.select({ userId: workspaceMember.userId }).from(workspaceMember).where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.userId, input.userId)));
        if (!member) throw problems.validation([{ field: 'userId', code: 'relation_not_found', message: `no member with id ${input.userId}` }]);
      } else {
        const [found] = await tx.select({ id: team.id }).from(team).where(and(eq(team.workspaceId, workspaceId), eq(team.id, input.teamId!)));
        if (!found) throw problems.validation([{ field: 'teamId', code: 'relation_not_found', message: `no team with id ${input.teamId}` }]);
      }
      await tx.insert(recordShare).values({ workspaceId, id, object: objectName, recordId, userId: input.userId ?? null, teamId: input.teamId ?? null, access: input.access, createdBy: access.actor.id });
      await writeAudit(tx, { workspaceId, action: 'share.created', actor: access.actor, target: `${objectName}:${recordId}`, detail: { userId: input.userId, teamId: input.teamId, access: input.access } });
      await this.resolver.changed(tx, workspaceId);
    });
    return (await this.list(access, objectName, recordId)).find((share) => share.id === id)!;
  }

  async delete(access: Access, objectName: string, recordId: string, shareId: string): Promise<void> {
    await this.assertRecord(access, objectName, recordId, 'update');
    const workspaceId = access.actor.workspaceId;
    await this.database.db.transaction(async (tx) => {
      const removed = await tx
        .delete(recordShare)
        .where(and(eq(recordShare.workspaceId, workspaceId), eq(recordShare.object, objectName), eq(recordShare.recordId, recordId), eq(recordShare.id, shareId)))
        .returning({ id: recordShare.id });
      if (removed.length === 0) throw problems.notFound(`share ${shareId} does not exist`);
      await writeAudit(tx, { workspaceId, action: 'share.deleted', actor: access.actor, target: `${objectName}:${recordId}`, detail: { shareId } });
      await this.resolver.changed(tx, workspaceId);
    });
  }

  /** The record must exist and be visible to the actor (else it is, to them, absent); sharing needs the right to edit it. */
  private async assertRecord(access: Access, objectName: string, recordId: string, verb: 'read' | 'update'): Promise<void> {
    (await this.registry.forWorkspace(this.database.db, access.actor.workspaceId)).object(objectName);
    if (!(await this.records.canReach(access.actor, objectName, recordId, 'read'))) throw problems.notFound(`${objectName} ${recordId} does not exist`);
    if (verb === 'update' && !(await this.records.canReach(access.actor, objectName, recordId, 'update'))) throw problems.forbidden(`You may read this ${objectName} but not share it`);
  }
}
