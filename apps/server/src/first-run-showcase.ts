import type { RunningServer } from '@rapport/server';

/** The plugins a newcomer's first start turns on with the demo data, when they are offered. */
const SHOWCASE = ['data-ops', 'activities', 'pipeline', 'leads'];

/**
 * A first `pnpm start` with demo data shows a living CRM: the sales plugins on, sample deals on the
 * board, open tasks and leads to score, through the same API and rights as anyone (a key made for the
 * occasion and revoked after). Anything that fails is logged and skipped: the server runs regardless.
 */
export async function firstRunShowcase(server: RunningServer): Promise<void> {
  const admin = server.firstRunAdmin;
  if (!admin) return;
  const { core, plugins, log } = server;
  const offered = new Set((await plugins.list()).map((plugin) => plugin.id));
  const access = await core.access.resolve(admin);
  const enabled: string[] = [];
  for (const id of SHOWCASE.filter((candidate) => offered.has(candidate))) {
    try {
      await plugins.enable(access, id);
      enabled.push(id);
    } catch (error) {
      log.warn({ err: error, plugin: id }, 'demo: could not enable a plugin');
    }
  }
  if (enabled.length === 0) return;
  const key = await core.identity.createApiKey(admin, { name: 'first-run demo' });
  const call = (path: string, body: unknown) =>
    fetch(`http://127.0.0.1:${server.port}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  try {
    if (enabled.includes('pipeline')) await call('/api/v1/plugins/pipeline/sample', {});
    const companies = (await core.records.list(admin, 'company', { limit: 3, sort: 'name' })).data;
    if (enabled.includes('activities')) {
      const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
      // With the pipeline, activities are about deals too: the board's rotting counts them.
      const deals = enabled.includes('pipeline') ? ((await core.records.list(admin, 'opportunity', { limit: 50 })).data as { id: string; company?: unknown }[]) : [];
      const dealOf = (companyId: string) => deals.find((deal) => (typeof deal.company === 'object' && deal.company ? (deal.company as { id?: string }).id : deal.company) === companyId)?.id;
      const tasks = companies.map((company, index) => ({ subject: ['Call back about the renewal', 'Send the proposal', 'Prepare the quarterly review'][index]!, kind: ['call', 'task', 'meeting'][index]!, dueAt: inDays(index + 1), company: company.id, ...(dealOf(company.id) ? { opportunity: dealOf(company.id) } : {}) }));
      await call('/api/v1/records/activity/batch', { operation: 'create', records: tasks });
    }
    if (enabled.includes('leads')) {
      const leads = await call('/api/v1/records/lead/batch', {
        operation: 'create',
        records: [
          { firstName: 'Camille', lastName: 'Roux', jobTitle: 'Directrice commerciale', email: 'camille.roux@example.fr', companyName: 'Roux Distribution', source: 'referral' },
          { firstName: 'Tom', lastName: 'Baker', jobTitle: 'Operations manager', email: 'tom.baker@example.co.uk', source: 'web' },
          { firstName: 'Léa', lastName: 'Morel', companyName: 'Atelier Morel', source: 'event' },
        ],
      });
      // A meeting with the first lead: it counts in her score (the default rules give points per recent meeting).
      const [first] = ((await leads.json()) as { data?: { id: string }[] }).data ?? [];
      if (first && enabled.includes('activities')) await call('/api/v1/records/activity', { subject: 'Discovery meeting', kind: 'meeting', done: true, lead: first.id });
    }
    log.info({ plugins: enabled }, 'first run: demo plugins enabled, with sample deals, tasks and leads');
  } catch (error) {
    log.warn({ err: error }, 'demo: could not add the sample data of the plugins');
  } finally {
    await core.identity.revokeApiKey(admin, key.key.id).catch(() => undefined);
  }
}
