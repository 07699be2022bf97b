import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { PluginRecords, PluginServerContext, TransactionRecords } from '@rapport/sdk/server';
import type { Executor } from '@rapport/sdk/server';
import { DuplicateFinder, type Match } from './duplicate-finder';
import { parseSettings, type ImportSettings } from './import-settings';
import { RelationResolver } from './relation-resolver';
import { type RowPlan, RowPlanner } from './row-plan';
import { dataImport, importRelated, importRow } from './schema';

/** Rows written per transaction: the `in` filters of the data-access layer take at most 500 values. */
export const BATCH_ROWS = 500;
/** Rows written before a run first analyzes the staging table; then each time they double. */
const FIRST_ANALYSIS = 5000;
/** A run holds its import this long after each batch; past it, the run is taken as dead and run again. */
export const LEASE_SECONDS = 15;

type Outcome = { rowNo: number; status: 'created' | 'updated' | 'skipped' | 'rejected'; recordId?: string; reason?: string; match?: Match & { inFile: boolean }; previous?: Record<string, unknown>; keys: string[]; block?: string; name?: string };

/** A write the data-access layer refused: which rows of the batch it names. */
class RefusedRows extends Error {
  constructor(readonly rows: { rowNo: number; reason: string }[]) {
    super(`rows ${rows.map((row) => row.rowNo).join(', ')} refused`);
  }
}

type ProblemLike = { status?: number; detail?: string; message: string; errors?: { field: string; message: string }[] };

/** The rows a refused batch write names (`records.3.email`), with the problem as their reason. */
function refusedRows(error: unknown, rowNos: number[]): RefusedRows | null {
  const problem = error as ProblemLike;
  if (!problem.status || problem.status >= 500 || problem.status === 409) return null;
  const byRow = new Map<number, string[]>();
  for (const item of problem.errors ?? []) {
    const index = /^records\.(\d+)(?:\.(.+))?$/.exec(item.field);
    const rowNo = index ? rowNos[Number(index[1])] : undefined;
    if (rowNo === undefined) continue;
    byRow.set(rowNo, [...(byRow.get(rowNo) ?? []), index![2] ? `${index![2]}: ${item.message}` : item.message]);
  }
  // A refusal that names no row (a right missing, a rule on the whole batch) refuses all of them.
  if (byRow.size === 0) return new RefusedRows(rowNos.map((rowNo) => ({ rowNo, reason: problem.detail ?? problem.message })));
  return new RefusedRows([...byRow].map(([rowNo, reasons]) => ({ rowNo, reason: reasons.join('; ') })));
}

async function writeBatch(records: TransactionRecords, object: string, operation: 'create' | 'update', values: Record<string, unknown>[], rowNos: number[]) {
  try {
    return (await records.batch(object, { operation, records: values })).data;
  } catch (error) {
    throw refusedRows(error, rowNos) ?? error;
  }
}

/**
 * Runs an import to its end, one transaction per batch of rows: the records written, the rows'
 * outcomes and the totals commit together, so a run killed at any point and run again (by its job's
 * retry, or by the stalled-run check) writes every row exactly once.
 */
export class ImportRun {
  private constructor(
    private readonly ctx: Pick<PluginServerContext, 'db' | 'log' | 'jobs'>,
    private readonly importId: string,
    private readonly objectName: string,
    private readonly settings: ImportSettings,
    private readonly planner: RowPlanner,
    private readonly finder: DuplicateFinder,
    private readonly relations: RelationResolver,
    /** Companies this import created: their people are all in its own rows. */
    private readonly madeCompanies: Set<string>,
  ) {}

  /**
   * Rows up to this one are done (committed by this run). The next batch is read after it, by the
   * primary key: a scan of "pending" rows from the start walks past the dead index entries every row
   * written leaves behind, and slowed a 1M-row import to a third of its speed half way.
   */
  private doneUpTo = 0;
  private batchEnd = 0;
  /** Rows this run wrote, and the count at which it analyzes the staging table next (see `run`). */
  private written = 0;
  private analyzeAt = FIRST_ANALYSIS;

