import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, ProblemAlert, Checkbox, DateInput, Input, NumberInput, Select } from '@rapport/ui';
import { useRapport } from '@rapport/sdk/web';
import { useEffect, useState, type ReactNode } from 'react';
import { REQUIRABLE_FIELDS, type Pipeline, type Stage } from '../pipelines';
import type { ExchangeRate } from '../exchange-rates';
import { useBoardConfig } from './common';

interface Problem {
  detail?: string;
  errors?: { field: string; message: string }[];
}

const OUTCOMES = { open: { en: 'Open', fr: 'En cours' }, won: { en: 'Won', fr: 'Gagnée' }, lost: { en: 'Lost', fr: 'Perdue' } } as const;
const FIELD_NAMES: Record<(typeof REQUIRABLE_FIELDS)[number], { en: string; fr: string }> = {
  amount: { en: 'Amount', fr: 'Montant' },
  closeDate: { en: 'Close date', fr: 'Date de clôture' },
  company: { en: 'Company', fr: 'Entreprise' },
  source: { en: 'Source', fr: 'Origine' },
  lostReason: { en: 'Lost reason', fr: 'Raison de la perte' },
};

const cell = { padding: '4px 6px', verticalAlign: 'middle' } as const;

/**
 * Settings → Pipelines (admins of plugins): each pipeline's stages in order, with their probability,
 * outcome, rotting and required fields, and the exchange rates. The server checks it all on save.
 */
