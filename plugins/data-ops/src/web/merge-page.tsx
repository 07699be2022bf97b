import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Alert, Button, Spinner } from '@rapport/ui';
import { recordTitle, useRapport, type PluginPageProps } from '@rapport/sdk/web';
import { API, json } from './import-api';

type Text = { en: string; fr?: string };
type Row = Record<string, unknown> & { id: string };
interface FieldView {
  name: string;
  type: string;
  labels: Text;
  readOnly?: boolean;
  options?: { value: string; labels: Text }[];
  relation?: { kind: string; target: string };
}
interface ObjectView {
  name: string;
  titleFields: string[];
  labels: { singular: Text; plural: Text };
  fields: FieldView[];
}

const empty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/** What a user reads for a value: options by their label, related records by their name (`titleOf`), composite values joined. */
function shown(value: unknown, yes: string, no: string, options?: Map<string, string>, titleOf?: (record: Row) => string | null): string {
  if (empty(value)) return '—';
  if (options && typeof value === 'string') return options.get(value) ?? value;
  if (options && Array.isArray(value)) return value.map((item) => options.get(String(item)) ?? String(item)).join(', ');
  if (typeof value === 'boolean') return value ? yes : no;
  if (Array.isArray(value)) return value.map((item) => shown(item, yes, no, undefined, titleOf)).join(', ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.record && typeof record.record === 'object') return shown(record.record, yes, no, undefined, titleOf) + (record.role ? ` (${String(record.role)})` : '');
    if ('id' in record) return titleOf?.(record as Row) ?? String(record.id);
    return Object.values(record).filter((part) => !empty(part)).map(String).join(' ');
  }
  return String(value);
}

/** A value as the records API takes it back: related records by id, links without their expansion. */
function writable(field: FieldView, value: unknown): unknown {
  if (field.relation?.kind === 'manyToOne') return value && typeof value === 'object' ? (value as Row).id : (value ?? null);
  if (field.relation?.kind === 'manyToMany') return ((value as Row[] | null) ?? []).map(({ record: _record, ...link }) => link);
  return value ?? null;
}

/**
 * `/p/data-ops/merge/:object/:ids`: the records side by side; pick the one to keep and, field by
 * field, the value it keeps. The others go to the trash, their relations move to it; undo is offered after.
 */