  static async load(ctx: Pick<PluginServerContext, 'db' | 'log' | 'jobs'>, records: PluginRecords, importId: string): Promise<ImportRun | null> {
    const [row] = await ctx.db.select().from(dataImport).where(eq(dataImport.id, importId));
    if (!row || row.status !== 'running') return null;
    const object = await records.describe(row.object);
    const settings = parseSettings(row.settings);
    const planner = new RowPlanner(object, row.headers, settings);
    const made = await ctx.db.select({ id: importRelated.recordId }).from(importRelated).where(eq(importRelated.importId, importId));
    return new ImportRun(ctx, importId, row.object, settings, planner, new DuplicateFinder(object), await RelationResolver.for(records, object, planner.writtenFields()), new Set(made.map((company) => company.id)));
  }

  async run(records: PluginRecords): Promise<void> {
    for (;;) {
      let done: number;
      try {
        done = await records.transaction((tx, db) => this.batch(tx, db));
        this.relations.commit();
        this.doneUpTo = this.batchEnd;
      } catch (error) {
        this.relations.discard();
        if (!(error instanceof RefusedRows)) throw error;
        // The batch was rolled back: mark the refused rows and write the others again.
        await this.reject(error.rows);
        continue;
      }
      if (done === 0) {
        // Rows behind the cursor left pending (another run's batch rolled back): one scan from the start.
        if (this.doneUpTo === 0) break;
        this.doneUpTo = 0;
        continue;
      }
      this.written += done;
      if (this.written >= this.analyzeAt) {
        // The lookups of rows made so far are planned on the staging table's statistics, which still
        // see every row pending and without a record: with them, "these records" became a walk of all
        // the import's rows (0.5 s a batch by the 800,000th row). Each time the rows written double.
        await this.ctx.db.execute(sql`analyze ${importRow}`);
        this.analyzeAt = this.written * 2;
      }
      // A long import must not freeze the CRM on the embedded database.
      await this.ctx.jobs.yieldToRequests();
    }
    await this.ctx.db
      .update(dataImport)
      .set({ status: 'done', finishedAt: new Date(), leaseUntil: null })
      .where(and(eq(dataImport.id, this.importId), eq(dataImport.status, 'running')));
  }

  private async reject(rows: { rowNo: number; reason: string }[]): Promise<void> {
    const byReason = new Map<string, number[]>();
    for (const row of rows) byReason.set(row.reason, [...(byReason.get(row.reason) ?? []), row.rowNo]);
    await this.ctx.db.transaction(async (db) => {
      let count = 0;
      for (const [reason, rowNos] of byReason) {
        const updated = await db
          .update(importRow)
          .set({ status: 'rejected', reason })
          .where(and(eq(importRow.importId, this.importId), inArray(importRow.rowNo, rowNos), eq(importRow.status, 'pending')))
          .returning({ rowNo: importRow.rowNo });
        count += updated.length;
      }
      await db
        .update(dataImport)
        .set({ processed: sql`${dataImport.processed} + ${count}`, rejected: sql`${dataImport.rejected} + ${count}` })
        .where(eq(dataImport.id, this.importId));
    });
  }

