import { Alert, Button, Dialog, Field } from '@rapport/ui';
import { useMutation } from '@tanstack/react-query';
import { useBlocker, useNavigate } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { api, ApiProblem, fieldErrors, type ApiRecord } from '../api/client';
import { usePermissions, type FieldDefinition, type ObjectDefinition } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { FieldInput } from './field-input';

const SYSTEM = new Set(['id', 'createdAt', 'updatedAt', 'version']);

/** The fields a person fills in when creating a record of this object: required ones first. */
export function creatableFields(object: ObjectDefinition, fieldRights: Record<string, string> | undefined): FieldDefinition[] {
  const fields = object.fields.filter((field) => !SYSTEM.has(field.name) && !field.readOnly && field.relation?.kind !== 'oneToMany' && (fieldRights?.[field.name] ?? 'write') === 'write' && field.name !== 'ownerId');
  return [...fields.filter((field) => field.required), ...fields.filter((field) => !field.required)];
}

/** The create form, generated from the object's metadata; the server's refusals land under their fields. */
export function CreateRecordDialog({ object, onClose, onCreated }: { object: ObjectDefinition; onClose: () => void; onCreated: (record: ApiRecord) => void }) {
  const { t, l } = useI18n();
  const navigate = useNavigate();
  const permissions = usePermissions(object.name);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const created = useRef(false);
  const create = useMutation({
    mutationFn: () => api.records(object.name).create(Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== undefined && value !== ''))),
    onSuccess: (record) => {
      created.current = true;
      onCreated(record);
      onClose();
      void navigate({ to: '/objects/$object/$id', params: { object: object.name, id: record.id } });
    },
  });
  const errors = fieldErrors(create.error);
  const fields = creatableFields(object, permissions?.fields);
  const dirty = Object.keys(values).length > 0;
  // Leaving the page (a link, Back, closing the tab) with a half-filled form asks first; not once it is saved.
  useBlocker({ shouldBlockFn: () => !created.current && !window.confirm(t('app.unsaved')), disabled: !dirty, enableBeforeUnload: () => dirty && !created.current });
  const close = () => {
    if (!dirty || window.confirm(t('app.unsaved'))) onClose();
  };
  return (
    <Dialog
      open
      title={t('form.create', { object: l(object.labels.singular).toLowerCase() })}
      closeLabel={t('common.close')}
      onClose={close}
      onSubmit={() => create.mutate()}
      footer={
        <>
          <Button onClick={close}>{t('common.cancel')}</Button>
          <Button type="submit" variant="primary" disabled={create.isPending}>{create.isPending ? t('common.saving') : t('form.create.submit')}</Button>
        </>
      }
    >
      {create.error ? <Alert>{Object.keys(errors).length ? t('form.fixErrors') : create.error instanceof ApiProblem ? create.error.detail ?? create.error.title : String(create.error)}</Alert> : null}
      {fields.map((field) => (
        <Field key={field.name} label={l(field.labels)} required={field.required} error={errors[field.name]} hint={field.description ? l(field.description) : undefined}>
          <FieldInput field={field} value={values[field.name]} onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))} autoFocus={field === fields[0]} />
        </Field>
      ))}
    </Dialog>
  );
}
