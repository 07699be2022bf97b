import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, EmptyState, Input, Select } from '@rapport/ui';
import { useRapport } from '@rapport/sdk/web';
import { useState, type DragEvent } from 'react';
import { totalIn } from '../exchange-rates';
import { pipelineOf, type Stage } from '../pipelines';
import { json, money, useBoardConfig, useFieldOptions, useMembers, useWorkspaceCurrency } from './common';

interface Opportunity {
  id: string;
  name: string;
  pipeline?: string | null;
  stage: string;
  amount?: { amountMinor: number; currency: string } | null;
  closeDate?: string | null;
  updatedAt: string;
  /** What its ETag quotes: a move is sent with If-Match, refused (412) if someone changed the deal since. */
  version: number;
  lastActivityAt?: string | null;
  ownerId?: string | null;
  source?: string | null;
  company?: { id: string; name?: string } | string | null;
}

interface Filters {
  text: string;
  owner: string;
  source: string;
}

const NO_FILTER: Filters = { text: '', owner: '', source: '' };

const DAY = 86_400_000;

/**
 * The board of one pipeline: a column per stage, in the pipeline's order, cards moved by drag and drop.
 * A move shows at once and is undone if the server refuses it (a required amount, a rule, a right).
 * Totals are in the workspace's currency at the admins' rates; amounts with no rate are shown apart.
 */
