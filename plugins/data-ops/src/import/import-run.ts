import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { PluginRecords, PluginServerContext, TransactionRecords } from '@rapport/sdk/server';
import type { Executor } from '@rapport/sdk/server';
import { DuplicateFinder, type Match } from './duplicate-finder';
import { parseSettings, type ImportSettings } from './import-settings';
import { type BatchLinks, newBatchLinks, RelationResolver } from './relation-resolver';
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
 * One batch's transaction, and what later batches must know of it while it is still being written:
 * its rows' identifying keys, the names it creates by block, the existing records it updates and the
 * related records it creates. A later batch that shares any of them waits for it to end before
 * looking them up, since until then the database does not show them.
 */
class Batch {
  claimed = 0;
  end = 0;
  error: unknown;
  readonly keys = new Set<string>();
  readonly names = new Map<string, string[]>();
  readonly updates = new Set<string>();
  readonly links: BatchLinks = newBatchLinks();
  related: { object: string; id: string }[] = [];
  /** Resolves once the batch has decided what to write (or has ended): the next one may start. */
  readonly decided: Promise<void>;
  /** Resolves when its transaction has ended, committed or not (never rejects: see `error`). */
  settled: Promise<void> = Promise.resolve();
  private markDecided!: () => void;

  constructor(readonly cursor: number) {
    this.decided = new Promise((resolve) => (this.markDecided = resolve));
  }

  start(transaction: Promise<unknown>): void {
    this.settled = transaction
      .then(
        () => undefined,
        (error: unknown) => void (this.error = error ?? new Error('the batch failed')),
      )
      .finally(() => this.markDecided());
  }

