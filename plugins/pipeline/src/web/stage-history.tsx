import { useQuery } from '@tanstack/react-query';
import { useRapport, type RecordSlotProps } from '@rapport/sdk/web';
import { json, useFieldOptions } from './common';

/** On an opportunity's page: the stages it went through and the days spent in each. */
export function StageHistory({ recordId }: RecordSlotProps) {
  const { fetch, t } = useRapport();
  const { optionsOf } = useFieldOptions('opportunity');
  const stageName = (stage: string | null) => {
    if (stage === null) return '—';
    const option = optionsOf('stage').find((candidate) => candidate.value === stage);
    return option ? t(option.labels) : stage;
  };
  const history = useQuery({ queryKey: ['pipeline', 'history', recordId], queryFn: async () => (await json<{ data: { stage: string | null; days: number; from: string }[] }>(await fetch(`/api/v1/plugins/pipeline/opportunities/${recordId}/history`))).data });
  if (!history.data?.length) return <p className="r-muted" style={{ margin: 0 }}>{t({ en: 'No stage yet.', fr: 'Pas encore d’étape.' })}</p>;
  return (
    <ol style={{ margin: 0, paddingLeft: 18 }} data-testid="stage-history">
      {history.data.map((period) => (
        <li key={period.from}>{t({ en: `${stageName(period.stage)}: ${period.days} days`, fr: `${stageName(period.stage)} : ${period.days} jours` })}</li>
      ))}
    </ol>
  );
}


