import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { defineServer, newId, type PluginRecords, refuse, relationId } from '@rapport/sdk/server';
import manifest from './manifest';
import { stageChange } from './schema';
import { periods } from './stages';
import { computeFunnel, computeKpis, type Deal, funnelBySource, type Lead, kpisBy } from './kpis';
import type { ExchangeRate } from './exchange-rates';
import { DEFAULT_PIPELINES, type Pipeline, pipelineOf, REQUIRABLE_FIELDS } from './pipelines';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-01-31');
const kpiQuery = z.strictObject({
  from: isoDate.optional(),
  to: isoDate.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR').default('EUR'),
  pipeline: z.string().min(1).max(40).optional(),
});

interface Config {
  rottingDays: number;
  pipelines: Pipeline[];
  exchangeRates: ExchangeRate[];
}

/** How long a change saved through another server takes at most to reach this one's checks. */
const CONFIG_REFRESH_MS = 10_000;
const isEmpty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/** Leads created in the period, as the caller may read them; null when there is no lead object (or no right on it). */
async function readLeads(records: PluginRecords, from: string, to: string): Promise<Lead[] | null> {
  try {
    const description = await records.describe('lead');
    if (!description.fields.some((field) => field.name === 'convertedOpportunity')) return null;
  } catch {
    return null;
  }
  const leads: Lead[] = [];
  const filter = { and: [{ field: 'createdAt', op: 'gte', value: `${from}T00:00:00.000Z` }, { field: 'createdAt', op: 'lt', value: new Date(Date.parse(`${to}T00:00:00.000Z`) + 86_400_000).toISOString() }] };
  try {
    for await (const page of records.pages('lead', { limit: 500, filter, fields: ['id', 'source', 'createdAt', 'convertedOpportunity'] })) leads.push(...(page as unknown as Lead[]));
  } catch {
    return null;
  }
  return leads;
}

