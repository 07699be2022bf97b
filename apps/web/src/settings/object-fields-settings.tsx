import { Badge, Button, Dialog, Field, Input, Select, Textarea, useToast } from '@rapport/ui';
import type { MessageKey } from '@rapport/i18n';
import { useMutation } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { Pencil, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { api, fieldErrors, unwrap } from '../api/client';
import { useObject, useObjects, useRefreshMetadata, type FieldDefinition } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { NotFound } from '../shell/error-screen';
import { RecordNamesDialog } from './record-names-dialog';

const TYPES = ['text', 'longText', 'number', 'currency', 'boolean', 'date', 'datetime', 'email', 'phone', 'url', 'select', 'multiSelect', 'relation', 'rating', 'address'] as const;
const typeKey = (type: string) => `fieldType.${type}` as MessageKey;

export function ObjectFieldsSettings() {
  const { object: name } = useParams({ from: '/app/settings/objects/$object' });
  const { t, l } = useI18n();
  const object = useObject(name);
  const refresh = useRefreshMetadata();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [naming, setNaming] = useState(false);
  if (!object) return <NotFound />;
  const labelOf = (name: string) => l(object.fields.find((field) => field.name === name)?.labels) || name;
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
          <p className="r-muted" data-testid="record-names">
            {t('names.summary', { fields: object.titleFields.map(labelOf).join(' + '), label: labelOf(object.labelField) })}{' '}
            <Button size="sm" variant="ghost" onClick={() => setNaming(true)}>{t('names.edit')}</Button>
          </p>
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
              <td style={{ width: 80, whiteSpace: 'nowrap' }}>
                {!['id', 'createdAt', 'updatedAt', 'ownerId'].includes(field.name) ? <Button size="sm" variant="ghost" iconOnly icon={<Pencil size={14} />} onClick={() => setEditing(field.name)}>{`${t('fields.edit')}: ${l(field.labels)}`}</Button> : null}
                {field.custom ? <Button size="sm" variant="ghost" iconOnly icon={<Trash2 size={14} />} onClick={() => void remove(field.name, l(field.labels))}>{t('fields.delete')}</Button> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing ? <EditFieldDialog object={object.name} field={object.fields.find((field) => field.name === editing)!} onClose={() => setEditing(null)} onSaved={() => toast(t('fields.saved'))} /> : null}
      {naming ? <RecordNamesDialog object={object} onClose={() => setNaming(false)} onSaved={() => toast(t('names.saved'))} /> : null}
      {creating ? <NewFieldDialog object={object.name} onClose={() => setCreating(false)} onCreated={() => toast(t('fields.created'))} /> : null}
    </>
  );
}

function NewFieldDialog({ object, onClose, onCreated }: { object: string; onClose: () => void; onCreated: () => void }) {
  const { t, l } = useI18n();
  const objects = useObjects();
  const refresh = useRefreshMetadata();
  const [form, setForm] = useState({ name: '', type: 'text', labelEn: '', labelFr: '', required: false, options: '', target: 'company', kind: 'manyToOne' });
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
            ...(form.type === 'relation' ? { relation: { kind: form.kind, target: form.target } } : {}),
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
        <Field label={t('fields.relationKind')}>
          <Select value={form.kind} onChange={set('kind')}>
            <option value="manyToOne">{t('fields.relationOne')}</option>
            <option value="manyToMany">{t('fields.relationMany')}</option>
          </Select>
        </Field>
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

const slug = (label: string) => label.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'option';

/** Labels (EN/FR), required, and a choice's options (kept by value; new lines get a new value). */
function EditFieldDialog({ object, field, onClose, onSaved }: { object: string; field: FieldDefinition; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const refresh = useRefreshMetadata();
  const choice = field.type === 'select' || field.type === 'multiSelect';
  const [form, setForm] = useState({ labelEn: field.labels.en, labelFr: field.labels.fr ?? '', required: field.required, options: (field.options ?? []).map((option) => option.labels.en).join('\n') });
  const save = useMutation({
    mutationFn: () => {
      const existing = new Map((field.options ?? []).map((option) => [option.labels.en, option]));
      const options = form.options.split('\n').map((line) => line.trim()).filter(Boolean).map((label) => existing.get(label) ?? { value: slug(label), labels: { en: label } });
      return unwrap(
        api.PATCH('/api/v1/metadata/objects/{object}/fields/{field}', {
          params: { path: { object, field: field.name } },
          body: { labels: { en: form.labelEn, ...(form.labelFr ? { fr: form.labelFr } : {}) }, required: form.required, ...(choice ? { options } : {}) } as never,
        }),
      );
    },
    onSuccess: async () => {
      await refresh();
      onSaved();
      onClose();
    },
  });
  const errors = fieldErrors(save.error);
  return (
    <Dialog open title={t('fields.edit')} closeLabel={t('common.close')} onClose={onClose} onSubmit={() => save.mutate()} footer={<><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="submit" variant="primary" disabled={save.isPending}>{t('common.save')}</Button></>}>
      {save.error && !Object.keys(errors).length ? <div className="r-alert" role="alert">{(save.error as Error).message}</div> : null}
      <div className="form-grid">
        <Field label={t('fields.labelEn')} error={errors.labels} required><Input value={form.labelEn} onChange={(event) => setForm({ ...form, labelEn: event.target.value })} autoFocus /></Field>
        <Field label={t('fields.labelFr')}><Input value={form.labelFr} onChange={(event) => setForm({ ...form, labelFr: event.target.value })} /></Field>
      </div>
      {choice ? <Field label={t('fields.options')} error={errors.options}><Textarea value={form.options} onChange={(event) => setForm({ ...form, options: event.target.value })} /></Field> : null}
      <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <input type="checkbox" className="r-checkbox" checked={form.required} onChange={(event) => setForm({ ...form, required: event.target.checked })} />
        {t('fields.required')}
      </label>
      {errors.required ? <span className="r-field-error" role="alert">{errors.required}</span> : null}
    </Dialog>
  );
}
