import { lazy, Suspense, useState, type FormEvent } from 'react';
import { Alert, Badge, Button, EmptyState, Field, Input, NumberInput, Select, Spinner } from '@rapport/ui';
import { useRapport, type PluginPageProps } from '@rapport/sdk/web';
import { API, json } from '../import-api';
import { HEADLINES, METRIC_LABELS, type MetricName, type QualityAlert, type QualityMetrics, useAlerts, useHistory, useLiveQuality, useObjectFields, useObjectList, useQualityRefresh } from './quality-api';

const HistoryChart = lazy(() => import('./history-chart'));
const STALE_PERIODS = [90, 180, 365, 730];

const percent = (count: number, total: number) => (total === 0 ? 0 : Math.round((count / total) * 1000) / 10);

/** `/p/data-ops/quality/:object`: an object's data quality now, its daily history, and one's alerts on it. */
export function QualityPage({ params }: PluginPageProps) {
  const { t, fetch, navigate } = useRapport();
  const object = params.object ?? 'person';
  const [staleDays, setStaleDays] = useState(180);
  const objects = useObjectList();
  const live = useLiveQuality(object, staleDays);
  const fields = useObjectFields(object);
  const readsAll = live.data?.scope === 'all';
  const history = useHistory(object, readsAll);
  const refresh = useQualityRefresh();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = (name: string) => t(fields.data?.fields.find((field) => field.name === name)?.labels ?? { en: name });

  const act = async (path: string, body?: unknown) => {
    setBusy(true);
    setError(null);
    try {
      await json(await fetch(`${API}${path}`, { method: 'POST', ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) }));
      await refresh();
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const metrics = live.data?.metrics;
  return (
    <div style={{ display: 'grid', gap: 24, maxWidth: 1100 }}>
      <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', alignItems: 'end' }}>
        <Field label={t({ en: 'Object', fr: 'Objet' })}>
          <Select value={object} onChange={(event) => navigate(`/p/data-ops/quality/${event.target.value}`)}>
            {(objects.data ?? [{ name: object, labels: { plural: { en: object } } }]).map((candidate) => (
              <option key={candidate.name} value={candidate.name}>
                {t(candidate.labels.plural)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t({ en: 'Stale after', fr: 'Obsolète après' })}>
          <Select value={String(staleDays)} onChange={(event) => setStaleDays(Number(event.target.value))}>
            {STALE_PERIODS.map((days) => (
              <option key={days} value={days}>
                {t({ en: `${days} days without a change`, fr: `${days} jours sans modification` })}
              </option>
            ))}
          </Select>
        </Field>
        {live.data && !readsAll ? <Badge tone="warning">{t({ en: 'Figures over the records you may see', fr: 'Chiffres sur les fiches que vous pouvez voir' })}</Badge> : null}
      </div>
      {live.error ? <Alert>{(live.error as Error).message}</Alert> : null}
      {error ? <Alert>{error}</Alert> : null}
      {!metrics ? (
        <Spinner label={t({ en: 'Measuring…', fr: 'Mesure en cours…' })} />
      ) : (
        <>
          <Headlines metrics={metrics} />
          <Completeness metrics={metrics} label={label} />
        </>
      )}
      {readsAll ? (
        <section className="r-card" style={{ padding: 16, display: 'grid', gap: 12 }} aria-label={t({ en: 'History', fr: 'Historique' })}>
          <div style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
            <h2 style={{ margin: 0, fontSize: 16, flex: 1 }}>{t({ en: 'Last 90 days', fr: '90 derniers jours' })}</h2>
            <label style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
              <input type="checkbox" checked={Boolean(live.data?.tracking)} disabled={busy} onChange={(event) => void act(`/quality/${object}/tracking`, { enabled: event.target.checked })} />
              {t({ en: 'Record every night', fr: 'Enregistrer chaque nuit' })}
            </label>
            <Button disabled={busy} onClick={() => void act(`/quality/${object}/snapshot`)}>
              {t({ en: 'Record today’s figures', fr: 'Enregistrer les chiffres du jour' })}
            </Button>
          </div>
          {history.data && history.data.length > 0 ? (
            <Suspense fallback={<Spinner label={t({ en: 'Loading the chart…', fr: 'Chargement du graphique…' })} />}>
              <HistoryChart history={history.data} />
            </Suspense>
          ) : (
            <EmptyState title={t({ en: 'No history yet', fr: 'Pas encore d’historique' })}>
              {t({ en: 'Record today’s figures, or every night, to follow them here.', fr: 'Enregistrez les chiffres du jour, ou chaque nuit, pour les suivre ici.' })}
            </EmptyState>
          )}
        </section>
      ) : null}
      {readsAll && metrics ? <Alerts object={object} label={label} fieldNames={metrics.fields.map((field) => field.name)} /> : null}
    </div>
  );
}

function Headlines({ metrics }: { metrics: QualityMetrics }) {
  const { t, locale } = useRapport();
  const number = new Intl.NumberFormat(locale);
  return (
    <section aria-label={t({ en: 'Figures', fr: 'Chiffres' })} style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', gap: 12 }}>
      <div className="r-card" style={{ padding: 12 }} data-testid="quality-total">
        <div className="r-muted">{t({ en: 'Records', fr: 'Fiches' })}</div>
        <div style={{ fontSize: 24, fontWeight: 600 }}>{number.format(metrics.total)}</div>
      </div>
      {HEADLINES.map(({ metric, label, hint }) => {
        const value = metrics[metric];
        return (
          <div key={metric} className="r-card" style={{ padding: 12 }} data-testid={`quality-${metric}`} title={t(hint)}>
            <div className="r-muted">{t(label)}</div>
            {value === null ? (
              <div className="r-muted" style={{ fontSize: 13, marginTop: 6 }}>
                {metric === 'inactive' ? t(hint) : t({ en: 'Not measured here', fr: 'Non mesuré ici' })}
              </div>
            ) : (
              <div style={{ fontSize: 24, fontWeight: 600 }}>
                {number.format(value)} <span className="r-muted" style={{ fontSize: 13, fontWeight: 400 }}>{number.format(percent(value, metrics.total))} %</span>
              </div>
            )}
          </div>
        );
      })}
    </section>
  );
}

function Completeness({ metrics, label }: { metrics: QualityMetrics; label: (name: string) => string }) {
  const { t, locale } = useRapport();
  const number = new Intl.NumberFormat(locale);
  const fields = [...metrics.fields].sort((a, b) => a.filled - b.filled);
  return (
    <section className="r-card" style={{ padding: 16 }} aria-label={t({ en: 'Completeness', fr: 'Complétude' })}>
      <h2 style={{ margin: '0 0 12px', fontSize: 16 }}>{t({ en: 'Completeness of each field', fr: 'Complétude de chaque champ' })}</h2>
      <table className="r-table" style={{ width: '100%' }} data-testid="quality-completeness">
        <thead>
          <tr>
            <th>{t({ en: 'Field', fr: 'Champ' })}</th>
            <th style={{ width: '40%' }}>{t({ en: 'Filled', fr: 'Renseigné' })}</th>
            <th>{t({ en: 'Invalid', fr: 'Invalides' })}</th>
            <th>{t({ en: 'Shared with another record', fr: 'Partagé avec une autre fiche' })}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => {
            const share = percent(field.filled, metrics.total);
            return (
              <tr key={field.name}>
                <td>{label(field.name)}</td>
                <td>
                  <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
                    <div role="meter" aria-label={label(field.name)} aria-valuemin={0} aria-valuemax={100} aria-valuenow={share} style={{ flex: 1, height: 8, borderRadius: 4, background: 'var(--r-border, #e9ecef)' }}>
                      <div style={{ width: `${share}%`, height: '100%', borderRadius: 4, background: share < 50 ? '#e8590c' : '#2f9e44' }} />
                    </div>
                    <span style={{ minWidth: 110, textAlign: 'right' }}>
                      {number.format(share)} % <span className="r-muted">({number.format(field.filled)})</span>
                    </span>
                  </div>
                </td>
                <td>{field.invalid === null ? '—' : number.format(field.invalid)}</td>
                <td>{field.duplicated === null ? '—' : number.format(field.duplicated)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function Alerts({ object, label, fieldNames }: { object: string; label: (name: string) => string; fieldNames: string[] }) {
  const { t, fetch, locale } = useRapport();
  const alerts = useAlerts();
  const refresh = useQualityRefresh();
  const [metric, setMetric] = useState<MetricName>('duplicates');
  const [field, setField] = useState(fieldNames[0] ?? '');
  const [direction, setDirection] = useState<'above' | 'below'>('above');
  const [unit, setUnit] = useState<'count' | 'percent'>('count');
  const [threshold, setThreshold] = useState<number | string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const number = new Intl.NumberFormat(locale);
  const mine = (alerts.data ?? []).filter((alert) => alert.object === object);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const body = { object, metric, ...(metric === 'completeness' ? { field } : {}), direction, unit, threshold };
      await json(await fetch(`${API}/quality-alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }));
      setThreshold(null);
      await refresh();
    } catch (caught) {
      setError((caught as Error).message);
    }
  };
  const remove = async (alert: QualityAlert) => {
    await fetch(`${API}/quality-alerts/${alert.id}`, { method: 'DELETE' });
    await refresh();
  };
  const describe = (alert: QualityAlert) =>
    `${t(METRIC_LABELS[alert.metric])}${alert.field ? ` (${label(alert.field)})` : ''} ${alert.direction === 'above' ? t({ en: 'above', fr: 'au-dessus de' }) : t({ en: 'below', fr: 'en dessous de' })} ${number.format(alert.threshold)}${alert.unit === 'percent' ? ' %' : ''}`;

  return (
    <section className="r-card" style={{ padding: 16, display: 'grid', gap: 12 }} aria-label={t({ en: 'My alerts', fr: 'Mes alertes' })}>
      <h2 style={{ margin: 0, fontSize: 16 }}>{t({ en: 'My alerts', fr: 'Mes alertes' })}</h2>
      <p className="r-muted" style={{ margin: 0 }}>
        {t({ en: 'Told in the app when a recorded measure crosses the threshold.', fr: 'Signalé dans l’application quand une mesure enregistrée franchit le seuil.' })}
      </p>
      {mine.length ? (
        <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="quality-alerts">
          {mine.map((alert) => (
            <li key={alert.id} style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              <span style={{ flex: 1 }}>{describe(alert)}</span>
              {alert.breached ? <Badge tone="danger">{t({ en: 'Crossed', fr: 'Franchi' })}</Badge> : alert.breached === false ? <Badge tone="success">{t({ en: 'Within', fr: 'Respecté' })}</Badge> : null}
              <Button onClick={() => void remove(alert)} aria-label={`${t({ en: 'Remove', fr: 'Supprimer' })}: ${describe(alert)}`}>
                {t({ en: 'Remove', fr: 'Supprimer' })}
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <form onSubmit={(event) => void add(event)} style={{ display: 'flex', gap: 12, flexWrap: 'wrap', alignItems: 'end' }} aria-label={t({ en: 'New alert', fr: 'Nouvelle alerte' })}>
        <Field label={t({ en: 'Metric', fr: 'Indicateur' })}>
          <Select value={metric} onChange={(event) => setMetric(event.target.value as MetricName)}>
            {Object.entries(METRIC_LABELS).map(([name, text]) => (
              <option key={name} value={name}>
                {t(text)}
              </option>
            ))}
          </Select>
        </Field>
        {metric === 'completeness' ? (
          <Field label={t({ en: 'Field', fr: 'Champ' })}>
            <Select value={field} onChange={(event) => setField(event.target.value)}>
              {fieldNames.map((name) => (
                <option key={name} value={name}>
                  {label(name)}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <Field label={t({ en: 'When it goes', fr: 'Quand il passe' })}>
          <Select value={direction} onChange={(event) => setDirection(event.target.value as 'above' | 'below')}>
            <option value="above">{t({ en: 'above', fr: 'au-dessus de' })}</option>
            <option value="below">{t({ en: 'below', fr: 'en dessous de' })}</option>
          </Select>
        </Field>
        <Field label={t({ en: 'Threshold', fr: 'Seuil' })}>
          <NumberInput locale={locale} required value={threshold} onChange={setThreshold} style={{ width: 120 }} />
        </Field>
        <Field label={t({ en: 'As', fr: 'En' })}>
          <Select value={unit} onChange={(event) => setUnit(event.target.value as 'count' | 'percent')}>
            <option value="count">{t({ en: 'records', fr: 'fiches' })}</option>
            <option value="percent">{t({ en: '% of records', fr: '% des fiches' })}</option>
          </Select>
        </Field>
        <Button type="submit" variant="primary">
          {t({ en: 'Add the alert', fr: 'Ajouter l’alerte' })}
        </Button>
      </form>
      {error ? <Alert>{error}</Alert> : null}
    </section>
  );
}
