import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@rapport/ui';
import { useRapport, type RecordSlotProps } from '@rapport/sdk/web';
import { API, json } from './import-api';

interface Candidate {
  id: string;
  label: string;
  detail: string | null;
  score: number;
  matched: { field: string; kind: string }[];
}
interface Merge {
  id: string;
  mergedIds: string[];
  at: string;
  undoneAt: string | null;
}

/**
 * On every record page: the records most likely to be the same one, with why, to merge into it;
 * and the merges into it that can still be undone.
 */
export function Duplicates({ object, recordId }: RecordSlotProps) {
  const { fetch, t, navigate, refresh, locale } = useRapport();
  const client = useQueryClient();
  const [selected, setSelected] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const candidates = useQuery({
    queryKey: ['data-ops', 'duplicates', object, recordId],
    queryFn: async () => (await json<{ data: Candidate[] }>(await fetch(`${API}/duplicates/${object}/${recordId}`))).data,
  });
  // Field names as the reader knows them ("same Email", "similar Last name").
  const labels = useQuery({
    queryKey: ['data-ops', 'field-labels', object],
    queryFn: async () => new Map((await json<{ fields: { name: string; labels: { en: string; fr?: string } }[] }>(await fetch(`/api/v1/metadata/objects/${object}`))).fields.map((field) => [field.name, field.labels])),
    staleTime: 5 * 60_000,
  });
  const fieldName = (name: string) => {
    const text = labels.data?.get(name);
    return text ? t(text).toLowerCase() : name;
  };
  const merges = useQuery({
    queryKey: ['data-ops', 'merges', object, recordId],
    queryFn: async () => (await json<{ data: Merge[] }>(await fetch(`${API}/merges/${object}/${recordId}`))).data.filter((merge) => !merge.undoneAt),
  });
  const undo = async (merge: Merge) => {
    setError(null);
    try {
      await json(await fetch(`${API}/merges/${merge.id}/undo`, { method: 'POST' }));
      await client.invalidateQueries({ queryKey: ['data-ops'] });
      refresh();
    } catch (caught) {
      setError((caught as Error).message);
    }
  };
  const toggle = (id: string) => setSelected((current) => (current.includes(id) ? current.filter((other) => other !== id) : [...current, id]));
  const date = (iso: string) => new Date(iso).toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <div style={{ display: 'grid', gap: 8 }}>
      {merges.data?.map((merge) => (
        <div key={merge.id} data-testid="merge-done" style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
          <span>{t({ en: `${merge.mergedIds.length} record${merge.mergedIds.length > 1 ? 's' : ''} merged into this one, ${date(merge.at)}`, fr: `${merge.mergedIds.length} fiche${merge.mergedIds.length > 1 ? 's' : ''} fusionnée${merge.mergedIds.length > 1 ? 's' : ''} dans celle-ci le ${date(merge.at)}` })}</span>
          <Button size="sm" onClick={() => void undo(merge)}>{t({ en: 'Undo merge', fr: 'Annuler la fusion' })}</Button>
        </div>
      ))}
      {error ? <p role="alert" style={{ margin: 0, color: 'var(--r-danger, #b42318)' }}>{error}</p> : null}
      {!candidates.data ? null : candidates.data.length === 0 ? (
        <p className="r-muted" style={{ margin: 0 }}>{t({ en: 'No likely duplicate.', fr: 'Aucun doublon probable.' })}</p>
      ) : (
        <>
          <ul style={{ margin: 0, paddingLeft: 0, listStyle: 'none', display: 'grid', gap: 4 }} data-testid="duplicates">
            {candidates.data.map((candidate) => (
              <li key={candidate.id} style={{ display: 'flex', gap: 6, alignItems: 'baseline' }}>
                <input type="checkbox" aria-label={t({ en: `Select ${candidate.label}`, fr: `Sélectionner ${candidate.label}` })} checked={selected.includes(candidate.id)} onChange={() => toggle(candidate.id)} />
                <span>
                  <a href={`/objects/${object}/${candidate.id}`} onClick={(event) => { event.preventDefault(); navigate(`/objects/${object}/${candidate.id}`); }}>{candidate.label}</a>{' '}
                  {candidate.detail ? <span className="r-muted">{candidate.detail} </span> : null}
                  <span className="r-muted" style={{ fontSize: 12 }}>
                    {Math.round(candidate.score * 100)} % · {candidate.matched.map((match) => (match.kind === 'same' ? t({ en: `same ${fieldName(match.field)}`, fr: `même ${fieldName(match.field)}` }) : t({ en: `similar ${fieldName(match.field)}`, fr: `${fieldName(match.field)} proche` }))).join(', ')}
                  </span>
                </span>
              </li>
            ))}
          </ul>
          <div>
            <Button size="sm" disabled={selected.length === 0 || selected.length > 9} onClick={() => navigate(`/p/data-ops/merge/${object}/${[recordId, ...selected].join(',')}`)}>
              {t({ en: selected.length ? `Merge ${selected.length + 1} records…` : 'Select duplicates to merge', fr: selected.length ? `Fusionner ${selected.length + 1} fiches…` : 'Sélectionnez les doublons à fusionner' })}
            </Button>
          </div>
        </>
      )}
    </div>
  );
}
