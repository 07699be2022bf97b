import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Field, Input, Select, Spinner } from '@rapport/ui';
import { useRapport, type PluginPageProps } from '@rapport/sdk/web';
import { API, type ImportSettings, type ImportView, json, type Preview, useImport } from './import-api';
import { StatusBadge } from './status-badge';

const RULES: { rule: string; label: { en: string; fr: string } }[] = [
  { rule: 'trim', label: { en: 'Trim and collapse spaces', fr: 'Supprimer les espaces superflus' } },
  { rule: 'nameCase', label: { en: 'Names in title case (DUPONT → Dupont)', fr: 'Noms en casse titre (DUPONT → Dupont)' } },
  { rule: 'emailLowerCase', label: { en: 'Emails in lower case', fr: 'E-mails en minuscules' } },
  { rule: 'phoneE164', label: { en: 'Phone numbers to international format', fr: 'Téléphones au format international' } },
  { rule: 'dates', label: { en: 'Dates as the file writes them', fr: 'Dates telles que le fichier les écrit' } },
  { rule: 'postalCodes', label: { en: 'Postal codes checked per country', fr: 'Codes postaux vérifiés par pays' } },
  { rule: 'booleans', label: { en: 'Yes/no in English and French', fr: 'Oui/non en français et en anglais' } },
];

