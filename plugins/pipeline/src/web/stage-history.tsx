import { useQuery } from '@tanstack/react-query';
import { useRapport, type RecordSlotProps } from '@rapport/sdk/web';
import { json } from './common';

/** On an opportunity's page: the stages it went through and the days spent in each. */
export function StageHistory({ recordId }: RecordSlotProps) {
  const { fetch, t } = useRapport();
  const history = useQuery({ queryKey: ['pipeline', 'history', recordId], queryFn: async () => (await json<{ data: { stage: string | null; days: number; from: string }[] }>(await fetch(`/api/v1/plugins/pipeline/opportunities/${recordId}/history`))).data });
  if (!history.data?.length) return <p className="r-muted" style={{ margin: 0 }}>{t({ en: 'No stage yet.', fr: 'Pas encore d’étape.' })}</p>;
  return (
    <ol style={{ margin: 0, paddingLeft: 18 }} data-testid="stage-history">
      {history.data.map((period) => (
        <li key={period.from}>{period.stage ?? '—'}: {t({ en: `${period.days} days`, fr: `${period.days} jours` })}</li>
      ))}
    </ol>
  );
}


