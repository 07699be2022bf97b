import { Button, Tabs, useToast } from '@rapport/ui';
import { recordTitle } from '@rapport/sdk/web';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { ApiProblem, api, type ApiRecord } from '../api/client';
import { keys, useObject, useObjects, usePermissions, type FieldDefinition, type ObjectDefinition } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { PluginBoundary, PluginSlot, useSlotContributions } from '../plugins/plugin-slot';
import { ErrorPanel, NotFound } from '../shell/error-screen';
import { Icon } from '../shell/icons';
import { Loading } from '../shell/loading';
import { rememberRecord } from '../shell/recent-records';
import { FieldInput } from './field-input';
import { FieldValue } from './field-value';
import { Timeline } from './timeline';

export function RecordPage() {
  const { object: name, id } = useParams({ from: '/app/objects/$object/$id' });
  const objects = useObjects();
  const object = useObject(name);
  if (objects.isLoading) return <Loading />;
  if (!object) return <NotFound />;
  return <RecordView key={id} object={object} id={id} />;
}

function RecordView({ object, id }: { object: ObjectDefinition; id: string }) {
  const { t, l } = useI18n();
  const navigate = useNavigate();
  const client = useQueryClient();
  const toast = useToast();
  const permissions = usePermissions(object.name);
  const related = object.fields.filter((field) => field.relation?.kind === 'oneToMany');
  const expand = object.fields.filter((field) => field.type === 'relation').map((field) => field.name);
  const record = useQuery({ queryKey: keys.record(object.name, id), queryFn: () => api.records(object.name).get(id, { expand }) });
  const [tab, setTab] = useState<string>('timeline');
  const pluginTabs = useSlotContributions('record.tab/v1', object.name);
  const label = record.data ? (recordTitle(object, record.data) ?? id) : '';
  useEffect(() => {
    if (record.data) rememberRecord({ object: object.name, id, label });
  }, [record.data, object.name, id, label]);
  if (record.isLoading) return <Loading />;
  if (record.error) return record.error instanceof ApiProblem && record.error.status === 404 ? <div className="r-empty"><h2>{t('record.notFound')}</h2></div> : <ErrorPanel error={record.error} onRetry={() => void record.refetch()} />;
  const data = record.data!;
  const remove = async () => {
    if (!window.confirm(t('record.deleteConfirm'))) return;
    await api.records(object.name).delete(id);
    toast(t('record.deleted'));
    await client.invalidateQueries({ queryKey: keys.records(object.name) });
    await navigate({ to: '/objects/$object', params: { object: object.name }, search: {} });
  };
  const SYSTEM = ['createdAt', 'updatedAt', 'ownerId'];
  const shown = object.fields.filter((field) => field.relation?.kind !== 'oneToMany' && field.name !== 'id');
  // What people fill in, then who owns it and when it changed.
  const groups = [
    { key: 'details', label: t('record.fields'), fields: shown.filter((field) => !SYSTEM.includes(field.name)) },
    { key: 'system', label: t('record.about'), fields: shown.filter((field) => SYSTEM.includes(field.name)) },
  ];
  // Key fields in the header: the first filled-in values after the label (choices, money, contacts).
  const keyFields = shown.filter((field) => !SYSTEM.includes(field.name) && field.name !== object.labelField && ['select', 'currency', 'email', 'phone', 'url'].includes(field.type) && data[field.name] !== null && data[field.name] !== undefined).slice(0, 3);
  const tabs = [
    { key: 'timeline', label: t('record.timeline') },
    ...related.map((field) => ({ key: `related:${field.name}`, label: l(field.labels) })),
    ...pluginTabs.map((contribution) => ({ key: `plugin:${contribution.plugin}:${contribution.id}`, label: contribution.title ? l(contribution.title) : contribution.id })),
  ];
  return (
    <div className="page">
      <div className="page-header">
        <span className="brand-mark" style={{ width: 32, height: 32 }} aria-hidden="true"><Icon name={object.icon} size={18} /></span>
        <div style={{ marginRight: 'auto' }}>
          <div className="r-muted" style={{ fontSize: 12 }}>{l(object.labels.singular)}</div>
          <h1>{label}</h1>
          {keyFields.length ? (
            <div style={{ display: 'flex', gap: 12, marginTop: 4, flexWrap: 'wrap' }} aria-label={t('record.keyFields')}>
              {keyFields.map((field) => (
                <span key={field.name} title={l(field.labels)}><FieldValue field={field} value={data[field.name]} object={object.name} /></span>
              ))}
            </div>
          ) : null}
        </div>
        <PluginSlot name="record.action/v1" object={object.name} props={{ object: object.name, recordId: id, record: data }} />
        {permissions && permissions.delete !== 'none' ? <Button variant="danger" icon={<Trash2 size={15} />} onClick={() => void remove()}>{t('record.delete')}</Button> : null}
      </div>
      <div className="record-layout">
        <div style={{ display: 'grid', gap: 16 }}>
          {groups.map((group) => (
            <section key={group.key} className="r-card record-fields" aria-label={group.label}>
              <h3 style={{ padding: '4px 6px 6px' }}>{group.label}</h3>
              {group.fields.map((field) => (
                <EditableField key={field.name} object={object} field={field} record={data} canWrite={permissions?.update !== 'none' && permissions?.fields[field.name] === 'write' && !field.readOnly && !['createdAt', 'updatedAt', 'version'].includes(field.name)} />
              ))}
            </section>
          ))}
        </div>
        <div style={{ display: 'grid', gap: 16 }}>
          <PluginSlot name="record.panel/v1" object={object.name} props={{ object: object.name, recordId: id, record: data }} card />
          <section className="r-card">
            <div style={{ padding: '0 12px' }}>
              <Tabs label={l(object.labels.singular)} tabs={tabs} value={tab} onChange={setTab} />
            </div>
            {tab === 'timeline' ? <Timeline object={object} id={id} /> : null}
            {related.map((field) => (tab === `related:${field.name}` ? <RelatedList key={field.name} field={field} records={(data[field.name] as ApiRecord[]) ?? []} /> : null))}
            {pluginTabs.map((contribution) =>
              tab === `plugin:${contribution.plugin}:${contribution.id}` ? (
                <div key={tab} style={{ padding: 12 }} data-slot="record.tab/v1" data-plugin={contribution.plugin}>
                    <PluginBoundary plugin={contribution.plugin}>
                      <contribution.component object={object.name} recordId={id} record={data} />
                    </PluginBoundary>
                </div>
              ) : null,
            )}
          </section>
        </div>
      </div>
    </div>
  );
}

