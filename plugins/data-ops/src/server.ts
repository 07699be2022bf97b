import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { defineServer, recordTitle, refuse, type ObjectDescription, type RouteTools } from '@rapport/sdk/server';
import manifest from './manifest';
import { cell, header, type Lang } from './cells';
import { duplicateCandidates } from './duplicates';
import { registerImportJobs } from './import/import-jobs';
import { registerImportRoutes } from './import/import-routes';
import { registerMergeRoutes } from './merge/merge-routes';
import { registerQualityCommand } from './quality/quality-command';
import { registerQualityJobs } from './quality/quality-jobs';
import { registerQualityRoutes } from './quality/quality-routes';
import { LEASE_SECONDS } from './import/import-run';

const exportSchema = z.strictObject({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  filter: z.unknown().optional(),
  sort: z.string().max(500).optional(),
  fields: z.array(z.string().max(200)).max(500).optional(),
  ids: z.array(z.string()).max(10_000).optional(),
  delimiter: z.enum([',', ';']).default(','),
  lang: z.enum(['en', 'fr']).default('en'),
});
type ExportRequest = z.infer<typeof exportSchema>;

function parse(input: unknown): ExportRequest {
  const result = exportSchema.safeParse(input);
  if (!result.success) throw refuse('The export request is not valid', result.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', code: issue.code, message: issue.message })));
  return result.data;
}

/** The fields of an export: those asked for (each readable, else the list refuses it), or every readable one but reverse lists. */
function columns(object: ObjectDescription, fields: string[] | undefined) {
  if (!fields?.length) return object.fields.filter((field) => field.relation?.kind !== 'oneToMany');
  return fields.map((name) => {
    const field = object.fields.find((candidate) => candidate.name === name);
    if (!field) throw refuse(`${object.name} has no field "${name}" you may read`, [{ field: 'fields', code: 'unknown_field', message: `no field "${name}" on ${object.name}` }]);
    return field;
  });
}

async function exportResponse(objectName: string, request: ExportRequest, { records }: RouteTools): Promise<Response> {
  const object = await records.describe(objectName);
  const shown = columns(object, request.fields);
  const expand = shown.filter((field) => field.relation?.kind === 'manyToOne').map((field) => field.name);
  const pages = records.export(objectName, { filter: request.filter, sort: request.sort, fields: [...new Set(['id', ...shown.map((field) => field.name)])], expand, ids: request.ids })[Symbol.asyncIterator]();
  // The first page before the answer: a refused export (no right, a hidden field, a bad filter) is a problem, not a broken file.
  let next = await pages.next();
  const titles = new Map<string, string[]>();
  for (const field of shown) if (field.relation) titles.set(field.relation.target, (await records.describe(field.relation.target).catch(() => null))?.titleFields ?? []);
  const labelOf = (target: string, record: Record<string, unknown>) => recordTitle({ titleFields: titles.get(target) ?? [] }, record) ?? String(record.id ?? '');
  const lang = request.lang as Lang;
  const rows = async function* () {
    for (; !next.done; next = await pages.next()) for (const record of next.value) yield shown.map((field) => cell(field, record[field.name], lang, labelOf));
  };
  const date = new Date().toISOString().slice(0, 10);
  const body = new PassThrough();
  if (request.format === 'csv') {
    const csv = stringify({ bom: true, delimiter: request.delimiter, cast: { boolean: (value) => (value ? 'true' : 'false') } });
    csv.pipe(body);
    void (async () => {
      csv.write(shown.map((field) => header(field, lang)));
      for await (const row of rows()) if (!csv.write(row)) await new Promise((resolve) => csv.once('drain', resolve));
      csv.end();
    })().catch((error: Error) => body.destroy(error));
  } else {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: body, useStyles: false, useSharedStrings: false });
    const sheet = workbook.addWorksheet(object.labels.plural.en.slice(0, 31));
    void (async () => {
      sheet.addRow(shown.map((field) => header(field, lang))).commit();
      for await (const row of rows()) sheet.addRow(row).commit();
      sheet.commit();
      await workbook.commit();
    })().catch((error: Error) => body.destroy(error));
  }
  const type = request.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return new Response(Readable.toWeb(body) as ReadableStream, { status: 200, headers: { 'content-type': type, 'content-disposition': `attachment; filename="${objectName}-${date}.${request.format}"`, 'cache-control': 'no-store' } });
}

const list = (value: string | undefined) => (value ? value.split(',').map((part) => part.trim()).filter(Boolean) : undefined);

export default defineServer(manifest, async (ctx) => {
  registerImportRoutes(ctx);
  registerImportJobs(ctx);
  registerMergeRoutes(ctx);
  registerQualityRoutes(ctx);
  registerQualityJobs(ctx);
  registerQualityCommand(ctx);
  // After a restart, runs the previous server left half done resume once their lease has lapsed.
  await ctx.jobs.enqueue('import-resume', {}, { delaySeconds: LEASE_SECONDS + 1 });

  ctx.http.get('/export/:object', (c, tools) => {
    const query = c.req.query();
    const unknown = Object.keys(query).filter((name) => !['format', 'filter', 'sort', 'fields', 'delimiter', 'lang'].includes(name));
    if (unknown.length) throw refuse(`Unknown query parameter: ${unknown.join(', ')}`, unknown.map((name) => ({ field: name, code: 'unknown_parameter', message: 'is not a parameter of this operation' })));
    return exportResponse(c.req.param('object') ?? '', parse({ ...query, fields: list(query.fields) }), tools);
  });
  // GET /api/v1/plugins/data-ops/duplicates/:object/:id: the records most likely to be the same one, with why.
  ctx.http.get('/duplicates/:object/:id', async (c, { records }) => {
    const objectName = c.req.param('object') ?? '';
    const object = await records.describe(objectName);
    const record = await records.get(objectName, c.req.param('id') ?? '');
    return c.json({ data: await duplicateCandidates(records, object, record) });
  });

  ctx.http.post('/export/:object', async (c, tools) => {
    const body = await c.req.json().catch(() => {
      throw refuse('The body must be JSON', [{ field: 'body', code: 'invalid_json', message: 'is not valid JSON' }]);
    });
    return exportResponse(c.req.param('object') ?? '', parse(body), tools);
  });
});
