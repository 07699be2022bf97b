import { Alert, Button, Dialog, Field, Select } from '@rapport/ui';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiProblem } from '../api/client';
import { usePermissions, type ObjectDefinition } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { creatableFields } from './create-record-dialog';
import { FieldInput } from './field-input';

/**
 * One value for one field on every selected record, in one batch: all or nothing, every record
 * checked by the server (a record I may not edit refuses the whole batch, with its reason).
 */
export function BulkEditDialog({ object, ids, onClose, onDone }: { object: ObjectDefinition; ids: string[]; onClose: () => void; onDone: (count: number) => void }) {
  const { t, l } = useI18n();
  const permissions = usePermissions(object.name);
  const fields = creatableFields(object, permissions?.fields).filter((field) => !field.unique);
  const [name, setName] = useState(fields[0]?.name ?? '');
  const [value, setValue] = useState<unknown>(null);
  const field = fields.find((candidate) => candidate.name === name);
  const apply = useMutation({
    mutationFn: () => api.records(object.name).batch({ operation: 'update', records: ids.map((id) => ({ id, [name]: value })) }),
    onSuccess: (answer) => {
      onDone(answer.data.length);
      onClose();
    },
  });
  const problem = apply.error instanceof ApiProblem ? apply.error : null;
  return (
    <Dialog
      open
      title={t('list.editSelected')}
      closeLabel={t('common.close')}
      onClose={onClose}
      onSubmit={() => apply.mutate()}
      footer={<><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="submit" variant="primary" disabled={apply.isPending || !field}>{t('list.selected', { count: ids.length })} · {t('common.save')}</Button></>}
    >
      {apply.error ? <Alert>{problem ? problem.errors[0]?.message ? `${problem.errors[0].field}: ${problem.errors[0].message}` : problem.detail ?? problem.title : String(apply.error)}</Alert> : null}
      <Field label={t('filter.field')}>
        <Select value={name} onChange={(event) => { setName(event.target.value); setValue(null); }}>
          {fields.map((candidate) => <option key={candidate.name} value={candidate.name}>{l(candidate.labels)}</option>)}
        </Select>
      </Field>
      {field ? (
        <Field label={t('filter.value')}>
          <FieldInput key={field.name} field={field} value={value} onChange={setValue} />
        </Field>
      ) : null}
    </Dialog>
  );
}
