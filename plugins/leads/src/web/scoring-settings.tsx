import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, ProblemAlert, Input, Select } from '@rapport/ui';
import { useRapport } from '@rapport/sdk/web';
import { useEffect, useState } from 'react';
import { type ActivityRule, type FieldRule, isActivityRule, type ScoringRule } from '../scoring';

interface Problem {
  detail?: string;
  errors?: { field: string; message: string }[];
}

interface FieldMeta {
  name: string;
  type: string;
  labels: { en: string; fr?: string };
  readOnly?: boolean;
  options?: { value: string; labels: { en: string; fr?: string } }[];
}

const OPS: Record<FieldRule['op'], { en: string; fr: string }> = {
  contains: { en: 'contains', fr: 'contient' },
  equals: { en: 'is', fr: 'est' },
  isSet: { en: 'is filled in', fr: 'est renseigné' },
};
/** Fields a rule can test: what people type or pick, not relations nor what the plugin computes. */
const SCORABLE_TYPES = new Set(['text', 'longText', 'email', 'phone', 'url', 'select', 'multiSelect', 'number', 'boolean', 'date', 'currency']);
const cell = { padding: '4px 6px', verticalAlign: 'middle' } as const;

function useFields(object: string) {
  const { fetch } = useRapport();
  return useQuery({ queryKey: ['leads', 'metadata', object], queryFn: async () => ((await (await fetch(`/api/v1/metadata/objects/${object}`)).json()) as { fields?: FieldMeta[] }).fields ?? [] });
}

/**
 * Settings → Lead scoring (admins of plugins): the rules on a lead's fields and on its recent
 * activities, in order. The server checks them on save and scores every lead again in the background.
 */