export function Board() {
  const { fetch, t, locale, navigate } = useRapport();
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [filters, setFilters] = useState<Filters>(NO_FILTER);
  const users = useMembers();
  const { optionsOf } = useFieldOptions('opportunity');
  const { config, options, isLoading, error: configError } = useBoardConfig();
  const { currency } = useWorkspaceCurrency();
  const key = ['pipeline', 'opportunities'];
  const deals = useQuery({
    queryKey: key,
    queryFn: async () => {
      const all: Opportunity[] = [];
      let cursor: string | null = null;
      do {
        const page: { data: Opportunity[]; pageInfo: { nextCursor: string | null; hasMore: boolean } } = await json(await fetch(`/api/v1/records/opportunity?limit=500&expand=company&fields=id,name,pipeline,stage,amount,closeDate,updatedAt,lastActivityAt,ownerId,source,company,version${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
        all.push(...page.data);
        cursor = page.pageInfo.hasMore ? page.pageInfo.nextCursor : null;
      } while (cursor);
      return all;
    },
  });
  const move = useMutation({
    mutationFn: async ({ id, stage, version }: { id: string; stage: string; version: number }) => {
      const response = await fetch(`/api/v1/records/opportunity/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json', 'if-match': `"${version}"` }, body: JSON.stringify({ stage }) });
      if (response.status === 412) throw new Error(t({ en: 'Someone changed this deal meanwhile: the board shows it as it is now. Move it again if need be.', fr: 'Quelqu’un a modifié cette affaire entre-temps : le tableau la montre telle qu’elle est. Déplacez-la de nouveau si besoin.' }));
      return json(response);
    },
    onMutate: async ({ id, stage }) => {
      setError(null);
      await client.cancelQueries({ queryKey: key });
      const previous = client.getQueryData<Opportunity[]>(key);
      client.setQueryData<Opportunity[]>(key, (current) => current?.map((deal) => (deal.id === id ? { ...deal, stage } : deal)));
      return { previous };
    },
    onError: (caught, _move, context) => {
      client.setQueryData(key, context?.previous);
      setError((caught as Error).message);
    },
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
  const sample = useMutation({
    mutationFn: async () => json(await fetch('/api/v1/plugins/pipeline/sample', { method: 'POST' })),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
    onError: (caught) => setError((caught as Error).message),
  });
  if (deals.isLoading || isLoading) return <p className="r-muted">…</p>;
  if (deals.error || configError || !config) return <Alert>{String(((deals.error ?? configError) as Error | null)?.message ?? '')}</Alert>;
  if (!deals.data?.length) {
    return (
      <EmptyState title={t({ en: 'No opportunity yet', fr: 'Aucune opportunité pour l’instant' })} action={<Button variant="primary" onClick={() => sample.mutate()} disabled={sample.isPending}>{t({ en: 'Add sample deals', fr: 'Ajouter des exemples' })}</Button>}>
        {t({ en: 'Create one from the Opportunities list, or start with a few sample deals.', fr: 'Créez-en une depuis la liste des opportunités, ou commencez par quelques exemples.' })}
      </EmptyState>
    );
  }
  const pipeline = config.pipelines.find((candidate) => candidate.key === chosen) ?? config.pipelines[0]!;
  const text = filters.text.trim().toLocaleLowerCase();
  const company = (deal: Opportunity) => (typeof deal.company === 'object' && deal.company ? String(deal.company.name ?? '') : '');
  const shown = (deal: Opportunity) =>
    (!text || deal.name.toLocaleLowerCase().includes(text) || company(deal).toLocaleLowerCase().includes(text)) &&
    (!filters.owner || deal.ownerId === filters.owner) &&
    (!filters.source || (filters.source === '-' ? !deal.source : deal.source === filters.source));
  const inPipeline = deals.data.filter((deal) => pipelineOf(config.pipelines, deal)?.key === pipeline.key && shown(deal));
  const sourceOptions = optionsOf('source');
  const known = new Set(pipeline.stages.map((stage) => stage.stage));
  // Deals left in a stage the pipeline no longer has: shown, so that none is lost from sight.
  const strays = inPipeline.filter((deal) => !known.has(deal.stage));
  const labelOf = (stage: string) => {
    const option = options.find((candidate) => candidate.value === stage);
    return option ? t(option.labels) : stage;
  };
  // Rotting: no change to the deal and no activity on it for the stage's days.
  const lastTouched = (deal: Opportunity) => Math.max(new Date(deal.updatedAt).getTime(), deal.lastActivityAt ? new Date(deal.lastActivityAt).getTime() : 0);
  const rotting = (deal: Opportunity, stage: Stage | undefined) => Boolean(stage && stage.outcome === 'open') && Date.now() - lastTouched(deal) > (stage?.rottingDays ?? config.rottingDays) * DAY;
  const onDrop = (stage: string) => (event: DragEvent) => {
    event.preventDefault();
    setOver(null);
    const id = event.dataTransfer.getData('text/plain');
    const deal = inPipeline.find((candidate) => candidate.id === id);
    if (deal && deal.stage !== stage) move.mutate({ id, stage, version: deal.version });
  };
  const columns: { value: string; label: string; stage?: Stage; cards: Opportunity[] }[] = [
    ...pipeline.stages.map((stage) => ({ value: stage.stage, label: labelOf(stage.stage), stage, cards: inPipeline.filter((deal) => deal.stage === stage.stage) })),
    ...(strays.length ? [{ value: '', label: t({ en: 'Stages not in this pipeline', fr: 'Étapes hors de ce pipeline' }), cards: strays }] : []),
  ];
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <div style={{ display: 'flex', gap: 10, flexWrap: 'wrap', alignItems: 'center' }} data-testid="board-filters">
        {config.pipelines.length > 1 ? (
          <Select value={pipeline.key} onChange={(event) => setChosen(event.target.value)} data-testid="pipeline-choice" aria-label={t({ en: 'Pipeline', fr: 'Pipeline' })} style={{ width: 'auto', minWidth: 180 }}>
            {config.pipelines.map((candidate) => <option key={candidate.key} value={candidate.key}>{t(candidate.labels)}</option>)}
          </Select>
        ) : null}
        <Input type="search" value={filters.text} onChange={(event) => setFilters({ ...filters, text: event.target.value })} placeholder={t({ en: 'Deal or company…', fr: 'Affaire ou entreprise…' })} aria-label={t({ en: 'Find a deal', fr: 'Chercher une affaire' })} style={{ width: 220 }} />
        <Select value={filters.owner} onChange={(event) => setFilters({ ...filters, owner: event.target.value })} aria-label={t({ en: 'Owner', fr: 'Responsable' })} style={{ width: 'auto', minWidth: 160 }}>
          <option value="">{t({ en: 'All owners', fr: 'Tous les responsables' })}</option>
          {(users.data ?? []).map((user) => <option key={user.id} value={user.id}>{user.name}</option>)}
        </Select>
        <Select value={filters.source} onChange={(event) => setFilters({ ...filters, source: event.target.value })} aria-label={t({ en: 'Source', fr: 'Origine' })} style={{ width: 'auto', minWidth: 160 }}>
          <option value="">{t({ en: 'All sources', fr: 'Toutes les origines' })}</option>
          {sourceOptions.map((option) => <option key={option.value} value={option.value}>{t(option.labels)}</option>)}
          <option value="-">{t({ en: 'No source', fr: 'Sans origine' })}</option>
        </Select>
        {filters !== NO_FILTER ? <Button type="button" onClick={() => setFilters(NO_FILTER)}>{t({ en: 'Clear', fr: 'Effacer' })}</Button> : null}
      </div>
      {error ? <Alert>{error}</Alert> : null}
      <div style={{ display: 'grid', gridAutoFlow: 'column', gridAutoColumns: 'minmax(220px, 1fr)', gap: 12, overflowX: 'auto', alignItems: 'start' }} data-testid="pipeline-board" data-pipeline={pipeline.key}>
        {columns.map((column) => {
          const sums = totalIn(config.exchangeRates, column.cards, currency);
          return (
            <section
              key={column.value || 'strays'}
              aria-label={column.label}
              data-stage={column.value || undefined}
              onDragOver={column.stage ? (event) => { event.preventDefault(); setOver(column.value); } : undefined}
              onDragLeave={() => setOver((current) => (current === column.value ? null : current))}
              onDrop={column.stage ? onDrop(column.value) : undefined}
              className="r-card"
              style={{ padding: 10, display: 'grid', gap: 8, alignContent: 'start', minHeight: 240, background: over === column.value ? 'var(--accent-soft)' : 'var(--surface-2)' }}
            >
              <header style={{ display: 'grid', gap: 2 }}>
                <strong>{column.label} <span className="r-muted">· {column.cards.length}</span></strong>
                <span className="r-muted" style={{ fontSize: 12 }} data-testid={`total-${column.value}`}>{Object.entries(sums).map(([code, minor]) => money(locale, minor, code)).join(' + ') || '—'}</span>
              </header>
              {column.cards.map((deal) => (
                <article
                  key={deal.id}
                  draggable
                  onDragStart={(event) => event.dataTransfer.setData('text/plain', deal.id)}
                  onDoubleClick={() => navigate(`/objects/opportunity/${deal.id}`)}
                  className="r-card"
                  data-deal={deal.name}
                  data-rotting={rotting(deal, column.stage) || undefined}
                  style={{ padding: 10, cursor: 'grab', display: 'grid', gap: 2, borderColor: rotting(deal, column.stage) ? 'var(--warning)' : undefined }}
                >
                  <a href={`/objects/opportunity/${deal.id}`} onClick={(event) => { event.preventDefault(); navigate(`/objects/opportunity/${deal.id}`); }}>{deal.name}</a>
                  <span className="r-muted" style={{ fontSize: 12 }}>
                    {[company(deal), deal.amount ? money(locale, deal.amount.amountMinor, deal.amount.currency) : '', column.stage ? '' : labelOf(deal.stage)].filter(Boolean).join(' · ')}
                  </span>
                  {rotting(deal, column.stage) ? (
                    <span style={{ fontSize: 12, color: 'var(--warning)' }}>
                      {deal.lastActivityAt
                        ? t({ en: `No activity since ${new Date(deal.lastActivityAt).toLocaleDateString('en')}`, fr: `Aucune activité depuis le ${new Date(deal.lastActivityAt).toLocaleDateString('fr')}` })
                        : t({ en: 'No change or activity for a while', fr: 'Ni changement ni activité depuis un moment' })}
                    </span>
                  ) : null}
                </article>
              ))}
            </section>
          );
        })}
      </div>
    </div>
  );
}