export function PipelineSettings() {
  const { fetch, t, locale } = useRapport();
  const client = useQueryClient();
  const { options } = useBoardConfig();
  const saved = useQuery({ queryKey: ['pipeline', 'settings'], queryFn: async () => (await (await fetch('/api/v1/plugins/pipeline/settings')).json()) as { values: Record<string, unknown> } & Problem });
  const [pipelines, setPipelines] = useState<Pipeline[]>([]);
  const [rates, setRates] = useState<ExchangeRate[]>([]);
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!saved.data?.values) return;
    setPipelines(saved.data.values.pipelines as Pipeline[]);
    setRates(saved.data.values.exchangeRates as ExchangeRate[]);
  }, [saved.data]);
  const save = useMutation({
    mutationFn: async () => {
      setDone(false);
      const response = await fetch('/api/v1/plugins/pipeline/settings', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pipelines, exchangeRates: rates }) });
      const body = (await response.json()) as Problem;
      if (!response.ok) throw body;
      return body;
    },
    onSuccess: () => {
      setDone(true);
      void client.invalidateQueries({ queryKey: ['pipeline'] });
    },
  });
  if (saved.isLoading) return <p className="r-muted">…</p>;
  if (!saved.data?.values) return <Alert>{saved.data?.detail ?? t({ en: 'Only admins of plugins change pipelines.', fr: 'Seuls les administrateurs des extensions modifient les pipelines.' })}</Alert>;
  const problem = save.error as Problem | null;

  const setPipeline = (index: number, change: Partial<Pipeline>) => setPipelines((current) => current.map((pipeline, at) => (at === index ? { ...pipeline, ...change } : pipeline)));
  const setStage = (index: number, stageIndex: number, change: Partial<Stage>) => setPipeline(index, { stages: pipelines[index]!.stages.map((stage, at) => (at === stageIndex ? { ...stage, ...change } : stage)) });
  const moveStage = (index: number, stageIndex: number, by: -1 | 1) => {
    const stages = [...pipelines[index]!.stages];
    const [moved] = stages.splice(stageIndex, 1);
    stages.splice(stageIndex + by, 0, moved!);
    setPipeline(index, { stages });
  };
  const stageName = (value: string) => {
    const option = options.find((candidate) => candidate.value === value);
    return option ? t(option.labels) : value;
  };
  const button = (label: string, onClick: () => void, disabled = false): ReactNode => <Button type="button" onClick={onClick} disabled={disabled}>{label}</Button>;

  return (
    <form style={{ display: 'grid', gap: 20, maxWidth: 980 }} onSubmit={(event) => { event.preventDefault(); save.mutate(); }} noValidate data-testid="pipeline-settings">
      <p className="r-muted" style={{ margin: 0 }}>
        {t({ en: 'A stage is one of the Stage field’s options: add new ones in Settings → Objects → Opportunity, then place them here.', fr: 'Une étape est une option du champ Étape : ajoutez-en dans Paramètres → Objets → Opportunité, puis placez-les ici.' })}
      </p>
      {problem ? <ProblemAlert problem={problem} fallback={t({ en: 'Not saved', fr: 'Non enregistré' })} /> : null}
      {done ? <p role="status">{t({ en: 'Saved.', fr: 'Enregistré.' })}</p> : null}
      {pipelines.map((pipeline, index) => (
        <fieldset key={index} className="r-card" style={{ padding: 12, display: 'grid', gap: 10 }} data-pipeline={pipeline.key}>
          <legend><strong>{t(pipeline.labels)}</strong> <span className="r-muted">({pipeline.key})</span></legend>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, minmax(0, 1fr)) auto', gap: 8, alignItems: 'end' }}>
            <label>{t({ en: 'Key', fr: 'Clé' })}<Input value={pipeline.key} onChange={(event) => setPipeline(index, { key: event.target.value })} aria-label={t({ en: 'Key', fr: 'Clé' })} /></label>
            <label>{t({ en: 'Name (English)', fr: 'Nom (anglais)' })}<Input value={pipeline.labels.en} onChange={(event) => setPipeline(index, { labels: { ...pipeline.labels, en: event.target.value } })} /></label>
            <label>{t({ en: 'Name (French)', fr: 'Nom (français)' })}<Input value={pipeline.labels.fr ?? ''} onChange={(event) => setPipeline(index, { labels: { ...pipeline.labels, fr: event.target.value || undefined } })} /></label>
            {button(t({ en: 'Remove pipeline', fr: 'Retirer le pipeline' }), () => setPipelines(pipelines.filter((_, at) => at !== index)), pipelines.length === 1)}
          </div>
          <table style={{ borderCollapse: 'collapse', width: '100%' }}>
            <thead>
              <tr className="r-muted" style={{ textAlign: 'left', fontSize: 12 }}>
                <th style={cell}>{t({ en: 'Stage', fr: 'Étape' })}</th>
                <th style={cell}>{t({ en: 'Probability (%)', fr: 'Probabilité (%)' })}</th>
                <th style={cell}>{t({ en: 'Outcome', fr: 'Issue' })}</th>
                <th style={cell}>{t({ en: 'Rots after (days)', fr: 'Stagne après (jours)' })}</th>
                <th style={cell}>{t({ en: 'Requires', fr: 'Exige' })}</th>
                <th style={cell} />
              </tr>
            </thead>
            <tbody>
              {pipeline.stages.map((stage, stageIndex) => (
                <tr key={stageIndex} data-stage-row={stage.stage}>
                  <td style={cell}>
                    <Select style={{ minWidth: 150 }} value={stage.stage} onChange={(event) => setStage(index, stageIndex, { stage: event.target.value })} aria-label={t({ en: 'Stage', fr: 'Étape' })}>
                      {[...new Set([stage.stage, ...options.map((option) => option.value)])].map((value) => <option key={value} value={value}>{stageName(value)}</option>)}
                    </Select>
                  </td>
                  <td style={cell}><Input type="number" min={0} max={100} style={{ width: 80 }} value={String(stage.probability)} onChange={(event) => setStage(index, stageIndex, { probability: Number(event.target.value) })} aria-label={t({ en: 'Probability (%)', fr: 'Probabilité (%)' })} /></td>
                  <td style={cell}>
                    <Select style={{ minWidth: 110 }} value={stage.outcome} onChange={(event) => setStage(index, stageIndex, { outcome: event.target.value as Stage['outcome'] })} aria-label={t({ en: 'Outcome', fr: 'Issue' })}>
                      {Object.entries(OUTCOMES).map(([value, labels]) => <option key={value} value={value}>{t(labels)}</option>)}
                    </Select>
                  </td>
                  <td style={cell}><Input type="number" min={1} max={365} style={{ width: 80 }} placeholder="—" value={stage.rottingDays === null ? '' : String(stage.rottingDays)} onChange={(event) => setStage(index, stageIndex, { rottingDays: event.target.value === '' ? null : Number(event.target.value) })} aria-label={t({ en: 'Rots after (days)', fr: 'Stagne après (jours)' })} /></td>
                  <td style={{ ...cell, fontSize: 12 }}>
                    {REQUIRABLE_FIELDS.map((field) => (
                      <label key={field} style={{ marginRight: 8, whiteSpace: 'nowrap' }}>
                        <Checkbox checked={stage.requires.includes(field)} onChange={(event) => setStage(index, stageIndex, { requires: event.target.checked ? [...stage.requires, field] : stage.requires.filter((name) => name !== field) })} /> {t(FIELD_NAMES[field])}
                      </label>
                    ))}
                  </td>
                  <td style={{ ...cell, whiteSpace: 'nowrap' }}>
                    {button('↑', () => moveStage(index, stageIndex, -1), stageIndex === 0)}
                    {button('↓', () => moveStage(index, stageIndex, 1), stageIndex === pipeline.stages.length - 1)}
                    {button('✕', () => setPipeline(index, { stages: pipeline.stages.filter((_, at) => at !== stageIndex) }))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div>{button(t({ en: 'Add a stage', fr: 'Ajouter une étape' }), () => setPipeline(index, { stages: [...pipeline.stages, { stage: options[0]?.value ?? 'lead', probability: 10, outcome: 'open', rottingDays: null, requires: [] }] }))}</div>
        </fieldset>
      ))}
      <div>
        {button(t({ en: 'Add a pipeline', fr: 'Ajouter un pipeline' }), () =>
          setPipelines([...pipelines, { key: `pipeline_${pipelines.length + 1}`, labels: { en: 'New pipeline', fr: 'Nouveau pipeline' }, stages: pipelines[0]!.stages.map((stage) => ({ ...stage })) }]),
        )}
      </div>

      <fieldset className="r-card" style={{ padding: 12, display: 'grid', gap: 8 }} data-testid="exchange-rates">
        <legend><strong>{t({ en: 'Exchange rates', fr: 'Taux de change' })}</strong></legend>
        <p className="r-muted" style={{ margin: 0 }}>{t({ en: 'From its date on, 1 unit of the first currency is worth the rate in the second. Totals and figures use the rate in force on each deal’s close date.', fr: 'À partir de sa date, 1 unité de la première devise vaut le taux dans la seconde. Totaux et indicateurs prennent le taux en vigueur à la date de clôture de chaque affaire.' })}</p>
        {rates.map((rate, index) => {
          const set = (change: Partial<ExchangeRate>) => setRates(rates.map((current, at) => (at === index ? { ...current, ...change } : current)));
          return (
            <div key={index} style={{ display: 'grid', gridTemplateColumns: '90px 90px 120px 160px auto', gap: 8 }} data-rate-row={index}>
              <Input value={rate.from} maxLength={3} onChange={(event) => set({ from: event.target.value.toUpperCase() })} aria-label={t({ en: 'From', fr: 'De' })} />
              <Input value={rate.to} maxLength={3} onChange={(event) => set({ to: event.target.value.toUpperCase() })} aria-label={t({ en: 'To', fr: 'Vers' })} />
              <NumberInput locale={locale} value={rate.rate as number | string | null} onChange={(value) => set({ rate: value as number })} aria-label={t({ en: 'Rate', fr: 'Taux' })} />
              <DateInput locale={locale} value={rate.date} onChange={(day) => set({ date: day ?? '' })} aria-label={t({ en: 'From the date', fr: 'À partir du' })} />
              {button('✕', () => setRates(rates.filter((_, at) => at !== index)))}
            </div>
          );
        })}
        <div>{button(t({ en: 'Add a rate', fr: 'Ajouter un taux' }), () => setRates([...rates, { from: 'USD', to: 'EUR', rate: 1, date: new Date().toISOString().slice(0, 10) }]))}</div>
      </fieldset>
      <div><Button type="submit" variant="primary" disabled={save.isPending}>{t({ en: 'Save', fr: 'Enregistrer' })}</Button></div>
    </form>
  );
}
