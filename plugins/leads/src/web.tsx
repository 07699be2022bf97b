import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Dialog, Field, Input } from '@rapport/ui';
import { defineWeb, useRapport, type RecordSlotProps } from '@rapport/sdk/web';
import { useState } from 'react';
import { ScoringSettings } from './web/scoring-settings';

/** "Convert" on a lead's page: a person at a company, and an opportunity if named, in one go. */
function ConvertAction({ recordId, record }: RecordSlotProps) {
  const { fetch, t, navigate, refresh } = useRapport();
  const [open, setOpen] = useState(false);
  const [deal, setDeal] = useState('');
  const convert = useMutation({
    mutationFn: async () => {
      const response = await fetch(`/api/v1/plugins/leads/leads/${recordId}/convert`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(deal.trim() ? { opportunity: { name: deal.trim() } } : {}) });
      const body = (await response.json()) as { person?: { id: string }; detail?: string; errors?: { field: string; message: string }[] };
      if (!response.ok) throw new Error(body.errors?.[0] ? `${body.errors[0].field}: ${body.errors[0].message}` : (body.detail ?? String(response.status)));
      return body as { person: { id: string } };
    },
    onSuccess: (result) => {
      setOpen(false);
      refresh();
      navigate(`/objects/person/${result.person.id}`);
    },
  });
  if (record.status === 'converted') return null;
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>{t({ en: 'Convert', fr: 'Convertir' })}</Button>
      <Dialog
        open={open}
        title={t({ en: 'Convert this lead', fr: 'Convertir cette piste' })}
        closeLabel={t({ en: 'Close', fr: 'Fermer' })}
        onClose={() => setOpen(false)}
        onSubmit={() => convert.mutate()}
        footer={<Button type="submit" variant="primary" disabled={convert.isPending}>{t({ en: 'Convert', fr: 'Convertir' })}</Button>}
      >
        <p style={{ margin: 0 }}>{t({ en: 'The lead becomes a person at its company (an existing one when the name or email domain matches).', fr: 'La piste devient une personne de son entreprise (une existante si le nom ou le domaine de l’e-mail correspond).' })}</p>
        {convert.error ? <Alert>{(convert.error as Error).message}</Alert> : null}
        <Field label={t({ en: 'Also create an opportunity named (optional)', fr: 'Créer aussi une opportunité nommée (facultatif)' })}>
          <Input value={deal} onChange={(event) => setDeal(event.target.value)} />
        </Field>
      </Dialog>
    </>
  );
}

/** The lead's score and what made it. */
function ScorePanel({ record }: RecordSlotProps) {
  const { t } = useRapport();
  return (
    <div data-testid="lead-score">
      <strong style={{ fontSize: 22 }}>{record.score === null || record.score === undefined ? '—' : String(record.score)}</strong>
      <p className="r-muted" style={{ margin: 0 }}>{record.scoreReasons ? String(record.scoreReasons) : t({ en: 'No rule applies yet.', fr: 'Aucune règle ne s’applique encore.' })}</p>
    </div>
  );
}

export default defineWeb({ id: 'leads' }, {
  slots: {
    'record.action/v1': [{ id: 'convert', objects: ['lead'], component: ConvertAction }],
    'record.panel/v1': [{ id: 'score', title: { en: 'Score', fr: 'Score' }, objects: ['lead'], component: ScorePanel }],
    'settings.page/v1': [{ id: 'scoring', title: { en: 'Lead scoring', fr: 'Score des pistes' }, component: ScoringSettings }],
  },
});