export function ScoringSettings() {
  const { fetch, t } = useRapport();
  const client = useQueryClient();
  const saved = useQuery({ queryKey: ['leads', 'settings'], queryFn: async () => (await (await fetch('/api/v1/plugins/leads/settings')).json()) as { values?: { rules: ScoringRule[] } } & Problem });
  const leadFields = useFields('lead');
  const activityFields = useFields('activity');
  const [rules, setRules] = useState<ScoringRule[]>([]);
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (saved.data?.values) setRules(saved.data.values.rules);
  }, [saved.data]);
  const save = useMutation({
    mutationFn: async () => {
      setDone(false);
      const response = await fetch('/api/v1/plugins/leads/settings', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });
      const body = (await response.json()) as Problem;
      if (!response.ok) throw body;
      return body;
    },
    onSuccess: () => {
      setDone(true);
      void client.invalidateQueries({ queryKey: ['leads', 'settings'] });
    },
  });
  if (saved.isLoading) return <p className="r-muted">…</p>;
  if (!saved.data?.values) return <Alert>{saved.data?.detail ?? t({ en: 'Only admins of plugins change the scoring rules.', fr: 'Seuls les administrateurs des extensions modifient les règles de score.' })}</Alert>;
  const problem = save.error as Problem | null;
  const fields = (leadFields.data ?? []).filter((field) => SCORABLE_TYPES.has(field.type) && !field.readOnly);
  const kinds = activityFields.data?.find((field) => field.name === 'kind')?.options ?? [];
  const set = (index: number, rule: ScoringRule) => setRules(rules.map((current, at) => (at === index ? rule : current)));
  const number = (value: string) => (value === '' ? 0 : Number(value));

  // A select field's value is one of its options, by name; anything else is typed.
  const valueInput = (rule: FieldRule, index: number) => {
    const options = fields.find((field) => field.name === rule.field)?.options;
    const label = t({ en: 'Value', fr: 'Valeur' });
    if (!options) return <Input value={rule.value ?? ''} onChange={(event) => set(index, { ...rule, value: event.target.value })} aria-label={label} style={{ width: 140 }} />;
    return (
      <Select value={rule.value ?? ''} onChange={(event) => set(index, { ...rule, value: event.target.value })} aria-label={label} style={{ width: 140 }}>
        <option value="" />
        {[...new Set([...(rule.value ? [rule.value] : []), ...options.map((option) => option.value)])].map((value) => {
          const option = options.find((candidate) => candidate.value === value);
          return <option key={value} value={value}>{option ? t(option.labels) : value}</option>;
        })}
      </Select>
    );
  };
  const fieldRow = (rule: FieldRule, index: number) => (
    <>
      <td style={cell}>
        <Select value={rule.field} onChange={(event) => set(index, { ...rule, field: event.target.value })} aria-label={t({ en: 'Field', fr: 'Champ' })} style={{ width: 150 }}>
          {[...new Set([rule.field, ...fields.map((field) => field.name)])].map((name) => {
            const field = fields.find((candidate) => candidate.name === name);
            return <option key={name} value={name}>{field ? t(field.labels) : name}</option>;
          })}
        </Select>
      </td>
      <td style={cell}>
        <span style={{ display: 'flex', gap: 6 }}>
          <Select value={rule.op} onChange={(event) => set(index, { ...rule, op: event.target.value as FieldRule['op'], ...(event.target.value === 'isSet' ? { value: undefined } : {}) })} aria-label={t({ en: 'Condition', fr: 'Condition' })} style={{ width: 'auto' }}>
            {Object.entries(OPS).map(([op, labels]) => <option key={op} value={op}>{t(labels)}</option>)}
          </Select>
          {rule.op === 'isSet' ? null : valueInput(rule, index)}
        </span>
      </td>
    </>
  );
  const activityRow = (rule: ActivityRule, index: number) => (
    <>
      <td style={cell}>
        <Select value={rule.activity} onChange={(event) => set(index, { ...rule, activity: event.target.value })} aria-label={t({ en: 'Activity', fr: 'Activité' })} style={{ width: 150 }}>
          <option value="*">{t({ en: 'Any activity', fr: 'Toute activité' })}</option>
          {[...new Set([...(rule.activity === '*' ? [] : [rule.activity]), ...kinds.map((kind) => kind.value)])].map((value) => {
            const kind = kinds.find((candidate) => candidate.value === value);
            return <option key={value} value={value}>{kind ? t(kind.labels) : value}</option>;
          })}
        </Select>
      </td>
      <td style={cell}>
        <span style={{ display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' }}>
          {t({ en: 'each, in the last', fr: 'chacune, dans les' })}
          <Input type="number" min={1} max={365} value={String(rule.withinDays)} onChange={(event) => set(index, { ...rule, withinDays: number(event.target.value) })} aria-label={t({ en: 'Days', fr: 'Jours' })} style={{ width: 70 }} />
          {t({ en: 'days, at most', fr: 'derniers jours, au plus' })}
          <Input type="number" min={1} max={100} value={String(rule.max)} onChange={(event) => set(index, { ...rule, max: number(event.target.value) })} aria-label={t({ en: 'At most', fr: 'Au plus' })} style={{ width: 64 }} />
        </span>
      </td>
    </>
  );

  return (
    <form style={{ display: 'grid', gap: 16, maxWidth: 1000 }} onSubmit={(event) => { event.preventDefault(); save.mutate(); }} noValidate data-testid="scoring-settings">
      <p className="r-muted" style={{ margin: 0 }}>
        {t({ en: 'Each rule that holds adds its points (or takes them away, when negative) to a lead’s score; activity rules count the activities logged on the lead. Saved rules apply to every lead at once.', fr: 'Chaque règle vérifiée ajoute ses points au score d’une piste (ou les retire, s’ils sont négatifs) ; les règles d’activité comptent les activités enregistrées sur la piste. Les règles enregistrées s’appliquent aussitôt à toutes les pistes.' })}
      </p>
      {problem ? <ProblemAlert problem={problem} fallback={t({ en: 'Not saved', fr: 'Non enregistré' })} /> : null}
      {done ? <p role="status">{t({ en: 'Saved. Every lead is being scored again.', fr: 'Enregistré. Toutes les pistes sont en cours de recalcul.' })}</p> : null}
      <table style={{ borderCollapse: 'collapse', width: '100%' }}>
        <thead>
          <tr className="r-muted" style={{ textAlign: 'left', fontSize: 12 }}>
            <th style={cell}>{t({ en: 'When', fr: 'Quand' })}</th>
            <th style={cell}>{t({ en: 'Condition', fr: 'Condition' })}</th>
            <th style={cell}>{t({ en: 'Points', fr: 'Points' })}</th>
            <th style={cell}>{t({ en: 'Shown as', fr: 'Affichée comme' })}</th>
            <th style={cell} />
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, index) => (
            <tr key={index} data-rule-row={index}>
              {isActivityRule(rule) ? activityRow(rule, index) : fieldRow(rule, index)}
              <td style={cell}><Input type="number" min={-100} max={100} value={String(rule.points)} onChange={(event) => set(index, { ...rule, points: number(event.target.value) })} aria-label={t({ en: 'Points', fr: 'Points' })} style={{ width: 70 }} /></td>
              <td style={cell}><Input value={rule.label} onChange={(event) => set(index, { ...rule, label: event.target.value })} aria-label={t({ en: 'Shown as', fr: 'Affichée comme' })} style={{ width: 150 }} /></td>
              <td style={cell}><Button type="button" onClick={() => setRules(rules.filter((_, at) => at !== index))} aria-label={t({ en: 'Remove the rule', fr: 'Retirer la règle' })}>✕</Button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div style={{ display: 'flex', gap: 8 }}>
        <Button type="button" onClick={() => setRules([...rules, { field: fields[0]?.name ?? 'jobTitle', op: 'contains', value: '', points: 5, label: '' }])}>{t({ en: 'Add a field rule', fr: 'Ajouter une règle sur un champ' })}</Button>
        <Button type="button" onClick={() => setRules([...rules, { activity: kinds[0]?.value ?? '*', withinDays: 30, points: 5, max: 10, label: '' }])}>{t({ en: 'Add an activity rule', fr: 'Ajouter une règle sur les activités' })}</Button>
      </div>
      <div><Button type="submit" variant="primary" disabled={save.isPending}>{t({ en: 'Save', fr: 'Enregistrer' })}</Button></div>
    </form>
  );
}