  /** One batch: the next pending rows, claimed so that no other run takes them, written, their outcomes kept. */
  private async batch(records: TransactionRecords, db: Executor): Promise<number> {
    const rows = await db
      .select({ rowNo: importRow.rowNo, cells: importRow.cells })
      .from(importRow)
      .where(and(eq(importRow.importId, this.importId), gt(importRow.rowNo, this.doneUpTo), eq(importRow.status, 'pending')))
      .orderBy(importRow.importId, importRow.rowNo)
      .limit(BATCH_ROWS)
      .for('update', { skipLocked: true });
    this.batchEnd = rows.at(-1)?.rowNo ?? this.doneUpTo;
    if (rows.length === 0) return 0;
    const plans = rows.map((row) => this.planner.plan(row.rowNo, row.cells));
    const outcomes: Outcome[] = [];
    const valid: RowPlan[] = [];
    for (const plan of plans) {
      if (plan.errors.length) outcomes.push({ rowNo: plan.rowNo, status: 'rejected', reason: plan.errors.map((error) => error.message).join('; '), keys: plan.keys });
      else valid.push(plan);
    }
    const ownerId = this.settings.ownerId;
    const related = await this.relations.resolve(records, valid, this.settings.missingRelations === 'create', ownerId);
    const { mode, fuzzy } = this.settings.duplicates;
    for (const record of related) this.madeCompanies.add(record.id);
    const matches = await this.finder.find(records, valid, fuzzy, this.madeCompanies);
    if (fuzzy) for (const [rowNo, match] of await this.similarMadeEarlier(db, valid.filter((plan) => !matches.has(plan.rowNo)))) matches.set(rowNo, match);
    const madeHere = await this.madeByThisImport(db, [...new Set([...matches.values()].map((match) => match.recordId))]);

    // Rows of this batch that are the same as an earlier row of it: matched to that row's record-to-be.
    const earlier = new Map<string, RowPlan>();
    const earlierNames = new Map<string, RowPlan[]>();
    const creates: RowPlan[] = [];
    const mergedInto = new Map<number, { plan: RowPlan; score: number; fields: string[] }>();
    const updates = new Map<string, { values: Record<string, unknown>; rowNos: number[] }>();
    for (const plan of valid) {
      const existing = matches.get(plan.rowNo);
      const sameRow = existing ? undefined : this.sameAsEarlier(plan, earlier, earlierNames, fuzzy);
      if (!existing && !sameRow) {
        creates.push(plan);
        for (const key of plan.keys) if (!earlier.has(key)) earlier.set(key, plan);
        const block = this.finder.blockOf(plan.values, plan.emailDomain)?.key;
        if (block) earlierNames.set(block, [...(earlierNames.get(block) ?? []), plan]);
        continue;
      }
      const match = existing ? { ...existing, inFile: madeHere.has(existing.recordId) } : { recordId: '', score: sameRow!.score, fields: sameRow!.fields, inFile: true };
      if (mode === 'skip') {
        outcomes.push({ rowNo: plan.rowNo, status: 'skipped', reason: existing ? `the same as an existing record (${match.fields.join(', ')})` : `the same as row ${sameRow!.plan.rowNo} (${match.fields.join(', ')})`, match: sameRow ? { ...match, recordId: '' } : match, keys: plan.keys });
        if (sameRow) mergedInto.set(plan.rowNo, sameRow);
      } else if (mode === 'create') {
        creates.push(plan);
        outcomes.push({ rowNo: plan.rowNo, status: 'created', match, keys: plan.keys });
      } else if (existing) {
        const update = updates.get(existing.recordId) ?? { values: {}, rowNos: [] };
        Object.assign(update.values, plan.values);
        update.rowNos.push(plan.rowNo);
        updates.set(existing.recordId, update);
      } else {
        // Update of a record this batch creates: the later row's values complete the earlier row's.
        Object.assign(sameRow!.plan.values, plan.values);
        mergedInto.set(plan.rowNo, sameRow!);
      }
    }

    const previous = await this.previousValues(records, [...updates.keys()]);
    const createdIds = new Map<number, string>();
    if (creates.length) {
      const data = await writeBatch(records, this.objectName, 'create', creates.map((plan) => ({ ...plan.values, ...(ownerId ? { ownerId } : {}) })), creates.map((plan) => plan.rowNo));
      creates.forEach((plan, index) => createdIds.set(plan.rowNo, String(data[index]!.id)));
    }
    if (updates.size) {
      const entries = [...updates];
      await writeBatch(records, this.objectName, 'update', entries.map(([id, update]) => ({ id, ...update.values })), entries.map(([, update]) => update.rowNos[0]!));
    }

    const decided = new Map(outcomes.map((outcome) => [outcome.rowNo, outcome]));
    for (const plan of valid) {
      const outcome = decided.get(plan.rowNo);
      const into = mergedInto.get(plan.rowNo);
      if (outcome?.status === 'skipped') {
        if (into) outcome.match = { ...outcome.match!, recordId: createdIds.get(into.plan.rowNo)! };
        continue;
      }
      if (outcome) {
        outcome.recordId = createdIds.get(plan.rowNo);
        Object.assign(outcome, this.blockAndName(plan));
        continue;
      }
      if (into) {
        const recordId = createdIds.get(into.plan.rowNo)!;
        outcomes.push({ rowNo: plan.rowNo, status: 'updated', recordId, match: { recordId, score: into.score, fields: into.fields, inFile: true }, keys: plan.keys });
        continue;
      }
      if (createdIds.has(plan.rowNo)) {
        outcomes.push({ rowNo: plan.rowNo, status: 'created', recordId: createdIds.get(plan.rowNo), keys: plan.keys, ...this.blockAndName(plan) });
        continue;
      }
      const match = matches.get(plan.rowNo)!;
      const update = updates.get(match.recordId)!;
      // Undo restores the record as it was before the first row of the file that changed it.
      const first = update.rowNos[0] === plan.rowNo;
      outcomes.push({ rowNo: plan.rowNo, status: 'updated', recordId: match.recordId, match: { ...match, inFile: madeHere.has(match.recordId) }, ...(first && !madeHere.has(match.recordId) ? { previous: previous.get(match.recordId) } : {}), keys: plan.keys });
    }
    await this.saveOutcomes(db, outcomes, related);
    return rows.length;
  }

