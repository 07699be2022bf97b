import { z } from 'zod';
import { defineServer, refuse, type TransactionRecords } from '@rapport/sdk/server';
import manifest from './manifest';
import { DEFAULT_RULES, score, type ScoringRule } from './scoring';

const SCORE_FIELDS = ['score', 'scoreReasons'];

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

export default defineServer(manifest, (ctx) => {
  // Scored on every change but its own: the score and its reasons, written as the plugin.
  for (const type of ['record.created', 'record.updated'] as const) {
    ctx.events.on(type, async (event, records) => {
      if (event.object !== 'lead' || !event.recordId) return;
      const changes = (event.payload.changes as string[] | undefined) ?? [];
      if (type === 'record.updated' && changes.every((field) => SCORE_FIELDS.includes(field))) return;
      const lead = await records.get('lead', event.recordId).catch(() => null);
      if (!lead) return;
      const { rules } = (await ctx.settings.get()) as { rules?: ScoringRule[] };
      const result = score(lead, rules ?? DEFAULT_RULES);
      const reasons = result.reasons.join(', ');
      if (lead.score === result.score && (lead.scoreReasons ?? '') === reasons) return;
      await records.update('lead', event.recordId, { score: result.score, scoreReasons: reasons || null });
    });
  }

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
