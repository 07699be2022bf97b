import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@rapport/db';
import type { Actor } from '../access/actor';
import { newId } from '../ids';
import { parseOrThrow, problems } from '../problems';
import type { RecordService } from '../records/record-service';
import { storedFile } from '../schema/files';

export const newFileSchema = z.strictObject({
  object: z.string().min(1).max(63),
  recordId: z.uuid(),
  name: z
    .string()
    .trim()
    .min(1, 'is required')
    .max(255)
    .refine((value) => !/[/\\\u0000-\u001f]/.test(value), 'must be a file name, without / \\ or control characters'),
  contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a media type such as application/pdf').max(100).default('application/octet-stream'),
});

export interface FileView {
  id: string;
  object: string;
  recordId: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  createdBy: string | null;
  createdAt: string;
}

const present = (row: typeof storedFile.$inferSelect): FileView => ({
  id: row.id,
  object: row.object,
  recordId: row.recordId,
  name: row.name,
  contentType: row.contentType,
  size: row.size,
  sha256: row.sha256,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
});

/**
 * Files attached to records, stored in the data folder. Whoever may read the record may read its
 * files; whoever may update it may add and delete them — checked through the data-access layer.
 */
export class FileService {
  constructor(
    private readonly database: Database,
    private readonly records: RecordService,
    private readonly root: string,
  ) {}

  private pathOf(workspaceId: string, id: string): string {
    return path.join(this.root, workspaceId, id);
  }

  /** The record must be visible to the actor for `verb` (a 404 otherwise: it does not exist for them). */
  private async assertRecord(actor: Actor, object: string, recordId: string, verb: 'read' | 'update'): Promise<void> {
    if (!(await this.records.canReach(actor, object, recordId, 'read'))) throw problems.notFound(`${object} ${recordId} does not exist`);
    if (verb === 'update' && !(await this.records.canReach(actor, object, recordId, 'update'))) throw problems.forbidden(`You may read this ${object} but not change its files`);
  }

  async add(actor: Actor, body: unknown, bytes: Uint8Array): Promise<FileView> {
    const input = parseOrThrow(newFileSchema, body);
    await this.assertRecord(actor, input.object, input.recordId, 'update');
    const id = newId();
    const file = this.pathOf(actor.workspaceId, id);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes, { flag: 'wx' });
    try {
      const [row] = await this.database.db
        .insert(storedFile)
        .values({
          workspaceId: actor.workspaceId,
          id,
          object: input.object,
          recordId: input.recordId,
          name: input.name,
          contentType: input.contentType,
          size: bytes.byteLength,
          sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
          createdBy: actor.id,
        })
        .returning();
      return present(row!);
    } catch (error) {
      fs.rmSync(file, { force: true });
      throw error;
    }
  }

  async list(actor: Actor, object: string, recordId: string): Promise<FileView[]> {
    await this.assertRecord(actor, object, recordId, 'read');
    const rows = await this.database.db
      .select()
      .from(storedFile)
      .where(and(eq(storedFile.workspaceId, actor.workspaceId), eq(storedFile.object, object), eq(storedFile.recordId, recordId)))
      .orderBy(desc(storedFile.createdAt));
    return rows.map(present);
  }

  async get(actor: Actor, id: string, verb: 'read' | 'update' = 'read'): Promise<FileView> {
    const [row] = await this.database.db.select().from(storedFile).where(and(eq(storedFile.workspaceId, actor.workspaceId), eq(storedFile.id, id)));
    if (!row) throw problems.notFound(`file ${id} does not exist`);
    try {
      await this.assertRecord(actor, row.object, row.recordId, verb);
    } catch (error) {
      // A file of a record one may not see does not exist either.
      if ((error as { status?: number }).status === 404) throw problems.notFound(`file ${id} does not exist`);
      throw error;
    }
    return present(row);
  }

  async content(actor: Actor, id: string): Promise<{ file: FileView; bytes: Buffer }> {
    const file = await this.get(actor, id);
    return { file, bytes: fs.readFileSync(this.pathOf(actor.workspaceId, id)) };
  }

  /** Removes the bytes of files whose rows are already gone (the records they belonged to were erased). */
  forget(files: { workspaceId: string; id: string }[]): void {
    for (const file of files) fs.rmSync(this.pathOf(file.workspaceId, file.id), { force: true });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.get(actor, id, 'update');
    await this.database.db.delete(storedFile).where(and(eq(storedFile.workspaceId, actor.workspaceId), eq(storedFile.id, id)));
    fs.rmSync(this.pathOf(actor.workspaceId, id), { force: true });
  }
}