/** `/p/data-ops/imports/:id`: map the columns, choose the cleaning and what to do with duplicates, preview, run, follow, undo. */
export function ImportPage({ params }: PluginPageProps) {
  const { t, navigate } = useRapport();
  const current = useImport(params.id ?? '');
  if (current.isLoading) return <Spinner label={t({ en: 'Loading', fr: 'Chargement' })} />;
  if (current.error || !current.data) return <Alert>{(current.error as Error | null)?.message ?? t({ en: 'No such import', fr: 'Import introuvable' })}</Alert>;
  const view = current.data;
  return (
    <div style={{ display: 'grid', gap: 20, maxWidth: 1100 }}>
      <p style={{ margin: 0 }}>
        <a href="/p/data-ops/imports" onClick={(event) => { event.preventDefault(); navigate('/p/data-ops/imports'); }}>
          ← {t({ en: 'All imports', fr: 'Tous les imports' })}
        </a>
      </p>
      <header style={{ display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap' }}>
        <h2 style={{ margin: 0, fontSize: 18 }}>{view.fileName}</h2>
        <StatusBadge status={view.status} />
        <span className="r-muted">
          {[view.format.toUpperCase(), view.encoding, view.delimiter ? t({ en: `separator “${view.delimiter === '\t' ? 'tab' : view.delimiter}”`, fr: `séparateur « ${view.delimiter === '\t' ? 'tabulation' : view.delimiter} »` }) : null, t({ en: `${view.progress.total} rows`, fr: `${view.progress.total} lignes` })].filter(Boolean).join(' · ')}
        </span>
      </header>
      {view.status === 'ready' ? <Setup view={view} /> : <Run view={view} />}
    </div>
  );
}

function Setup({ view }: { view: ImportView }) {
  const { fetch, t } = useRapport();
  const client = useQueryClient();
  const [settings, setSettings] = useState<ImportSettings>(view.settings);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [templateName, setTemplateName] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => setSettings(view.settings), [view.settings]);
  const preview = useQuery({
    queryKey: ['data-ops', 'import', view.id, 'preview', view.settings],
    queryFn: async () => json<Preview>(await fetch(`${API}/imports/${view.id}/preview?limit=10`)),
  });
  const members = useQuery({
    queryKey: ['data-ops', 'members'],
    queryFn: async () => (await json<{ data: { id: string; name: string; deactivated: boolean }[] }>(await fetch('/api/v1/users'))).data.filter((member) => !member.deactivated),
    staleTime: 60_000,
  });
  const change = (next: Partial<ImportSettings>) => setSettings((current) => ({ ...current, ...next }));
  const save = async () => {
    setError(null);
    const updated = await json<ImportView>(await fetch(`${API}/imports/${view.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ settings }) }));
    client.setQueryData(['data-ops', 'import', view.id], updated);
  };
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const start = () =>
    act(async () => {
      await save();
      const started = await json<ImportView>(await fetch(`${API}/imports/${view.id}/start`, { method: 'POST' }));
      client.setQueryData(['data-ops', 'import', view.id], started);
    });
  const saveTemplate = () =>
    act(async () => {
      await json(await fetch(`${API}/import-templates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ object: view.object, name: templateName, settings }) }));
      setSaved(templateName);
    });
  const dirty = JSON.stringify(settings) !== JSON.stringify(view.settings);

  return (
    <>
      <section aria-label={t({ en: 'Columns', fr: 'Colonnes' })} className="r-card" style={{ padding: 16 }}>
        <h3 style={{ marginTop: 0, fontSize: 15 }}>{t({ en: 'Columns', fr: 'Colonnes' })}</h3>
        <table className="r-table">
          <thead>
            <tr>
              <th>{t({ en: 'Column of the file', fr: 'Colonne du fichier' })}</th>
              <th>{t({ en: 'First values', fr: 'Premières valeurs' })}</th>
              <th>{t({ en: 'Field', fr: 'Champ' })}</th>
            </tr>
          </thead>
          <tbody>
            {view.headers.map((header, column) => (
              <tr key={column}>
                <td>
                  <strong>{header || `#${column + 1}`}</strong>
                </td>
                <td className="r-muted" style={{ maxWidth: 280, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                  {view.samples.slice(0, 3).map((row) => row[column]).filter(Boolean).join(' · ')}
                </td>
                <td>
                  <Select
                    aria-label={t({ en: `Field for ${header}`, fr: `Champ pour ${header}` })}
                    value={settings.mapping[column] ?? ''}
                    onChange={(event) => change({ mapping: settings.mapping.map((target, index) => (index === column ? event.target.value || null : target)) })}
                  >
                    <option value="">{t({ en: '— Do not import —', fr: '— Ne pas importer —' })}</option>
                    {view.targets.map((target) => (
                      <option key={target.target} value={target.target}>
                        {t(target.labels)}
                      </option>
                    ))}
                  </Select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-label={t({ en: 'Cleaning and duplicates', fr: 'Nettoyage et doublons' })} className="r-card" style={{ padding: 16, display: 'grid', gap: 16, gridTemplateColumns: 'repeat(auto-fit, minmax(280px, 1fr))' }}>
        <fieldset style={{ border: 0, padding: 0, margin: 0, display: 'grid', gap: 6 }}>
          <legend style={{ fontWeight: 600, marginBottom: 6 }}>{t({ en: 'Cleaning', fr: 'Nettoyage' })}</legend>
          {RULES.map(({ rule, label }) => (
            <label key={rule} style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
              <Checkbox checked={settings.rules[rule] !== false} onChange={(event) => change({ rules: { ...settings.rules, [rule]: event.target.checked } })} />
              {t(label)}
            </label>
          ))}
        </fieldset>
        <div style={{ display: 'grid', gap: 10, alignContent: 'start' }}>
          <Field label={t({ en: 'Dates in the file', fr: 'Dates dans le fichier' })}>
            <Select value={settings.dateFormat} onChange={(event) => change({ dateFormat: event.target.value as ImportSettings['dateFormat'] })}>
              <option value="dmy">{t({ en: 'Day first (31/12/2026)', fr: 'Jour d’abord (31/12/2026)' })}</option>
              <option value="mdy">{t({ en: 'Month first (12/31/2026)', fr: 'Mois d’abord (12/31/2026)' })}</option>
              <option value="ymd">{t({ en: 'Year first (2026-12-31)', fr: 'Année d’abord (2026-12-31)' })}</option>
            </Select>
          </Field>
          <Field label={t({ en: 'Country of numbers without +', fr: 'Pays des numéros sans +' })}>
            <Input value={settings.defaultCountry} maxLength={2} style={{ width: 80 }} onChange={(event) => change({ defaultCountry: event.target.value.toUpperCase() })} />
          </Field>
        </div>
        <div style={{ display: 'grid', gap: 10, alignContent: 'start' }}>
          <Field label={t({ en: 'A row already in Rapport (same email or phone, or a similar name)', fr: 'Une ligne déjà dans Rapport (même e-mail ou téléphone, ou nom proche)' })}>
            <Select value={settings.duplicates.mode} onChange={(event) => change({ duplicates: { ...settings.duplicates, mode: event.target.value as ImportSettings['duplicates']['mode'] } })}>
              <option value="skip">{t({ en: 'Skip it', fr: 'L’ignorer' })}</option>
              <option value="update">{t({ en: 'Update the existing record', fr: 'Mettre à jour la fiche existante' })}</option>
              <option value="create">{t({ en: 'Create it anyway', fr: 'La créer quand même' })}</option>
            </Select>
          </Field>
          <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <Checkbox checked={settings.duplicates.fuzzy} onChange={(event) => change({ duplicates: { ...settings.duplicates, fuzzy: event.target.checked } })} />
            {t({ en: 'Also match similar names at the same company', fr: 'Rapprocher aussi les noms proches dans la même entreprise' })}
          </label>
          <Field label={t({ en: 'Owner of the records it creates', fr: 'Propriétaire des fiches créées' })}>
            <Select value={settings.ownerId ?? ''} onChange={(event) => change({ ownerId: event.target.value || undefined })}>
              <option value="">{t({ en: 'Me', fr: 'Moi' })}</option>
              {(members.data ?? []).map((member) => (
                <option key={member.id} value={member.id}>{member.name}</option>
              ))}
            </Select>
          </Field>
          <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <Checkbox checked={settings.missingRelations === 'create'} onChange={(event) => change({ missingRelations: event.target.checked ? 'create' : 'leaveEmpty' })} />
            {t({ en: 'Create companies named in the file that do not exist yet', fr: 'Créer les entreprises du fichier qui n’existent pas encore' })}
          </label>
        </div>
      </section>

      <section aria-label={t({ en: 'Preview', fr: 'Aperçu' })} className="r-card" style={{ padding: 16, display: 'grid', gap: 12 }}>
        <div style={{ display: 'flex', gap: 12, alignItems: 'center' }}>
          <h3 style={{ margin: 0, fontSize: 15 }}>{t({ en: 'Preview', fr: 'Aperçu' })}</h3>
          <Button size="sm" disabled={!dirty || busy} onClick={() => void act(save)}>
            {t({ en: 'Apply changes to the preview', fr: 'Appliquer à l’aperçu' })}
          </Button>
        </div>
        {preview.data ? <PreviewTable view={view} preview={preview.data} /> : preview.error ? <Alert>{(preview.error as Error).message}</Alert> : <Spinner label={t({ en: 'Loading', fr: 'Chargement' })} />}
      </section>

      {error ? <Alert>{error}</Alert> : null}
      <div style={{ display: 'flex', gap: 12, alignItems: 'end', flexWrap: 'wrap' }}>
        <Button variant="primary" disabled={busy} onClick={() => void start()}>
          {t({ en: `Import ${view.progress.total} rows`, fr: `Importer ${view.progress.total} lignes` })}
        </Button>
        <Field label={t({ en: 'Save these choices as a template', fr: 'Enregistrer ces choix comme modèle' })}>
          <Input value={templateName} placeholder={t({ en: 'Template name', fr: 'Nom du modèle' })} onChange={(event) => setTemplateName(event.target.value)} />
        </Field>
        <Button disabled={busy || !templateName.trim()} onClick={() => void saveTemplate()}>
          {t({ en: 'Save template', fr: 'Enregistrer le modèle' })}
        </Button>
        {saved ? <span role="status">{t({ en: `Template “${saved}” saved`, fr: `Modèle « ${saved} » enregistré` })}</span> : null}
      </div>
    </>
  );
}

function PreviewTable({ view, preview }: { view: ImportView; preview: Preview }) {
  const { t } = useRapport();
  const labels = new Map(view.targets.map((target) => [target.target.split('.')[0]!, t(target.labels).split(' — ')[0]!]));
  const fields = [...new Set(view.settings.mapping.filter((target): target is string => Boolean(target)).map((target) => target.split('.')[0]!))];
  const show = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'object' ? Object.values(value as object).filter(Boolean).join(', ') : String(value));
  return (
    <>
      {preview.missingRequired.length ? (
        <Alert>{t({ en: `Map a column to: ${preview.missingRequired.map((field) => field.labels.en).join(', ')}`, fr: `Associez une colonne à : ${preview.missingRequired.map((field) => field.labels.fr ?? field.labels.en).join(', ')}` })}</Alert>
      ) : null}
      <div style={{ overflowX: 'auto' }}>
        <table className="r-table" data-testid="import-preview">
          <thead>
            <tr>
              <th>{t({ en: 'Row', fr: 'Ligne' })}</th>
              {fields.map((field) => (
                <th key={field}>{labels.get(field) ?? field}</th>
              ))}
              <th>{t({ en: 'Duplicate', fr: 'Doublon' })}</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.rowNo}>
                <td>{row.rowNo + 1}</td>
                {fields.map((field) => {
                  const error = row.errors.find((candidate) => candidate.field.split('.')[0] === field);
                  return (
                    <td key={field} data-error={error ? true : undefined} title={error?.message}>
                      {error ? error.message : show(row.values[field])}
                    </td>
                  );
                })}
                <td>{row.duplicate ? `${Math.round(row.duplicate.score * 100)} % (${row.duplicate.fields.join(', ')})` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p role="status" style={{ margin: 0 }}>
        {preview.failing.count === 0
          ? t({ en: 'Every row can be imported.', fr: 'Toutes les lignes peuvent être importées.' })
          : t({ en: `${preview.failing.count} row(s) will be rejected:`, fr: `${preview.failing.count} ligne(s) seront rejetées :` })}
      </p>
      {preview.failing.rows.length ? (
        <ul style={{ margin: 0 }} data-testid="failing-rows">
          {preview.failing.rows.map((row) => (
            <li key={row.rowNo}>
              {t({ en: `Line ${row.rowNo + 1}`, fr: `Ligne ${row.rowNo + 1}` })} — {row.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

function Run({ view }: { view: ImportView }) {
  const { fetch, t, locale } = useRapport();
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const { progress } = view;
  const number = (value: number) => value.toLocaleString(locale);
  const undo = async () => {
    setError(null);
    try {
      const undoing = await json<ImportView>(await fetch(`${API}/imports/${view.id}/undo`, { method: 'POST' }));
      client.setQueryData(['data-ops', 'import', view.id], undoing);
    } catch (caught) {
      setError((caught as Error).message);
    }
  };
  return (
    <section className="r-card" style={{ padding: 16, display: 'grid', gap: 12 }} aria-label={t({ en: 'Progress', fr: 'Progression' })}>
      <progress className="r-progress" max={progress.total} value={progress.processed} aria-label={t({ en: 'Rows done', fr: 'Lignes traitées' })} />
      <p style={{ margin: 0 }} data-testid="import-progress">
        {t({ en: `${number(progress.processed)} of ${number(progress.total)} rows`, fr: `${number(progress.processed)} lignes sur ${number(progress.total)}` })}
        {view.status === 'running' && progress.rowsPerSecond ? ` · ${t({ en: `${number(progress.rowsPerSecond)} rows/s`, fr: `${number(progress.rowsPerSecond)} lignes/s` })}` : ''}
        {progress.etaSeconds ? ` · ${t({ en: `about ${progress.etaSeconds} s left`, fr: `environ ${progress.etaSeconds} s restantes` })}` : ''}
      </p>
      <dl style={{ display: 'grid', gridTemplateColumns: 'repeat(4, max-content)', gap: '4px 24px', margin: 0 }} data-testid="import-totals">
        <dt>{t({ en: 'Created', fr: 'Créées' })}</dt>
        <dt>{t({ en: 'Updated', fr: 'Mises à jour' })}</dt>
        <dt>{t({ en: 'Skipped (duplicates)', fr: 'Ignorées (doublons)' })}</dt>
        <dt>{t({ en: 'Rejected', fr: 'Rejetées' })}</dt>
        <dd style={{ margin: 0, fontSize: 20 }}>{number(progress.created)}</dd>
        <dd style={{ margin: 0, fontSize: 20 }}>{number(progress.updated)}</dd>
        <dd style={{ margin: 0, fontSize: 20 }}>{number(progress.skipped)}</dd>
        <dd style={{ margin: 0, fontSize: 20 }}>{number(progress.rejected)}</dd>
      </dl>
      {view.error ? <Alert>{view.error}</Alert> : null}
      {error ? <Alert>{error}</Alert> : null}
      {view.status !== 'running' && progress.skipped + progress.rejected > 0 ? <Decisions id={view.id} /> : null}
      <div style={{ display: 'flex', gap: 12 }}>
        {progress.rejected > 0 ? (
          <a className="r-button" href={`${API}/imports/${view.id}/rejected.csv?lang=${locale}`} download>
            {t({ en: 'Download the rejected rows', fr: 'Télécharger les lignes rejetées' })}
          </a>
        ) : null}
        {view.status === 'done' || view.status === 'failed' ? (
          <Button variant="danger" onClick={() => void undo()}>
            {t({ en: 'Undo this import', fr: 'Annuler cet import' })}
          </Button>
        ) : null}
      </div>
    </section>
  );
}

interface RowOutcome {
  rowNo: number;
  status: string;
  reason: string | null;
  match: { recordId: string; score: number; fields: string[] } | null;
  cells: string[];
}

/** The rows not created, each with what was decided and why: duplicates skipped, rows rejected. */
function Decisions({ id }: { id: string }) {
  const { fetch, t, navigate } = useRapport();
  const view = useImport(id).data;
  const rows = useQuery({
    queryKey: ['data-ops', 'import', id, 'decisions'],
    queryFn: async () => {
      const read = async (status: string) => (await json<{ data: RowOutcome[] }>(await fetch(`${API}/imports/${id}/rows?status=${status}&limit=100`))).data;
      return [...(await read('skipped')), ...(await read('rejected'))].sort((a, b) => a.rowNo - b.rowNo);
    },
  });
  if (!rows.data?.length) return null;
  return (
    <table className="r-table" data-testid="import-decisions">
      <thead>
        <tr>
          <th>{t({ en: 'Line', fr: 'Ligne' })}</th>
          <th>{t({ en: 'Row', fr: 'Contenu' })}</th>
          <th>{t({ en: 'Decision', fr: 'Décision' })}</th>
        </tr>
      </thead>
      <tbody>
        {rows.data.map((row) => (
          <tr key={row.rowNo}>
            <td>{row.rowNo + 1}</td>
            <td className="r-muted" style={{ maxWidth: 360, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{row.cells.filter(Boolean).slice(0, 4).join(' · ')}</td>
            <td>
              {row.status === 'rejected' ? (
                <span>{t({ en: 'Rejected: ', fr: 'Rejetée : ' })}{row.reason}</span>
              ) : (
                <span>
                  {t({ en: 'Skipped, duplicate of ', fr: 'Ignorée, doublon de ' })}
                  {row.match?.recordId && view ? (
                    <a href={`/objects/${view.object}/${row.match.recordId}`} onClick={(event) => { event.preventDefault(); navigate(`/objects/${view.object}/${row.match!.recordId}`); }}>
                      {t({ en: 'this record', fr: 'cette fiche' })}
                    </a>
                  ) : null}{' '}
                  ({Math.round((row.match?.score ?? 0) * 100)} % · {row.match?.fields.join(', ')})
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
