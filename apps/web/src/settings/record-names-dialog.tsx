import { Button, Dialog, Field, Select } from '@rapport/ui';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiProblem, unwrap } from '../api/client';
import { useRefreshMetadata, type ObjectDefinition } from '../api/queries';
import { useI18n } from '../i18n/i18n';

/** The field types that can name a record (as the server's `canBeLabel`). */
const NAMING_TYPES = new Set(['text', 'email', 'phone', 'url', 'number']);
const PARTS = 4;

/** Which fields name an object's records (`titleFields`) and which one finds and sorts them (`labelField`). */
export function RecordNamesDialog({ object, onClose, onSaved }: { object: ObjectDefinition; onClose: () => void; onSaved: () => void }) {
  const { t, l } = useI18n();
  const refresh = useRefreshMetadata();
  const naming = object.fields.filter((field) => NAMING_TYPES.has(field.type) && field.name !== 'id');
  const [labelField, setLabelField] = useState(object.labelField);
  const [parts, setParts] = useState(() => Array.from({ length: PARTS }, (_, index) => object.titleFields[index] ?? ''));
  const save = useMutation({
    mutationFn: () =>
      unwrap(api.PATCH('/api/v1/metadata/objects/{object}', { params: { path: { object: object.name } }, body: { labelField, titleFields: parts.filter(Boolean) } as never })),
    onSuccess: async () => {
      await refresh();
      onSaved();
      onClose();
    },
  });
  // A refusal names the part (`titleFields.2`): shown under it.
  const problems = save.error instanceof ApiProblem ? save.error.errors : [];
  const errorOf = (field: string) => problems.find((problem) => problem.field === field)?.message;
  const kept = parts.filter(Boolean);
  /** The problem of a part, which the server numbers among the parts chosen. */
  const partError = (index: number) => (parts[index] ? errorOf(`titleFields.${parts.slice(0, index).filter(Boolean).length}`) : undefined);
  return (
    <Dialog open title={t('names.edit')} closeLabel={t('common.close')} onClose={onClose} onSubmit={() => save.mutate()} footer={<><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="submit" variant="primary" disabled={save.isPending || kept.length === 0}>{t('common.save')}</Button></>}>
      {save.error && problems.length === 0 ? <div className="r-alert" role="alert">{(save.error as Error).message}</div> : null}
      <p className="r-muted">{t('names.hint')}</p>
      <div className="form-grid">
        {parts.map((part, index) => (
          <Field key={index} label={t('names.titleField', { n: String(index + 1) })} error={partError(index)}>
            <Select value={part} onChange={(event) => setParts(parts.map((current, at) => (at === index ? event.target.value : current)))}>
              <option value="">—</option>
              {naming.map((field) => <option key={field.name} value={field.name}>{l(field.labels)}</option>)}
            </Select>
          </Field>
        ))}
      </div>
      <Field label={t('names.labelField')} error={errorOf('labelField')}>
        <Select value={labelField} onChange={(event) => setLabelField(event.target.value)}>
          {naming.map((field) => <option key={field.name} value={field.name}>{l(field.labels)}</option>)}
        </Select>
      </Field>
    </Dialog>
  );
}