export function MergePage({ params }: PluginPageProps) {
  const { fetch, t, navigate, locale, refresh, format, FieldValue } = useRapport();
  const client = useQueryClient();
  const objectName = params.object ?? '';
  const ids = (params.ids ?? '').split(',').filter(Boolean);
  const data = useQuery({
    queryKey: ['data-ops', 'merge', objectName, ids],
    queryFn: async () => {
      // Every object: related records are named by their own object's title fields.
      const objects = (await json<{ data: ObjectView[] }>(await fetch('/api/v1/metadata/objects'))).data;
      const object = objects.find((candidate) => candidate.name === objectName);
      if (!object) throw new Error(`There is no object "${objectName}"`);
      const fields = object.fields.filter((field) => !field.readOnly && field.relation?.kind !== 'oneToMany' && !['id', 'createdAt', 'updatedAt', 'ownerId'].includes(field.name));
      const expand = fields.filter((field) => field.relation).map((field) => field.name);
      const records = await Promise.all(ids.map(async (id) => json<Row>(await fetch(`/api/v1/records/${objectName}/${id}${expand.length ? `?expand=${expand.join(',')}` : ''}`))));
      const titles = new Map(objects.map((candidate) => [candidate.name, candidate.titleFields]));
      return { object, fields, records, titles };
    },
  });
  const [survivor, setSurvivor] = useState(ids[0] ?? '');
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = (text: Text) => (locale === 'fr' && text.fr ? text.fr : text.en);

  // By default each field keeps the survivor's value, or the first other record's that has one.
  useEffect(() => {
    if (!data.data) return;
    const byId = new Map(data.data.records.map((record) => [record.id, record]));
    const order = [survivor, ...ids.filter((id) => id !== survivor)];
    setChosen(Object.fromEntries(data.data.fields.map((field) => [field.name, order.find((id) => !empty(byId.get(id)?.[field.name])) ?? survivor])));
  }, [data.data, survivor]);

  if (data.isLoading) return <Spinner label={t({ en: 'Loading', fr: 'Chargement' })} />;
  if (data.error || !data.data) return <Alert>{(data.error as Error | null)?.message ?? t({ en: 'These records cannot be merged', fr: 'Ces fiches ne peuvent pas être fusionnées' })}</Alert>;
  const { object, fields, records, titles } = data.data;
  const yes = t({ en: 'Yes', fr: 'Oui' });
  const no = t({ en: 'No', fr: 'Non' });
  const shownFields = fields.filter((field) => records.some((record) => !empty(record[field.name])));
  const title = (record: Row) => recordTitle(object, record) ?? record.id;
  const optionsOf = (field: FieldView) => (field.options ? new Map(field.options.map((option) => [option.value, label(option.labels)])) : undefined);
  const titleOf = (field: FieldView) => (field.relation ? (related: Row) => recordTitle({ titleFields: titles.get(field.relation!.target) ?? [] }, related) : undefined);
  /** A value as text (a choice's accessible name): money, days and numbers written as the shell writes them. */
  const value = (field: FieldView, record: Row) => {
    const raw = record[field.name];
    if (empty(raw)) return '—';
    if (field.type === 'currency') return format.money(raw as { amountMinor: number; currency: string });
    if (field.type === 'date') return format.date(String(raw));
    if (field.type === 'datetime') return format.dateTime(String(raw));
    if (field.type === 'number') return format.number(Number(raw));
    return shown(raw, yes, no, optionsOf(field), titleOf(field));
  };
  /** A value as the shell shows it; a click on it (a chip, a phone's link) chooses it rather than leaving the page. */
  const cell = (field: FieldView, record: Row) => (
    <span style={{ pointerEvents: 'none' }}>
      <FieldValue object={objectName} field={field.name} value={record[field.name]} />
    </span>
  );
  const created = (record: Row) => format.date(String(record.createdAt));

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const keep = records.find((record) => record.id === survivor)!;
      const values: Record<string, unknown> = {};
      for (const field of fields) {
        const source = records.find((record) => record.id === chosen[field.name]);
        if (!source || source.id === survivor) continue;
        if (JSON.stringify(writable(field, source[field.name])) !== JSON.stringify(writable(field, keep[field.name]))) values[field.name] = writable(field, source[field.name]);
      }
      await json(await fetch(`${API}/merges/${objectName}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ survivorId: survivor, mergedIds: ids.filter((id) => id !== survivor), values }) }));
      navigate(`/objects/${objectName}/${survivor}`);
      // What the shell and this plugin show of these records is stale now (this page's own records included).
      refresh();
      void client.invalidateQueries({ queryKey: ['data-ops'], refetchType: 'none' });
    } catch (caught) {
      setError((caught as Error).message);
      setBusy(false);
    }
  };

  return (
    <div style={{ display: 'grid', gap: 16, maxWidth: 1100 }}>
      <p style={{ margin: 0 }}>
        <a href={`/objects/${objectName}/${ids[0]}`} onClick={(event) => { event.preventDefault(); navigate(`/objects/${objectName}/${ids[0]}`); }}>
          ← {title(records[0]!)}
        </a>
      </p>
      <h2 style={{ margin: 0, fontSize: 18 }}>{t({ en: `Merge ${records.length} ${label(object.labels.plural).toLowerCase()}`, fr: `Fusionner ${records.length} ${label(object.labels.plural).toLowerCase()}` })}</h2>
      <p className="r-muted" style={{ margin: 0 }}>
        {t({
          en: 'Choose the record to keep and, for each field, the value it keeps. The others go to the trash and everything linked to them (activities, relations, history) moves to the kept record. You can undo the merge from the kept record.',
          fr: 'Choisissez la fiche à garder et, pour chaque champ, la valeur qu’elle garde. Les autres vont à la corbeille et tout ce qui leur est lié (activités, relations, historique) passe sur la fiche gardée. La fusion peut être annulée depuis la fiche gardée.',
        })}
      </p>
      {error ? <Alert>{error}</Alert> : null}
      <div style={{ overflowX: 'auto' }}>
        <table className="r-table" data-testid="merge-table">
          <thead>
            <tr>
              <th>{t({ en: 'Field', fr: 'Champ' })}</th>
              {records.map((record) => (
                <th key={record.id}>
                  <label style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
                    <input type="radio" name="survivor" checked={survivor === record.id} onChange={() => setSurvivor(record.id)} />
                    <span>
                      {title(record)} {survivor === record.id ? <span className="r-muted">({t({ en: 'kept', fr: 'gardée' })})</span> : null}
                      <br />
                      <small className="r-muted" style={{ fontWeight: 400 }}>{t({ en: `created ${created(record)}`, fr: `créée le ${created(record)}` })}</small>
                    </span>
                  </label>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shownFields.map((field) => {
              const differs = new Set(records.map((record) => JSON.stringify(writable(field, record[field.name])))).size > 1;
              return (
                <tr key={field.name}>
                  <th scope="row" style={{ fontWeight: 500 }}>{label(field.labels)}</th>
                  {records.map((record) => (
                    <td key={record.id}>
                      {differs ? (
                        <label style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
                          <input type="radio" name={`field-${field.name}`} aria-label={`${label(field.labels)}: ${value(field, record)}`} checked={chosen[field.name] === record.id} onChange={() => setChosen((current) => ({ ...current, [field.name]: record.id }))} />
                          {cell(field, record)}
                        </label>
                      ) : (
                        cell(field, record)
                      )}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div style={{ display: 'flex', gap: 8 }}>
        <Button variant="primary" disabled={busy} onClick={() => void submit()}>{t({ en: `Merge into “${title(records.find((record) => record.id === survivor) ?? records[0]!)}”`, fr: `Fusionner dans « ${title(records.find((record) => record.id === survivor) ?? records[0]!)} »` })}</Button>
        <Button variant="ghost" onClick={() => navigate(`/objects/${objectName}/${ids[0]}`)}>{t({ en: 'Cancel', fr: 'Annuler' })}</Button>
      </div>
    </div>
  );
}