  private blockAndName(plan: RowPlan): { block?: string; name?: string } {
    const block = plan.name ? this.finder.blockOf(plan.values, plan.emailDomain)?.key : undefined;
    return block ? { block, name: plan.name! } : {};
  }

  private sameAsEarlier(plan: RowPlan, earlier: Map<string, RowPlan>, names: Map<string, RowPlan[]>, fuzzy: boolean): { plan: RowPlan; score: number; fields: string[] } | undefined {
    const key = plan.keys.find((candidate) => earlier.has(candidate));
    if (key) return { plan: earlier.get(key)!, score: 1, fields: [key.slice(0, key.indexOf(':'))] };
    if (!fuzzy || !plan.name) return undefined;
    const block = this.finder.blockOf(plan.values, plan.emailDomain)?.key;
    const others = block ? (names.get(block) ?? []).filter((other) => other.name) : [];
    const [best] = this.finder.similar(plan.name, others.map((other, index) => ({ id: String(index), name: other.name! })));
    return best ? { plan: others[Number(best.id)]!, score: best.score, fields: ['name'] } : undefined;
  }

  /** Records made by earlier batches of this import with a similar name in the same block: from its own rows, one indexed query. */
  private async similarMadeEarlier(db: Executor, plans: RowPlan[]): Promise<Map<number, Match>> {
    const byBlock = new Map<string, RowPlan[]>();
    for (const plan of plans) {
      const block = plan.name ? this.finder.blockOf(plan.values, plan.emailDomain)?.key : undefined;
      if (block) byBlock.set(block, [...(byBlock.get(block) ?? []), plan]);
    }
    const found = new Map<number, Match>();
    if (byBlock.size === 0) return found;
    // The status is checked here, not in SQL: a condition on it lets the planner, whose statistics
    // still see every row pending, walk all the rows made so far instead of the few in these blocks.
    const made = await db
      .select({ recordId: importRow.recordId, block: importRow.block, name: importRow.name, status: importRow.status })
      .from(importRow)
      .where(and(eq(importRow.importId, this.importId), inArray(importRow.block, [...byBlock.keys()])));
    const candidates = new Map<string, { id: string; name: string }[]>();
    for (const row of made) if (row.status === 'created' && row.block && row.name && row.recordId) candidates.set(row.block, [...(candidates.get(row.block) ?? []), { id: row.recordId, name: row.name }]);
    for (const [block, blockPlans] of byBlock) {
      for (const plan of blockPlans) {
        const [top] = this.finder.similar(plan.name!, candidates.get(block) ?? []);
        if (top) found.set(plan.rowNo, { recordId: top.id, score: top.score, fields: ['name'] });
      }
    }
    return found;
  }

