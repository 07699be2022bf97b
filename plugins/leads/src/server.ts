import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineServer, type PluginRecords, refuse, relationId, type TransactionRecords } from '@rapport/sdk/server';
import manifest from './manifest';
import { scoredWorkspace } from './schema';
import { DEFAULT_RULES, isActivityRule, type LeadActivity, lookBackDays, score, type ScoringRule } from './scoring';

/** The lead's fields the plugin keeps itself: their changes are not a reason to score again. */
const OWN_FIELDS = ['score', 'scoreReasons', 'lastActivityAt'];

const convertSchema = z.strictObject({
  opportunity: z.strictObject({ name: z.string().trim().min(1).max(200), amount: z.unknown().optional(), closeDate: z.string().optional() }).optional(),
});

/** An existing company by the lead's company name, else by its email's domain; created when none. */
async function companyFor(records: TransactionRecords, lead: Record<string, unknown>): Promise<{ id: string; created: boolean } | null> {
  const name = typeof lead.companyName === 'string' ? lead.companyName.trim() : '';
  const domain = typeof lead.email === 'string' ? lead.email.split('@')[1]?.toLowerCase() : undefined;
  if (name) {
    const [byName] = (await records.list('company', { filter: { field: 'name', op: 'eq', value: name }, limit: 1 })).data;
    if (byName) return { id: byName.id, created: false };
  }
  if (domain) {
    const [byDomain] = (await records.list('company', { filter: { field: 'domain', op: 'eq', value: domain }, limit: 1 })).data;
    if (byDomain) return { id: byDomain.id, created: false };
  }
  if (!name) return null;
  return { id: (await records.create('company', { name, ...(domain ? { domain } : {}) })).id, created: true };
}

/** The activity fields that link an activity to a lead: the plugin's own `lead`, and any other a workspace adds. */
async function leadLinks(records: PluginRecords): Promise<string[]> {
  const activity = await records.describe('activity').catch(() => null);
  return (activity?.fields ?? []).filter((field) => field.relation?.kind === 'manyToOne' && field.relation.target === 'lead').map((field) => field.name);
}