/** One field of the record page: its value, or its editor after a click; saved on Enter or when focus leaves. */
function EditableField({ object, field, record, canWrite }: { object: ObjectDefinition; field: FieldDefinition; record: ApiRecord; canWrite: boolean }) {
  const { t, l } = useI18n();
  const client = useQueryClient();
  const toast = useToast();
  const [draft, setDraft] = useState<{ value: unknown; error?: string } | null>(null);
  const current = record[field.name];
  const editValue = field.type === 'relation' && current && typeof current === 'object' && !Array.isArray(current) ? (current as { id: string }).id : current;
  const save = async () => {
    if (!draft) return;
    if (JSON.stringify(draft.value ?? null) === JSON.stringify(editValue ?? null)) return setDraft(null);
    try {
      await api.records(object.name).update(record.id, { [field.name]: draft.value });
      setDraft(null);
      toast(t('record.saved'));
      await client.invalidateQueries({ queryKey: keys.record(object.name, record.id) });
      void client.invalidateQueries({ queryKey: keys.records(object.name) });
    } catch (error) {
      setDraft({ ...draft, error: error instanceof ApiProblem ? error.field(field.name)?.message ?? error.detail ?? error.title : String(error) });
    }
  };
  return (
    <div className="record-field" data-field={field.name}>
      <span>{l(field.labels)}</span>
      {draft ? (
        <div onBlur={(event) => { if (!event.currentTarget.contains(event.relatedTarget as Node)) void save(); }} style={{ display: 'grid', gap: 4 }}>
          <FieldInput
            field={field}
            value={draft.value}
            autoFocus
            invalid={Boolean(draft.error)}
            onChange={(value) => setDraft({ value })}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && field.type !== 'longText') { event.preventDefault(); void save(); }
              if (event.key === 'Escape') setDraft(null);
            }}
          />
          {draft.error ? <span className="r-field-error" role="alert">{draft.error}</span> : null}
        </div>
      ) : canWrite ? (
        <button type="button" className="record-value" onClick={() => setDraft({ value: editValue })} aria-label={`${t('record.edit')}: ${l(field.labels)}`}>
          <FieldValue field={field} value={current} object={object.name} />
        </button>
      ) : (
        <span className="record-value" style={{ cursor: 'default' }}><FieldValue field={field} value={current} object={object.name} /></span>
      )}
    </div>
  );
}

function RelatedList({ field, records }: { field: FieldDefinition; records: ApiRecord[] }) {
  const { t } = useI18n();
  if (!records.length) return <p className="r-muted" style={{ padding: 16, margin: 0 }}>{t('record.noRelated')}</p>;
  return (
    <ul style={{ listStyle: 'none', margin: 0, padding: 12, display: 'grid', gap: 6 }}>
      {records.map((related) => (
        <li key={related.id}>
          <FieldValue field={{ ...field, relation: { kind: 'manyToOne', target: field.relation!.target } }} value={related} />
        </li>
      ))}
    </ul>
  );
}