  decide(): void {
    this.markDecided();
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

  /** Rows this run wrote, and the count at which it analyzes the staging table next (see `settle`). */
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

  /**
   * Batches go one after another, but on PostgreSQL the next one is read, cleaned and matched while
   * the database writes the one before (`jobs.concurrency` transactions at once), which keeps both
   * cores busy. A batch whose rows could be the same as rows of a batch still being written waits for
   * it before looking (see `Batch`), so the decisions are those of one batch after the other; if that
   * batch is then refused, this one found nothing of it, and its rows, written again later, find this
   * one's records instead.
   */
  async run(records: PluginRecords): Promise<void> {
    const open: Batch[] = [];
    /** Rows up to this one were claimed; the next batch is read after it, by the primary key (a scan of "pending" rows from the start walks past every row written, and slowed a 1M-row import to a third of its speed half way). */
    let cursor = 0;
    /** Where this pass over the rows began: one that began at the first row and found nothing left ends the run. */
    let passStart = 0;
    let restartAt = Number.POSITIVE_INFINITY;
    let failure: unknown;
    const note = (batch: Batch, outcome: Awaited<ReturnType<ImportRun['settle']>>) => {
      if (outcome === 'redo') restartAt = Math.min(restartAt, batch.cursor);
      else if (outcome !== 'done') failure ??= outcome.error;
      return outcome === 'done';
    };
    for (;;) {
      const oldest = open.length >= Math.max(1, this.ctx.jobs.concurrency) ? open.shift()! : undefined;
      if (!oldest || note(oldest, await this.settle(oldest))) {
        const batch = new Batch(cursor);
        const writing = [...open];
        open.push(batch);
        batch.start(records.transaction((tx, db) => this.batch(tx, db, batch, writing)));
        await batch.decided;
        if (batch.error === undefined && batch.claimed > 0) {
          cursor = batch.end;
          continue;
        }
      }
      // Nothing more after the cursor, or a batch failed: let every open batch end, then see.
      for (const batch of open.splice(0)) note(batch, await this.settle(batch));
      if (failure) throw failure;
      if (restartAt !== Number.POSITIVE_INFINITY) {
        // Refused rows were marked: the other rows of those batches are written again.
        cursor = restartAt;
        passStart = Math.min(passStart, restartAt);
        restartAt = Number.POSITIVE_INFINITY;
        continue;
      }
      // Rows behind the cursor left pending (another run's batch rolled back): one scan from the start.
      if (passStart === 0) break;
      cursor = passStart = 0;
    }
    await this.ctx.db
      .update(dataImport)
      .set({ status: 'done', finishedAt: new Date(), leaseUntil: null })
      .where(and(eq(dataImport.id, this.importId), eq(dataImport.status, 'running')));
  }

  /** Waits for a batch's transaction: 'done' once committed, 'redo' when it was refused (its refused rows marked), or its error. */
  private async settle(batch: Batch): Promise<'done' | 'redo' | { error: unknown }> {
    await batch.settled;
    if (batch.error === undefined) {
      this.relations.commit(batch.links);
      for (const record of batch.related) this.madeCompanies.add(record.id);
      this.written += batch.claimed;
      if (this.written >= this.analyzeAt) {
        // The lookups of rows made so far are planned on the staging table's statistics, which still
        // see every row pending and without a record: with them, "these records" became a walk of all
        // the import's rows (0.5 s a batch by the 800,000th row). Each time the rows written double;
        // not awaited (it took 1.4 s of a 100k-row import's wall time): the next batches go on meanwhile.
        this.ctx.db.execute(sql`analyze ${importRow}`).catch(() => {
          // Statistics only steer plans: a failed analysis (the database closing) is retried at the next doubling.
        });
        this.analyzeAt = this.written * 2;
      }
      // A long import must not freeze the CRM on the embedded database.
      await this.ctx.jobs.yieldToRequests();
      return 'done';
    }
    if (!(batch.error instanceof RefusedRows)) return { error: batch.error };
    // The batch was rolled back: mark the refused rows; the others are written again.
    await this.reject(batch.error.rows);
    return 'redo';
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
  private async batch(records: TransactionRecords, db: Executor, batch: Batch, writing: Batch[]): Promise<number> {
    const rows = await db
      .select({ rowNo: importRow.rowNo, cells: importRow.cells })
      .from(importRow)
      .where(and(eq(importRow.importId, this.importId), gt(importRow.rowNo, batch.cursor), eq(importRow.status, 'pending')))
      .orderBy(importRow.importId, importRow.rowNo)
      .limit(BATCH_ROWS)
      .for('update', { skipLocked: true });
    batch.claimed = rows.length;
    batch.end = rows.at(-1)?.rowNo ?? batch.cursor;
    if (rows.length === 0) return 0;
    const plans = rows.map((row) => this.planner.plan(row.rowNo, row.cells));
    const outcomes: Outcome[] = [];
    const valid: RowPlan[] = [];
    for (const plan of plans) {
      if (plan.errors.length) outcomes.push({ rowNo: plan.rowNo, status: 'rejected', reason: plan.errors.map((error) => error.message).join('; '), keys: plan.keys });
      else valid.push(plan);
    }
    // Rows the batches still being written could also have: wait for them, so the lookups below see them.
    let waited = writing.length === 0;
    const waitForWriting = async () => {
      if (waited) return;
      waited = true;
      await Promise.all(writing.map((other) => other.settled));
    };
    if (writing.some((other) => valid.some((plan) => plan.keys.some((key) => other.keys.has(key))) || this.relations.namesAnyOf(valid, other.links))) await waitForWriting();
    const ownerId = this.settings.ownerId;
    const related = await this.relations.resolve(records, valid, this.settings.missingRelations === 'create', ownerId, batch.links);
    batch.related = related;
    const { mode, fuzzy } = this.settings.duplicates;
    const relatedIds = new Set(related.map((record) => record.id));
    const madeCompanies = { has: (id: string) => this.madeCompanies.has(id) || relatedIds.has(id) };
    const lookUp = async () => {
      const found = await this.finder.find(records, valid, fuzzy, madeCompanies);
      if (fuzzy) for (const [rowNo, match] of await this.similarMadeEarlier(db, valid.filter((plan) => !found.has(plan.rowNo)))) found.set(rowNo, match);
      return found;
    };
    let matches = await lookUp();
    if (fuzzy && !waited && this.similarToWriting(valid.filter((plan) => !matches.has(plan.rowNo)), writing)) {
      await waitForWriting();
      matches = await lookUp();
    }
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

    // Records a batch still being written updates too: after it, so that this one's "before" is its "after".
    if (writing.some((other) => [...updates.keys()].some((id) => other.updates.has(id)))) await waitForWriting();
    for (const plan of valid) for (const key of plan.keys) batch.keys.add(key);
    for (const plan of creates) {
      const block = plan.name ? this.finder.blockOf(plan.values, plan.emailDomain)?.key : undefined;
      if (block) batch.names.set(block, [...(batch.names.get(block) ?? []), plan.name!]);
    }
    for (const id of updates.keys()) batch.updates.add(id);
    batch.decide();

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

  /** Whether a row has a name similar to one a batch still being written creates in the same block. */
  private similarToWriting(plans: RowPlan[], writing: Batch[]): boolean {
    return plans.some((plan) => {
      const block = plan.name ? this.finder.blockOf(plan.values, plan.emailDomain)?.key : undefined;
      return Boolean(block) && writing.some((other) => this.finder.similar(plan.name!, (other.names.get(block!) ?? []).map((name) => ({ id: '', name }))).length > 0);
    });
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
    // What a row does not have is left out (read as null), not sent as null.
    const values = outcomes.map((outcome) => ({ row_no: outcome.rowNo, status: outcome.status, record_id: outcome.recordId, reason: outcome.reason, match: outcome.match, previous: outcome.previous, keys: outcome.keys, block: outcome.block, name: outcome.name }));
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
