import { Badge, Button, Dialog, Field, Input, useToast } from '@rapport/ui';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { api, fieldErrors, unwrap } from '../api/client';
import { useObjects, useRefreshMetadata } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { Icon } from '../shell/icons';

export function ObjectsSettings() {
  const { t, l } = useI18n();
  const objects = useObjects();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <div className="page-header">
        <h1>{t('settings.objects')}</h1>
        <Button variant="primary" icon={<Plus size={15} />} onClick={() => setCreating(true)}>{t('objects.new')}</Button>
      </div>
      <table className="list-table r-card">
        <tbody>
          {objects.data?.map((object) => (
            <tr key={object.name}>
              <td style={{ width: 32 }}><Icon name={object.icon} /></td>
              <td><Link to="/settings/objects/$object" params={{ object: object.name }}>{l(object.labels.plural)}</Link></td>
              <td><code>{object.name}</code></td>
              <td>{t('objects.fieldCount', { count: object.fields.length })}</td>
              <td>{object.custom ? <Badge tone="accent">{t('objects.custom')}</Badge> : <Badge>{t('objects.builtIn')}</Badge>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {creating ? <NewObjectDialog onClose={() => setCreating(false)} /> : null}
    </>
  );
}

function NewObjectDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const refresh = useRefreshMetadata();
  const [form, setForm] = useState({ name: '', singularEn: '', pluralEn: '', singularFr: '', pluralFr: '' });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm((current) => ({ ...current, [key]: event.target.value }));
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/metadata/objects', {
          body: {
            name: form.name,
            labels: { singular: { en: form.singularEn, ...(form.singularFr ? { fr: form.singularFr } : {}) }, plural: { en: form.pluralEn, ...(form.pluralFr ? { fr: form.pluralFr } : {}) } },
            fields: [{ name: 'name', type: 'text', labels: { en: 'Name', fr: 'Nom' }, required: true }],
            labelField: 'name',
          } as never,
        }),
      ),
    onSuccess: async (object) => {
      toast(t('objects.created'));
      await refresh();
      onClose();
      await navigate({ to: '/settings/objects/$object', params: { object: object.name } });
    },
  });
  const errors = fieldErrors(create.error);
  return (
    <Dialog open title={t('objects.new')} closeLabel={t('common.close')} onClose={onClose} onSubmit={() => create.mutate()} footer={<><Button onClick={onClose}>{t('common.cancel')}</Button><Button type="submit" variant="primary" disabled={create.isPending}>{t('common.create')}</Button></>}>
      {create.error && !Object.keys(errors).length ? <div className="r-alert" role="alert">{(create.error as Error).message}</div> : null}
      <Field label={t('objects.name')} hint={t('objects.nameHint')} error={errors.name} required>
        <Input value={form.name} onChange={set('name')} autoFocus />
      </Field>
      <div className="form-grid">
        <Field label={t('objects.singularEn')} error={errors.labels} required><Input value={form.singularEn} onChange={set('singularEn')} /></Field>
        <Field label={t('objects.pluralEn')} required><Input value={form.pluralEn} onChange={set('pluralEn')} /></Field>
        <Field label={t('objects.singularFr')}><Input value={form.singularFr} onChange={set('singularFr')} /></Field>
        <Field label={t('objects.pluralFr')}><Input value={form.pluralFr} onChange={set('pluralFr')} /></Field>
      </div>
    </Dialog>
  );
}