export default defineServer(manifest, async (ctx) => {
  // The checks of writes may not query (they run inside the write): they read this copy, kept fresh.
  let config: Config = { rottingDays: 14, pipelines: DEFAULT_PIPELINES, exchangeRates: [] };
  const readConfig = async (): Promise<Config> => {
    config = (await ctx.settings.get()) as unknown as Config;
    return config;
  };
  await readConfig();
  ctx.settings.onChange((values) => {
    config = values as unknown as Config;
  });
  // Saved through another server: read again now and then.
  const refresh = setInterval(() => void readConfig().catch((error: Error) => ctx.log.warn('could not read the pipeline settings', { error: error.message })), CONFIG_REFRESH_MS);
  refresh.unref();
  ctx.onDispose(() => clearInterval(refresh));

  /**
   * A deal's pipeline must exist, its stage be one of that pipeline's, and the fields the stage asks
   * for be filled: checked whenever one of them changes, so that a deal never enters a stage half-filled.
   */
  ctx.events.before('opportunity', (write) => {
    if (write.action !== 'create' && write.action !== 'update') return;
    const watched = new Set<string>(['pipeline', 'stage', ...REQUIRABLE_FIELDS]);
    if (write.action === 'update' && !write.changed.some((field) => watched.has(field))) return;
    const { pipelines } = config;
    const pipeline = pipelineOf(pipelines, write.after);
    if (!pipeline) {
      throw refuse(`There is no pipeline "${String(write.after.pipeline)}"`, [{ field: 'pipeline', code: 'unknown_pipeline', message: `must be one of ${pipelines.map((candidate) => candidate.key).join(', ')}` }]);
    }
    const stage = pipeline.stages.find((candidate) => candidate.stage === write.after.stage);
    if (!stage) {
      throw refuse(`"${String(write.after.stage)}" is not a stage of the pipeline ${pipeline.labels.en}`, [{ field: 'stage', code: 'not_in_pipeline', message: `must be one of ${pipeline.stages.map((candidate) => candidate.stage).join(', ')}` }]);
    }
    const missing = stage.requires.filter((field) => isEmpty(write.after[field]));
    if (missing.length) {
      throw refuse(`A deal in the stage "${stage.stage}" needs ${missing.join(' and ')}`, missing.map((field) => ({ field, code: 'required', message: `is required in the stage "${stage.stage}"` })));
    }
  });

  /** A created deal enters its first stage; a moved one leaves the last and enters the new one. */
  const record = async (workspaceId: string, opportunityId: string, toStage: string | null, actorId: string | null) => {
    const [last] = await ctx.db
      .select({ toStage: stageChange.toStage })
      .from(stageChange)
      .where(and(eq(stageChange.workspaceId, workspaceId), eq(stageChange.opportunityId, opportunityId)))
      .orderBy(desc(stageChange.at))
      .limit(1);
    if (last && last.toStage === toStage) return; // delivered twice (at least once), or no move
    // Told before the history is written: a retry after a failure between the two tells again (at least once), never not at all.
    await ctx.events.emit('stage_changed', { workspaceId, object: 'opportunity', recordId: opportunityId, payload: { opportunityId, from: last?.toStage ?? null, to: toStage, actorId } });
    await ctx.db.insert(stageChange).values({ id: newId(), workspaceId, opportunityId, fromStage: last?.toStage ?? null, toStage, actorId, at: new Date() });
  };

  /**
   * A deal has had an activity when one is logged on it, done, or moved onto it: its last-activity
   * date moves forward, never back (an older event delivered late leaves a newer date alone).
   */
  const stampActivity = async (records: PluginRecords, type: 'record.created' | 'record.updated', activityId: string, changes: string[]) => {
    const activity = await records.get('activity', activityId).catch(() => null);
    if (!activity) return;
    const happened = type === 'record.created' || (changes.includes('done') && activity.done === true) || changes.includes('opportunity');
    const dealId = relationId(activity.opportunity);
    if (!happened || !dealId) return;
    await records.advance('opportunity', dealId, 'lastActivityAt', String(type === 'record.created' ? activity.createdAt : activity.updatedAt));
  };

  for (const type of ['record.created', 'record.updated'] as const) {
    ctx.events.on(type, async (event, records) => {
      if (event.object === 'activity' && event.recordId) return stampActivity(records, type, event.recordId, (event.payload.changes as string[] | undefined) ?? []);
      if (event.object !== 'opportunity' || !event.recordId) return;
      const changes = (event.payload.changes as string[] | undefined) ?? [];
      if (type === 'record.updated' && !changes.includes('stage')) return;
      const actor = event.payload.actor as { id?: string } | undefined;
      // The stage this change moved it to (not the one it has now: two quick moves are two entries).
      const values = event.payload.values as Record<string, { new?: unknown }> | undefined;
      if (values && 'stage' in values) return record(event.workspaceId, event.recordId, (values.stage!.new as string | null) ?? null, actor?.id ?? null);
      if (type === 'record.updated') return;
      const opportunity = await records.get('opportunity', event.recordId).catch(() => null);
      if (!opportunity) return;
      await record(event.workspaceId, event.recordId, (opportunity.stage as string | null) ?? null, actor?.id ?? null);
    });
  }

  // An opportunity erased after its time in the trash takes its history with it.
  ctx.events.on('record.purged', async (event) => {
    if (event.object !== 'opportunity' || !event.recordId) return;
    await ctx.db.delete(stageChange).where(and(eq(stageChange.workspaceId, event.workspaceId), eq(stageChange.opportunityId, event.recordId)));
  });

  // The board's settings — pipelines, rotting, rates — for any reader of opportunities (`/settings` is the host's: plugin admins only).
  ctx.http.get('/board', async (c) => c.json(await readConfig()));

  // GET /api/v1/plugins/pipeline/opportunities/:id/history: the stages it went through and how long it stayed in each.
  ctx.http.get('/opportunities/:id/history', async (c, { records, caller }) => {
    const id = c.req.param('id') ?? '';
    await records.get('opportunity', id); // 404 unless the caller may read it
    const rows = await ctx.db
      .select()
      .from(stageChange)
      .where(and(eq(stageChange.workspaceId, caller.workspaceId), eq(stageChange.opportunityId, id)))
      .orderBy(asc(stageChange.at));
    return c.json({ data: periods(rows) });
  });

  /**
   * GET /api/v1/plugins/pipeline/kpis?from=&to=&currency=: win rate, deal size, sales cycle, pipeline,
   * velocity and forecast over the deals the caller may see (a rep's own, a manager's team's…).
   */
  ctx.http.get('/kpis', async (c, { records, caller }) => {
    const parsed = kpiQuery.safeParse(c.req.query());
    if (!parsed.success) throw refuse('The figures need a valid period and currency', parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'query', code: issue.code, message: issue.message })));
    const year = new Date().getUTCFullYear();
    const { from = `${year}-01-01`, to = `${year}-12-31`, currency, pipeline } = parsed.data;
    const { pipelines, exchangeRates } = await readConfig();
    if (pipeline && !pipelines.some((candidate) => candidate.key === pipeline)) throw refuse(`There is no pipeline "${pipeline}"`, [{ field: 'pipeline', code: 'unknown_pipeline', message: `must be one of ${pipelines.map((candidate) => candidate.key).join(', ')}` }]);
    if (from > to) throw refuse('"from" must not be after "to"', [{ field: 'from', code: 'after_to', message: 'must not be after "to"' }]);
    const deals: Deal[] = [];
    for await (const page of records.pages('opportunity', { limit: 500, fields: ['id', 'pipeline', 'stage', 'amount', 'closeDate', 'createdAt', 'probability', 'ownerId', 'source'] })) {
      deals.push(...(page as unknown as Deal[]).filter((deal) => !pipeline || pipelineOf(pipelines, deal)?.key === pipeline));
    }
    const options = { from, to, currency, pipelines, exchangeRates };
    const wonStages = new Set(pipelines.flatMap((candidate) => candidate.stages.filter((stage) => stage.outcome === 'won').map((stage) => stage.stage)));
    const wonIds = deals.filter((deal) => wonStages.has(deal.stage)).map((deal) => deal.id);
    const wonAt = new Map<string, Date>();
    for (let start = 0; start < wonIds.length; start += 1000) {
      const rows = await ctx.db
        .select({ id: stageChange.opportunityId, at: stageChange.at })
        .from(stageChange)
        .where(and(eq(stageChange.workspaceId, caller.workspaceId), inArray(stageChange.toStage, [...wonStages]), inArray(stageChange.opportunityId, wonIds.slice(start, start + 1000))))
        .orderBy(asc(stageChange.at));
      for (const row of rows) if (!wonAt.has(row.id)) wonAt.set(row.id, row.at);
    }
    // The funnel reads the leads plugin's leads when it runs and the caller may read them; null otherwise.
    const leads = await readLeads(records, from, to);
    const funnel = leads ? { ...computeFunnel(leads, deals, options), bySource: funnelBySource(leads, deals, options) } : null;
    return c.json({ ...computeKpis(deals, wonAt, options), byOwner: kpisBy('ownerId', deals, wonAt, options), bySource: kpisBy('source', deals, wonAt, options), funnel });
  });

  // POST /api/v1/plugins/pipeline/sample: a few deals on existing companies, for a first look at the board.
  ctx.http.post('/sample', async (c, { records }) => {
    const existing = await records.list('opportunity', { limit: 1 });
    if (existing.data.length > 0) throw refuse('There are opportunities already: sample deals are for an empty pipeline', [{ field: 'opportunity', code: 'not_empty', message: 'is not empty' }]);
    const companies = (await records.list('company', { limit: 8, sort: 'name' })).data;
    if (companies.length === 0) throw refuse('Add a company first: sample deals belong to companies', [{ field: 'company', code: 'empty', message: 'has no record' }]);
    const today = new Date();
    const inDays = (days: number) => new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
    // In the first pipeline, whatever its stages now.
    const { stages } = (await readConfig()).pipelines[0]!;
    // Someone of the company on the deal, as the one who decides, when it has people.
    const deciders = new Map<string, string>();
    for (const company of companies) {
      const [person] = (await records.list('person', { filter: { field: 'company', op: 'eq', value: company.id }, limit: 1, fields: ['id'] })).data;
      if (person) deciders.set(company.id, person.id);
    }
    const deals = companies.map((company, index) => {
      const stage = stages[index % stages.length]!;
      const closed = stage.outcome !== 'open';
      return {
        name: `${String(company.name)} — ${['Pilot', 'Renewal', 'Expansion', 'Licences', 'Services', 'Training'][index % 6]}`,
        stage: stage.stage,
        company: company.id,
        amount: { amountMinor: (index + 2) * 750_000, currency: 'EUR' },
        // Closed deals closed recently, open ones close ahead: the figures have something to show.
        closeDate: closed ? inDays(-(3 + index)) : inDays(15 + index * 9),
        probability: stage.probability,
        source: ['inbound', 'outbound', 'referral', 'partner'][index % 4],
        ...(deciders.has(company.id) ? { contacts: [{ id: deciders.get(company.id)!, role: 'decision_maker' }] } : {}),
        ...(stage.outcome === 'lost' || stage.requires.includes('lostReason') ? { lostReason: 'Went with a competitor' } : {}),
      };
    });
    const created = await records.batch('opportunity', { operation: 'create', records: deals });
    return c.json({ created: created.data.length }, 201);
  });
});