  private async madeByThisImport(db: Executor, recordIds: string[]): Promise<Set<string>> {
    if (recordIds.length === 0) return new Set();
    // By the record index, the status checked here (see similarMadeEarlier).
    const rows = await db
      .select({ id: importRow.recordId, status: importRow.status })
      .from(importRow)
      .where(and(eq(importRow.importId, this.importId), inArray(importRow.recordId, recordIds)));
    return new Set(rows.filter((row) => row.status === 'created').map((row) => String(row.id)));
  }

  private async previousValues(records: TransactionRecords, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
    const previous = new Map<string, Record<string, unknown>>();
    const fields = this.planner.writtenFields();
    for (let start = 0; start < ids.length; start += 500) {
      const page = await records.list(this.objectName, { filter: { field: 'id', op: 'in', value: ids.slice(start, start + 500) }, fields: ['id', ...fields], limit: 500 });
      for (const record of page.data) {
        const { id, ...values } = record;
        // Relations come back expanded ({ id, … }): undo writes ids.
        for (const [name, value] of Object.entries(values)) if (value && typeof value === 'object' && 'id' in value && !Array.isArray(value)) values[name] = (value as { id: unknown }).id;
        previous.set(String(id), Object.fromEntries(fields.map((name) => [name, values[name] ?? null])));
      }
    }
    return previous;
  }

  private async saveOutcomes(db: Executor, outcomes: Outcome[], related: { object: string; id: string }[]): Promise<void> {
    // One jsonb parameter for the whole batch: a statement of 500 × 9 parameters costs more to build than to run.
    const values = outcomes.map((outcome) => ({ row_no: outcome.rowNo, status: outcome.status, record_id: outcome.recordId ?? null, reason: outcome.reason ?? null, match: outcome.match ?? null, previous: outcome.previous ?? null, keys: outcome.keys, block: outcome.block ?? null, name: outcome.name ?? null }));
    await db.execute(sql`
      update plugin_data_ops.import_row as r
      set status = v.status, record_id = v.record_id, reason = v.reason, match = v.match, previous = v.previous, keys = v.keys, block = v.block, name = v.name
      from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(row_no int, status text, record_id uuid, reason text, match jsonb, previous jsonb, keys text[], block text, name text)
      where r.import_id = ${this.importId} and r.row_no = v.row_no`);
    if (related.length) await db.insert(importRelated).values(related.map((record) => ({ importId: this.importId, object: record.object, recordId: record.id }))).onConflictDoNothing();
    const count = (status: Outcome['status']) => outcomes.filter((outcome) => outcome.status === status).length;
    await db
      .update(dataImport)
      .set({
        processed: sql`${dataImport.processed} + ${outcomes.length}`,
        created: sql`${dataImport.created} + ${count('created')}`,
        updated: sql`${dataImport.updated} + ${count('updated')}`,
        skipped: sql`${dataImport.skipped} + ${count('skipped')}`,
        rejected: sql`${dataImport.rejected} + ${count('rejected')}`,
        leaseUntil: sql`now() + ${`${LEASE_SECONDS} seconds`}::interval`,
      })
      .where(eq(dataImport.id, this.importId));
  }
}
