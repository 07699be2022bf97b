import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { and, asc, desc, eq, gt, inArray } from 'drizzle-orm';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import { conflict, newId, notFound, type PluginRecords, type PluginServerContext, refuse, type RouteTools } from '@rapport/sdk/server';
import { escapeFormula } from '../cells';
import { DuplicateFinder } from './duplicate-finder';
import { DELIMITERS, FileProblem, readTable } from './file-reader';
import { importView } from './import-view';
import { checkMapping, importSettingsSchema, parseSettings } from './import-settings';
import { mappingTargets, suggestMapping } from './mapping';
import { RowPlanner } from './row-plan';
import { dataImport, importRow, importTemplate } from './schema';
import { SAMPLE_ROWS, stageRows } from './staging';

function parseQuery<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw refuse('The request is not valid', parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'query', code: issue.code, message: issue.message })));
  return parsed.data;
}

async function jsonBody(c: { req: { json(): Promise<unknown> } }): Promise<unknown> {
  return c.req.json().catch(() => {
    throw refuse('The body must be JSON', [{ field: 'body', code: 'invalid_json', message: 'is not valid JSON' }]);
  });
}

const uploadQuery = z.strictObject({
  object: z.string().min(1).max(100),
  fileName: z.string().min(1).max(255).default('import.csv'),
  encoding: z.enum(['utf-8', 'windows-1252', 'utf-16le']).optional(),
  delimiter: z.enum(DELIMITERS).optional(),
  template: z.uuid().optional(),
});
const patchBody = z.strictObject({ settings: z.record(z.string(), z.unknown()).optional(), template: z.uuid().optional() });
const rowsQuery = z.strictObject({ status: z.enum(['pending', 'created', 'updated', 'skipped', 'rejected', 'undone']).optional(), after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(100) });
const previewQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const templateBody = z.strictObject({ object: z.string().min(1).max(100), name: z.string().trim().min(1).max(100), settings: importSettingsSchema });

const callerKey = (caller: RouteTools['caller']) => `${caller.kind}:${caller.id}`;

/** Import routes under /api/v1/plugins/data-ops/: upload, mapping, preview, start, progress, rows, rejected rows, undo, templates. */
/** Failing rows of the files being set up, by import, settings and object shape (the 50 latest). */
const failingRows = new Map<string, { count: number; rows: { rowNo: number; reason: string }[] }>();

