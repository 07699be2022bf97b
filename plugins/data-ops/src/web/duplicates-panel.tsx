import { useQuery } from '@tanstack/react-query';
import { useRapport, type RecordSlotProps } from '@rapport/sdk/web';

/** On every record page: the records most likely to be the same one, with why. */
export function Duplicates({ object, recordId }: RecordSlotProps) {
  const { fetch, t, navigate } = useRapport();
  const candidates = useQuery({
    queryKey: ['data-ops', 'duplicates', object, recordId],
    queryFn: async () => ((await (await fetch(`/api/v1/plugins/data-ops/duplicates/${object}/${recordId}`)).json()) as { data?: { id: string; label: string; score: number; matched: { field: string; kind: string }[] }[] }).data ?? [],
  });
  if (!candidates.data) return null;
  if (candidates.data.length === 0) return <p className="r-muted" style={{ margin: 0 }}>{t({ en: 'No likely duplicate.', fr: 'Aucun doublon probable.' })}</p>;
  return (
    <ul style={{ margin: 0, paddingLeft: 18 }} data-testid="duplicates">
      {candidates.data.map((candidate) => (
        <li key={candidate.id}>
          <a href={`/objects/${object}/${candidate.id}`} onClick={(event) => { event.preventDefault(); navigate(`/objects/${object}/${candidate.id}`); }}>{candidate.label}</a>{' '}
          <span className="r-muted" style={{ fontSize: 12 }}>
            {Math.round(candidate.score * 100)} % · {candidate.matched.map((match) => (match.kind === 'same' ? t({ en: `same ${match.field}`, fr: `même ${match.field}` }) : t({ en: `similar ${match.field}`, fr: `${match.field} proche` }))).join(', ')}
          </span>
        </li>
      ))}
    </ul>
  );
}
