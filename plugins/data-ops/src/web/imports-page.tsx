import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Alert, Button, EmptyState, Field, Select } from '@rapport/ui';
import { useRapport } from '@rapport/sdk/web';
import { API, type ImportView, json } from './import-api';
import { StatusBadge } from './status-badge';

type Text = { en: string; fr?: string };

/** `/p/data-ops/imports`: send a file to import into an object, and the imports one has made. */
export function ImportsPage() {
  const { fetch, t, navigate, locale } = useRapport();
  const me = useQuery({ queryKey: ['me'], queryFn: async () => (await (await fetch('/api/v1/me')).json()) as { permissions?: { import?: boolean } }, staleTime: 60_000 });
  const objects = useQuery({
    queryKey: ['metadata', 'objects'],
    queryFn: async () => (await json<{ data: { name: string; labels: { plural: Text } }[] }>(await fetch('/api/v1/metadata/objects'))).data,
    staleTime: 5 * 60_000,
  });
  // Statuses move on in the background: read again on every visit.
  const imports = useQuery({ queryKey: ['data-ops', 'imports'], queryFn: async () => (await json<{ data: ImportView[] }>(await fetch(`${API}/imports`))).data, refetchOnMount: 'always' });
  const [object, setObject] = useState('person');
  // An object's name is its API name ("person"): the list says its label in the reader's language.
  const pluralOf = (name: string) => {
    const found = objects.data?.find((candidate) => candidate.name === name);
    return found ? t(found.labels.plural) : name;
  };
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return setError(t({ en: 'Choose a CSV or Excel file', fr: 'Choisissez un fichier CSV ou Excel' }));
    setSending(true);
    setError(null);
    try {
      // The file goes as the body itself: the server reads it as a stream, whatever its size.
      const query = new URLSearchParams({ object, fileName: file.name });
      const created = await json<ImportView>(await fetch(`${API}/imports?${query}`, { method: 'POST', headers: { 'content-type': file.type || 'application/octet-stream' }, body: file }));
      navigate(`/p/data-ops/imports/${created.id}`);
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setSending(false);
    }
  };

  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div style={{ display: 'grid', gap: 24, maxWidth: 960 }}>
      {me.data && !me.data.permissions?.import ? (
        <Alert>{t({ en: 'Your role does not allow imports.', fr: 'Votre rôle ne permet pas d’importer.' })}</Alert>
      ) : (
        <form onSubmit={(event) => void send(event)} className="r-card" style={{ display: 'grid', gap: 12, padding: 16 }} aria-label={t({ en: 'New import', fr: 'Nouvel import' })}>
          <h2 style={{ margin: 0, fontSize: 16 }}>{t({ en: 'Import a file', fr: 'Importer un fichier' })}</h2>
          <p className="r-muted" style={{ margin: 0 }}>
            {t({ en: 'CSV (any separator, UTF-8 or Windows-1252) or Excel .xlsx, first line naming the columns.', fr: 'CSV (tout séparateur, UTF-8 ou Windows-1252) ou Excel .xlsx, la première ligne nommant les colonnes.' })}
          </p>
          <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', alignItems: 'end' }}>
            <Field label={t({ en: 'Into', fr: 'Dans' })}>
              <Select value={object} onChange={(event) => setObject(event.target.value)}>
                {(objects.data ?? []).map((candidate) => (
                  <option key={candidate.name} value={candidate.name}>
                    {t(candidate.labels.plural)}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label={t({ en: 'File', fr: 'Fichier' })}>
              <input type="file" className="r-input" accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
            </Field>
            <Button type="submit" variant="primary" disabled={sending}>
              {sending ? t({ en: 'Reading the file…', fr: 'Lecture du fichier…' }) : t({ en: 'Upload', fr: 'Envoyer' })}
            </Button>
          </div>
          {error ? <Alert>{error}</Alert> : null}
        </form>
      )}
      <section aria-label={t({ en: 'My imports', fr: 'Mes imports' })}>
        <h2 style={{ fontSize: 16 }}>{t({ en: 'My imports', fr: 'Mes imports' })}</h2>
        {imports.data?.length === 0 ? (
          <EmptyState title={t({ en: 'No import yet', fr: 'Aucun import pour l’instant' })} />
        ) : (
          <table className="r-table" style={{ width: '100%' }}>
            <thead>
              <tr>
                <th>{t({ en: 'File', fr: 'Fichier' })}</th>
                <th>{t({ en: 'Into', fr: 'Dans' })}</th>
                <th>{t({ en: 'Status', fr: 'État' })}</th>
                <th style={{ textAlign: 'right' }}>{t({ en: 'Rows', fr: 'Lignes' })}</th>
                <th>{t({ en: 'Sent', fr: 'Envoyé' })}</th>
              </tr>
            </thead>
            <tbody>
              {(imports.data ?? []).map((item) => (
                <tr key={item.id}>
                  <td>
                    <a href={`/p/data-ops/imports/${item.id}`} onClick={(event) => { event.preventDefault(); navigate(`/p/data-ops/imports/${item.id}`); }}>
                      {item.fileName}
                    </a>
                  </td>
                  <td>{pluralOf(item.object)}</td>
                  <td><StatusBadge status={item.status} /></td>
                  <td style={{ textAlign: 'right' }}>{item.progress.total.toLocaleString(locale)}</td>
                  <td>{dateFormat.format(new Date(item.createdAt))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