export default defineServer(manifest, (ctx) => {
  const rulesNow = async () => ((await ctx.settings.get()) as { rules?: ScoringRule[] }).rules ?? DEFAULT_RULES;
  // New rules apply to every lead at once, in the background (the nightly job's work, now).
  ctx.settings.onChange(async () => {
    await ctx.jobs.enqueue('rescore', { rulesChanged: true });
  });

  /** The lead's activities of the period its activity rules look at, as the plugin reads them. */
  const activitiesOf = async (records: PluginRecords, leadId: string, days: number): Promise<LeadActivity[]> => {
    if (days === 0) return [];
    const since = new Date(Date.now() - days * 86_400_000).toISOString();
    const found: LeadActivity[] = [];
    for (const link of await leadLinks(records)) {
      for await (const page of records.pages('activity', { filter: { and: [{ field: link, op: 'eq', value: leadId }, { field: 'createdAt', op: 'gte', value: since }] }, fields: ['id', 'kind', 'createdAt'], limit: 500 })) {
        found.push(...page.map((activity) => ({ kind: String(activity.kind), at: String(activity.createdAt) })));
      }
    }
    return found;
  };

  /** Scores one lead again: its fields and its recent activities; written only when it changed. */
  const rescore = async (records: PluginRecords, leadId: string, rules: ScoringRule[]): Promise<void> => {
    const lead = await records.get('lead', leadId).catch(() => null);
    if (!lead) return;
    const result = score(lead, rules, await activitiesOf(records, leadId, lookBackDays(rules)));
    const reasons = result.reasons.join(', ');
    if (lead.score === result.score && (lead.scoreReasons ?? '') === reasons) return;
    await records.update('lead', leadId, { score: result.score, scoreReasons: reasons || null });
  };

  const remember = (workspaceId: string) => ctx.db.insert(scoredWorkspace).values({ workspaceId }).onConflictDoUpdate({ target: scoredWorkspace.workspaceId, set: { seenAt: sql`now()` } });

  // Scored on every change but its own, and when an activity linked to it is logged, moved or changed.
  for (const type of ['record.created', 'record.updated'] as const) {
    ctx.events.on(type, async (event, records) => {
      if (!event.recordId) return;
      if (event.object === 'lead') {
        const changes = (event.payload.changes as string[] | undefined) ?? [];
        if (type === 'record.updated' && changes.every((field) => OWN_FIELDS.includes(field))) return;
        await remember(event.workspaceId);
        await rescore(records, event.recordId, await rulesNow());
        return;
      }
      if (event.object !== 'activity') return;
      const links = await leadLinks(records);
      const changes = (event.payload.changes as string[] | undefined) ?? [];
      const activity = await records.get('activity', event.recordId).catch(() => null);
      // Its leads have had an activity when it is logged, done, or moved onto them.
      if (activity && (type === 'record.created' || (changes.includes('done') && activity.done === true) || changes.some((field) => links.includes(field)))) {
        const at = String(type === 'record.created' ? activity.createdAt : activity.updatedAt);
        // Forward, never back: an older event delivered late leaves a newer date alone.
        for (const link of links) if (relationId(activity[link])) await records.advance('lead', relationId(activity[link])!, 'lastActivityAt', at);
      }
      const rules = await rulesNow();
      if (!rules.some(isActivityRule)) return;
      const values = (event.payload.values ?? {}) as Record<string, { old?: unknown; new?: unknown }>;
      // The leads it is linked to now, and those it was linked to before (which lose its points).
      const leads = new Set<string>();
      for (const link of links) {
        if (values[link]) for (const value of [values[link].old, values[link].new]) if (relationId(value)) leads.add(relationId(value)!);
      }
      if (leads.size === 0) {
        for (const link of links) if (activity && relationId(activity[link])) leads.add(relationId(activity[link])!);
      }
      for (const leadId of leads) await rescore(records, leadId, rules);
    });
  }

  // Nightly, as activities age out of their rules' periods (scores change with no event), and when the rules are saved: every lead of every workspace seen.
  ctx.jobs.handle('rescore', async (data, recordsOf) => {
    const rules = await rulesNow();
    // At night, only activity rules can change a score (their activities age); new rules change any.
    if (data.rulesChanged !== true && !rules.some(isActivityRule)) return { rescored: 0 };
    let rescored = 0;
    for (const { workspaceId } of await ctx.db.select({ workspaceId: scoredWorkspace.workspaceId }).from(scoredWorkspace)) {
      const records = recordsOf(workspaceId);
      for await (const page of records.pages('lead', { fields: ['id'], limit: 200 })) {
        for (const lead of page) {
          await rescore(records, String(lead.id), rules);
          rescored += 1;
        }
        await ctx.jobs.yieldToRequests();
      }
    }
    return { rescored };
  });

  /**
   * POST /api/v1/plugins/leads/leads/:id/convert: the lead becomes a person at a company (an existing
   * one when it matches by name or email domain, else a new one), and an opportunity if asked; all in
   * one transaction, as the calling user. The lead keeps its history and points at what it became.
   */
  ctx.http.post('/leads/:id/convert', async (c, { records }) => {
    const body = await c.req.json().catch(() => ({}));
    const parsed = convertSchema.safeParse(body);
    if (!parsed.success) throw refuse('The conversion request is not valid', parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', code: issue.code, message: issue.message })));
    const id = c.req.param('id') ?? '';
    const result = await records.transaction(async (tx) => {
      const lead = await tx.get('lead', id);
      if (lead.status === 'converted') throw refuse('This lead is converted already', [{ field: 'status', code: 'converted', message: 'is converted already' }]);
      const company = await companyFor(tx, lead);
      const email = typeof lead.email === 'string' ? lead.email.toLowerCase() : undefined;
      const [existingPerson] = email ? (await tx.list('person', { filter: { field: 'email', op: 'eq', value: email }, limit: 1 })).data : [];
      const person = existingPerson
        ? { id: existingPerson.id, created: false }
        : { id: (await tx.create('person', { firstName: lead.firstName ?? null, lastName: lead.lastName, email: email ?? null, phone: lead.phone ?? null, jobTitle: lead.jobTitle ?? null, ...(company ? { company: company.id } : {}) })).id, created: true };
      const opportunity = parsed.data.opportunity
        ? await tx.create('opportunity', { name: parsed.data.opportunity.name, ...(parsed.data.opportunity.amount !== undefined ? { amount: parsed.data.opportunity.amount } : {}), ...(parsed.data.opportunity.closeDate ? { closeDate: parsed.data.opportunity.closeDate } : {}), ...(company ? { company: company.id } : {}), source: lead.source === 'referral' ? 'referral' : 'inbound' })
        : null;
      await tx.update('lead', id, { status: 'converted', convertedPerson: person.id, convertedCompany: company?.id ?? null, convertedOpportunity: opportunity?.id ?? null });
      return { company, person, opportunity: opportunity ? { id: opportunity.id } : null };
    });
    return c.json(result, 201);
  });
});