export function registerImportRoutes(ctx: PluginServerContext): void {
  const { db } = ctx;

  /** The caller's own import, or 404: an import holds the file's data, which is theirs to see. */
  const ownImport = async (id: string, caller: RouteTools['caller']) => {
    const valid = z.uuid().safeParse(id);
    const [row] = valid.success ? await db.select().from(dataImport).where(and(eq(dataImport.id, id), eq(dataImport.workspaceId, caller.workspaceId), eq(dataImport.createdBy, callerKey(caller)))) : [];
    if (!row) throw notFound(`There is no import ${id}`);
    return row;
  };
  const samplesOf = async (id: string) => (await db.select({ cells: importRow.cells }).from(importRow).where(eq(importRow.importId, id)).orderBy(asc(importRow.rowNo)).limit(SAMPLE_ROWS)).map((row) => row.cells);
  const describe = (records: PluginRecords, object: string) => records.describe(object);

  // POST /imports?object=person&fileName=contacts.csv — the body is the file itself (CSV or XLSX).
  ctx.http.upload('/imports', async (c, { records, caller }) => {
    const query = parseQuery(uploadQuery, c.req.query());
    const object = await describe(records, query.object);
    const id = newId();
    const body = c.req.raw.body;
    if (!body) throw refuse('The body must be the file to import', [{ field: 'file', code: 'required', message: 'send the CSV or XLSX file as the request body' }]);
    let template: Record<string, unknown> | undefined;
    if (query.template) {
      const [found] = await db.select().from(importTemplate).where(and(eq(importTemplate.id, query.template), eq(importTemplate.workspaceId, caller.workspaceId), eq(importTemplate.object, object.name)));
      if (!found) throw refuse(`There is no template ${query.template} for ${object.name}`, [{ field: 'template', code: 'not_found', message: 'no such template for this object' }]);
      template = found.settings;
    }
    try {
      const table = await readTable(Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>), { encoding: query.encoding, delimiter: query.delimiter });
      await db.insert(dataImport).values({
        id,
        workspaceId: caller.workspaceId,
        object: object.name,
        createdBy: callerKey(caller),
        fileName: query.fileName,
        format: table.format,
        encoding: table.encoding,
        delimiter: table.delimiter,
        headers: table.headers,
        status: 'uploading',
        settings: {},
      });
      const { count, samples } = await stageRows(db, id, table.rows);
      if (count === 0) throw new FileProblem('no_rows', 'The file has a header but no rows');
      // Checked once the file is read, so that a bad file leaves nothing behind, not even an audit entry.
      await records.recordImport(object.name, { importId: id, step: 'uploaded', fileName: query.fileName, rows: count });
      const suggested = { mapping: suggestMapping(table.headers, object, samples).map((suggestion) => suggestion.target) };
      // A template fits a file of the same columns; for another shape, its mapping gives way to the suggestions.
      const fits = template && Array.isArray(template.mapping) && template.mapping.length === table.headers.length;
      const settings = parseSettings(fits ? template : { ...template, ...suggested });
      const [row] = await db.update(dataImport).set({ status: 'ready', rowCount: count, settings }).where(eq(dataImport.id, id)).returning();
      return c.json(importView(row!, object, samples), 201);
    } catch (error) {
      await db.delete(dataImport).where(eq(dataImport.id, id));
      if (error instanceof FileProblem) throw refuse(error.message, [{ field: 'file', code: error.code, message: error.message }]);
      throw error;
    }
  });

  ctx.http.get('/imports', async (c, { caller }) => {
    const rows = await db
      .select()
      .from(dataImport)
      .where(and(eq(dataImport.workspaceId, caller.workspaceId), eq(dataImport.createdBy, callerKey(caller))))
      .orderBy(desc(dataImport.createdAt))
      .limit(50);
    return c.json({ data: rows.map((row) => importView(row, null)) });
  });

  ctx.http.get('/imports/:id', async (c, { records, caller }) => {
    const row = await ownImport(c.req.param('id') ?? '', caller);
    // Polled every second while it runs: suggestions and samples only matter while it is being set up.
    if (row.status !== 'ready') return c.json(importView(row, null));
    return c.json(importView(row, await describe(records, row.object), await samplesOf(row.id)));
  });

  // PATCH /imports/:id { settings?, template? }: the mapping and choices, while the import waits to start.
  ctx.http.patch('/imports/:id', async (c, { records, caller }) => {
    const row = await ownImport(c.req.param('id') ?? '', caller);
    const body = parseQuery(patchBody, await jsonBody(c));
    if (row.status !== 'ready') throw conflict(`The import is ${row.status}: its settings can no longer change`);
    let base = row.settings;
    if (body.template) {
      const [template] = await db.select().from(importTemplate).where(and(eq(importTemplate.id, body.template), eq(importTemplate.workspaceId, caller.workspaceId), eq(importTemplate.object, row.object)));
      if (!template) throw refuse(`There is no template ${body.template} for ${row.object}`, [{ field: 'template', code: 'not_found', message: 'no such template for this object' }]);
      base = template.settings;
    }
    const settings = parseSettings({ ...base, ...body.settings });
    const object = await describe(records, row.object);
    checkMapping(settings.mapping, row.headers, new Set(mappingTargets(object).map((target) => target.target)));
    const [updated] = await db.update(dataImport).set({ settings }).where(eq(dataImport.id, row.id)).returning();
    return c.json(importView(updated!, object, await samplesOf(row.id)));
  });

  // GET /imports/:id/preview: the first rows as they would be written, and every row that would fail.
  ctx.http.get('/imports/:id/preview', async (c, { records, caller }) => {
    const row = await ownImport(c.req.param('id') ?? '', caller);
    const { limit } = parseQuery(previewQuery, c.req.query());
    const object = await describe(records, row.object);
    const settings = parseSettings(row.settings);
    const planner = new RowPlanner(object, row.headers, settings);
    const first = await db.select({ rowNo: importRow.rowNo, cells: importRow.cells }).from(importRow).where(eq(importRow.importId, row.id)).orderBy(asc(importRow.rowNo)).limit(limit);
    const plans = first.map((staged) => planner.plan(staged.rowNo, staged.cells));
    const matches = await new DuplicateFinder(object).find(records, plans.filter((plan) => plan.errors.length === 0), settings.duplicates.fuzzy);
    // The whole file's failing rows: one pass per settings (and object shape), not one per preview.
    const key = crypto.createHash('sha256').update(JSON.stringify([row.id, row.settings, object.fields])).digest('hex');
    let found = failingRows.get(key);
    if (!found) {
      found = { count: 0, rows: [] };
      for (let after = 0; ; ) {
        const page = await db.select({ rowNo: importRow.rowNo, cells: importRow.cells }).from(importRow).where(and(eq(importRow.importId, row.id), gt(importRow.rowNo, after))).orderBy(asc(importRow.rowNo)).limit(2000);
        if (page.length === 0) break;
        for (const staged of page) {
          const { errors } = planner.plan(staged.rowNo, staged.cells);
          if (errors.length === 0) continue;
          found.count += 1;
          if (found.rows.length < 100) found.rows.push({ rowNo: staged.rowNo, reason: errors.map((error) => error.message).join('; ') });
        }
        after = page[page.length - 1]!.rowNo;
      }
      failingRows.set(key, found);
      if (failingRows.size > 50) failingRows.delete(failingRows.keys().next().value!);
    }
    const failing = found.rows;
    const failingCount = found.count;
    return c.json({
      rows: plans.map((plan, index) => ({ rowNo: plan.rowNo, cells: first[index]!.cells, values: { ...plan.values, ...plan.relations }, errors: plan.errors, duplicate: matches.get(plan.rowNo) ?? null })),
      failing: { count: failingCount, rows: failing },
      missingRequired: planner.unmappedRequired().map((field) => ({ field: field.name, labels: field.labels })),
    });
  });

  // POST /imports/:id/start: runs as a job acting as the caller (their rights, their name on every record).
  ctx.http.post('/imports/:id/start', async (c, { records, caller, jobs }) => {
    const row = await ownImport(c.req.param('id') ?? '', caller);
    if (row.status !== 'ready') throw conflict(`The import is ${row.status}: it can start only once`);
    const object = await describe(records, row.object);
    const settings = parseSettings(row.settings);
    checkMapping(settings.mapping, row.headers, new Set(mappingTargets(object).map((target) => target.target)));
    const missing = new RowPlanner(object, row.headers, settings).unmappedRequired();
    if (missing.length) {
      throw refuse(
        `Map a column to ${missing.map((field) => field.labels.en).join(', ')}: every ${object.name} needs it`,
        missing.map((field) => ({ field: 'settings.mapping', code: 'required_field_unmapped', message: `no column is mapped to the required field "${field.name}"` })),
      );
    }
    await records.recordImport(row.object, { importId: row.id, step: 'started', fileName: row.fileName, rows: row.rowCount, duplicates: settings.duplicates.mode });
    const [started] = await db
      .update(dataImport)
      .set({ status: 'running', startedAt: new Date(), leaseUntil: new Date(Date.now() + 60_000) })
      .where(and(eq(dataImport.id, row.id), eq(dataImport.status, 'ready')))
      .returning();
    if (!started) throw conflict('The import has already started');
    const jobId = await jobs.enqueue('import-run', { importId: row.id });
    const [withJob] = await db.update(dataImport).set({ jobId }).where(eq(dataImport.id, row.id)).returning();
    return c.json(importView(withJob!, object), 202);
  });

  // GET /imports/:id/rows?status=rejected&after=0&limit=100: what became of each row, and why.
  ctx.http.get('/imports/:id/rows', async (c, { caller }) => {
    const row = await ownImport(c.req.param('id') ?? '', caller);
    const query = parseQuery(rowsQuery, c.req.query());
    const rows = await db
      .select({ rowNo: importRow.rowNo, status: importRow.status, recordId: importRow.recordId, reason: importRow.reason, match: importRow.match, cells: importRow.cells })
      .from(importRow)
      .where(and(eq(importRow.importId, row.id), gt(importRow.rowNo, query.after), query.status ? eq(importRow.status, query.status) : undefined))
      .orderBy(asc(importRow.rowNo))
      .limit(query.limit);
    return c.json({ data: rows, nextAfter: rows.length === query.limit ? rows[rows.length - 1]!.rowNo : null });
  });

  // GET /imports/:id/rejected.csv: the rows not imported, as they were, with the reason in a last column.
  ctx.http.get('/imports/:id/rejected.csv', async (c, { caller }) => {
    const row = await ownImport(c.req.param('id') ?? '', caller);
    const lang = c.req.query('lang') === 'fr' ? 'fr' : 'en';
    const csv = stringify({ bom: true, delimiter: row.delimiter === ';' ? ';' : ',' });
    void (async () => {
      csv.write([...row.headers, lang === 'fr' ? 'Motif du rejet' : 'Reason rejected', lang === 'fr' ? 'Ligne' : 'Row']);
      for (let after = 0; ; ) {
        const page = await db
          .select({ rowNo: importRow.rowNo, cells: importRow.cells, reason: importRow.reason })
          .from(importRow)
          .where(and(eq(importRow.importId, row.id), eq(importRow.status, 'rejected'), gt(importRow.rowNo, after)))
          .orderBy(asc(importRow.rowNo))
          .limit(1000);
        if (page.length === 0) break;
        for (const rejected of page) if (!csv.write([...rejected.cells.map(escapeFormula), escapeFormula(rejected.reason ?? ''), String(rejected.rowNo + 1)])) await new Promise((resolve) => csv.once('drain', resolve));
        after = page[page.length - 1]!.rowNo;
      }
      csv.end();
    })().catch((error: Error) => csv.destroy(error));
    const name = row.fileName.replace(/\.[^.]+$/, '').replace(/[^\w.-]+/g, '_');
    return new Response(Readable.toWeb(csv) as ReadableStream, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}-rejected.csv"`, 'cache-control': 'no-store' } });
  });

  // POST /imports/:id/undo: every record it made removed, every record it changed put back.
  ctx.http.post('/imports/:id/undo', async (c, { records, caller, jobs }) => {
    const row = await ownImport(c.req.param('id') ?? '', caller);
    if (row.status !== 'done' && row.status !== 'failed') throw conflict(`The import is ${row.status}: only a finished import can be undone`);
    const [undoing] = await db
      .update(dataImport)
      .set({ status: 'undoing', leaseUntil: new Date(Date.now() + 60_000) })
      .where(and(eq(dataImport.id, row.id), inArray(dataImport.status, ['done', 'failed'])))
      .returning();
    if (!undoing) throw conflict('The import is already being undone');
    const jobId = await jobs.enqueue('import-undo', { importId: row.id });
    const [withJob] = await db.update(dataImport).set({ jobId }).where(eq(dataImport.id, row.id)).returning();
    return c.json(importView(withJob!, await describe(records, row.object)), 202);
  });

  // DELETE /imports/:id: forgets the file and its rows (records made stay); not while it runs.
  ctx.http.delete('/imports/:id', async (c, { caller }) => {
    const row = await ownImport(c.req.param('id') ?? '', caller);
    if (row.status === 'running' || row.status === 'undoing') throw conflict(`The import is ${row.status}: wait for it to finish`);
    await db.delete(dataImport).where(eq(dataImport.id, row.id));
    return c.body(null, 204);
  });

  ctx.http.get('/import-templates', async (c, { caller }) => {
    const object = c.req.query('object');
    const rows = await db
      .select()
      .from(importTemplate)
      .where(and(eq(importTemplate.workspaceId, caller.workspaceId), object ? eq(importTemplate.object, object) : undefined))
      .orderBy(asc(importTemplate.name));
    return c.json({ data: rows.map(({ workspaceId: _workspace, ...template }) => template) });
  });

  ctx.http.post('/import-templates', async (c, { records, caller }) => {
    const body = parseQuery(templateBody, await jsonBody(c));
    const object = await describe(records, body.object);
    const targets = new Set(mappingTargets(object).map((target) => target.target));
    const unknown = body.settings.mapping.flatMap((target, column) => (target && !targets.has(target) ? [{ field: `settings.mapping.${column}`, code: 'unknown_field', message: `"${target}" is not a field you may import into` }] : []));
    if (unknown.length) throw refuse('The template maps columns to unknown fields', unknown);
    const [created] = await db
      .insert(importTemplate)
      .values({ id: newId(), workspaceId: caller.workspaceId, object: object.name, name: body.name, settings: body.settings, createdBy: callerKey(caller) })
      .onConflictDoNothing()
      .returning();
    if (!created) throw conflict(`A template named "${body.name}" exists for ${object.name}`, [{ field: 'name', code: 'duplicate', message: 'is already used for this object' }]);
    const { workspaceId: _workspace, ...template } = created;
    return c.json(template, 201);
  });

  ctx.http.delete('/import-templates/:id', async (c, { caller }) => {
    const id = z.uuid().safeParse(c.req.param('id'));
    // A template is shared with the workspace; only who made it may delete it.
    const deleted = id.success
      ? await db
          .delete(importTemplate)
          .where(and(eq(importTemplate.id, id.data), eq(importTemplate.workspaceId, caller.workspaceId), eq(importTemplate.createdBy, callerKey(caller))))
          .returning({ id: importTemplate.id })
      : [];
    if (deleted.length === 0) throw notFound(`There is no template ${c.req.param('id')}`);
    return c.body(null, 204);
  });
}
