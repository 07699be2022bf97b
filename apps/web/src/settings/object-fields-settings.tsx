import { Badge, Button, Dialog, Field, Input, Select, Textarea, useToast } from '@rapport/ui';
import type { MessageKey } from '@rapport/i18n';
import { useMutation } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { api, fieldErrors, unwrap } from '../api/client';
import { useObject, useObjects, useRefreshMetadata } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { NotFound } from '../shell/error-screen';

const TYPES = ['text', 'longText', 'number', 'currency', 'boolean', 'date', 'datetime', 'email', 'phone', 'url', 'select', 'multiSelect', 'relation', 'rating', 'address'] as const;
const typeKey = (type: string) => `fieldType.${type}` as MessageKey;

export function ObjectFieldsSettings() {
  const { object: name } = useParams({ from: '/app/settings/objects/$object' });
  const { t, l } = useI18n();
  const object = useObject(name);
  const refresh = useRefreshMetadata();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  if (!object) return <NotFound />;
  const remove = async (field: string, label: string) => {
    if (!window.confirm(t('fields.deleteConfirm', { field: label }))) return;
    try {
      await unwrap(api.DELETE('/api/v1/metadata/objects/{object}/fields/{field}', { params: { path: { object: object.name, field } } }));
      await refresh();
    } catch (error) {
      toast((error as Error).message, 'danger');
    }
  };
  return (
    <>
      <div className="page-header">
        <div style={{ marginRight: 'auto' }}>
          <Link to="/settings/objects" className="r-muted">{t('settings.objects')}</Link>
          <h1>{l(object.labels.plural)}</h1>
        </div>
        <Button variant="primary" icon={<Plus size={15} />} onClick={() => setCreating(true)}>{t('fields.new')}</Button>
      </div>
      <table className="list-table r-card">
        <thead>
          <tr><th>{t('fields.labelEn')}</th><th>{t('fields.name')}</th><th>{t('fields.type')}</th><th /><th /></tr>
        </thead>
        <tbody>
          {object.fields.map((field) => (
            <tr key={field.name} data-field={field.name}>
              <td>{l(field.labels)}</td>
              <td><code>{field.name}</code></td>
              <td>{t(typeKey(field.type))}{field.relation ? ` → ${field.relation.target}` : ''}</td>
              <td>{field.required ? <Badge tone="warning">{t('fields.required')}</Badge> : null} {field.custom ? <Badge tone="accent">{t('objects.custom')}</Badge> : null}</td>
              <td style={{ width: 40 }}>{field.custom ? <Button size="sm" variant="ghost" iconOnly icon={<Trash2 size={14} />} onClick={() => void remove(field.name, l(field.labels))}>{t('fields.delete')}</Button> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {creating ? <NewFieldDialog object={object.name} onClose={() => setCreating(false)} onCreated={() => toast(t('fields.created'))} /> : null}
    </>
  );
}

function NewFieldDialog({ object, onClose, onCreated }: { object: string; onClose: () => void; onCreated: () => void }) {
  const { t, l } = useI18n();
  const objects = useObjects();
  const refresh = useRefreshMetadata();
  const [form, setForm] = useState({ name: '', type: 'text', labelEn: '', labelFr: '', required: false, options: '', target: 'company' });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm((current) => ({ ...current, [key]: event.target.value }));
  const create = useMutation({
    mutationFn: () => {
      const options = form.options.split('\n').map((line) => line.trim()).filter(Boolean).map((label) => ({ value: label.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'option', labels: { en: label } }));
      return unwrap(
        api.POST('/api/v1/metadata/objects/{object}/fields', {
          params: { path: { object } },
          body: {
            name: form.name,
            type: form.type,
            labels: { en: form.labelEn, ...(form.labelFr ? { fr: form.labelFr } : {}) },
            required: form.required,
            ...(form.type === 'select' || form.type === 'multiSelect' ? { options } : {}),
            ...(form.type === 'relation' ? { relation: { kind: 'manyToOne', target: form.target } } : {}),
          } as never,
        }),
      );
    },
    onSuccess: async () => {
      await refresh();
      onCreated();
      onClose();
    },
  });
  const errors = fieldErrors(create.error);
  return (
    <Dialog open title={t('fields.new')} closeLabel={t('common.close')} onClose={onClose} onSubmit={() => create.mutate()} footer={<><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="submit" variant="primary" disabled={create.isPending}>{t('common.create')}</Button></>}>
      {create.error && !Object.keys(errors).length ? <div className="r-alert" role="alert">{(create.error as Error).message}</div> : null}
      <div className="form-grid">
        <Field label={t('fields.labelEn')} error={errors.labels} required><Input value={form.labelEn} onChange={set('labelEn')} autoFocus /></Field>
        <Field label={t('fields.labelFr')}><Input value={form.labelFr} onChange={set('labelFr')} /></Field>
        <Field label={t('fields.name')} hint={t('objects.nameHint')} error={errors.name} required><Input value={form.name} onChange={set('name')} /></Field>
        <Field label={t('fields.type')} error={errors.type}>
          <Select value={form.type} onChange={set('type')}>
            {TYPES.map((type) => <option key={type} value={type}>{t(typeKey(type))}</option>)}
          </Select>
        </Field>
      </div>
      {form.type === 'select' || form.type === 'multiSelect' ? (
        <Field label={t('fields.options')} error={errors.options}><Textarea value={form.options} onChange={set('options')} /></Field>
      ) : null}
      {form.type === 'relation' ? (
        <Field label={t('fields.target')} error={errors.relation}>
          <Select value={form.target} onChange={set('target')}>
            {objects.data?.map((candidate) => <option key={candidate.name} value={candidate.name}>{l(candidate.labels.singular)}</option>)}
          </Select>
        </Field>
      ) : null}
      <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <input type="checkbox" className="r-checkbox" checked={form.required} onChange={(event) => setForm((current) => ({ ...current, required: event.target.checked }))} />
        {t('fields.required')}
      </label>
    </Dialog>
  );
}
