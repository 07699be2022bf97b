import { Button, Field, Input, Select, Tabs, useToast } from '@rapport/ui';
import type { MessageKey } from '@rapport/i18n';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, ApiProblem, fieldErrors, unwrap, type components } from '../api/client';
import { keys, useObjects } from '../api/queries';
import { useI18n } from '../i18n/i18n';

type Role = components['schemas']['Role'];
type Definition = Role['definition'];
type Rights = Definition['objects'][string];
const SCOPES = ['none', 'own', 'team', 'all'] as const;
const AREAS = ['settings', 'users', 'plugins', 'audit'] as const;

/** Roles (edited at run time: they apply at once) and teams. */
export function RolesSettings() {
  const { t, l } = useI18n();
  const roles = useQuery({ queryKey: ['roles'], queryFn: async () => (await unwrap(api.GET('/api/v1/roles'))).data });
  const [selected, setSelected] = useState<string>('sales_rep');
  const role = roles.data?.find((candidate) => candidate.key === selected) ?? roles.data?.[0];
  return (
    <>
      <h1>{t('settings.roles')}</h1>
      {roles.data ? <Tabs label={t('settings.roles')} tabs={roles.data.map((candidate) => ({ key: candidate.key, label: l(candidate.labels) }))} value={role?.key ?? ''} onChange={setSelected} /> : null}
      {role ? <RoleEditor key={role.key} role={role} /> : null}
      <Teams />
    </>
  );
}

function RoleEditor({ role }: { role: Role }) {
  const { t, l } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const objects = useObjects();
  const [definition, setDefinition] = useState<Definition>(role.definition);
  useEffect(() => setDefinition(role.definition), [role.definition]);
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/v1/roles/{key}', { params: { path: { key: role.key } }, body: { definition } as never })),
    onSuccess: () => {
      toast(t('roles.saved'));
      void client.invalidateQueries({ queryKey: ['roles'] });
      void client.invalidateQueries({ queryKey: keys.me });
    },
    onError: (error) => toast(error instanceof ApiProblem ? (error.errors[0] ? `${error.errors[0].field}: ${error.errors[0].message}` : error.detail ?? error.title) : String(error), 'danger'),
  });
  const rows = [...(objects.data ?? []).map((object) => ({ key: object.name, label: l(object.labels.plural) })), { key: '*', label: t('roles.otherObjects') }];
  const rightsOf = (key: string): Rights => definition.objects[key] ?? definition.objects['*'] ?? { read: 'none', create: false, update: 'none', delete: 'none', fields: {} };
  const setRights = (key: string, patch: Partial<Rights>) => setDefinition((current) => ({ ...current, objects: { ...current.objects, [key]: { ...rightsOf(key), ...patch } } }));
  const scopeSelect = (key: string, verb: 'read' | 'update' | 'delete') => (
    <Select aria-label={`${key} ${t(`roles.${verb}` as MessageKey)}`} value={rightsOf(key)[verb]} onChange={(event) => setRights(key, { [verb]: event.target.value })}>
      {SCOPES.map((scope) => <option key={scope} value={scope}>{t(`roles.scope.${scope}` as MessageKey)}</option>)}
    </Select>
  );
  return (
    <form className="r-card" style={{ padding: 16, display: 'grid', gap: 12 }} onSubmit={(event) => { event.preventDefault(); save.mutate(); }}>
      <table className="list-table">
        <thead><tr><th>{t('roles.object')}</th><th>{t('roles.read')}</th><th>{t('roles.create')}</th><th>{t('roles.update')}</th><th>{t('roles.delete')}</th></tr></thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <td>{row.label}</td>
              <td>{scopeSelect(row.key, 'read')}</td>
              <td><input type="checkbox" className="r-checkbox" aria-label={`${row.key} ${t('roles.create')}`} checked={rightsOf(row.key).create} onChange={(event) => setRights(row.key, { create: event.target.checked })} /></td>
              <td>{scopeSelect(row.key, 'update')}</td>
              <td>{scopeSelect(row.key, 'delete')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
        <strong>{t('roles.admin')}</strong>
        {AREAS.map((area) => (
          <label key={area} style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
            <input type="checkbox" className="r-checkbox" checked={definition.admin[area]} onChange={(event) => setDefinition((current) => ({ ...current, admin: { ...current.admin, [area]: event.target.checked } }))} />
            {t(`roles.area.${area}`)}
          </label>
        ))}
        {(['export', 'import'] as const).map((right) => (
          <label key={right} style={{ display: 'flex', gap: 6, alignItems: 'center' }}>
            <input type="checkbox" className="r-checkbox" checked={definition[right]} onChange={(event) => setDefinition((current) => ({ ...current, [right]: event.target.checked }))} />
            {t(`roles.${right}`)}
          </label>
        ))}
      </div>
      <div><Button type="submit" variant="primary" disabled={save.isPending}>{t('common.save')}</Button></div>
    </form>
  );
}

function Teams() {
  const { t } = useI18n();
  const client = useQueryClient();
  const teams = useQuery({ queryKey: ['teams'], queryFn: async () => (await unwrap(api.GET('/api/v1/teams'))).data });
  const users = useQuery({ queryKey: keys.users, queryFn: async () => (await unwrap(api.GET('/api/v1/users'))).data });
  const [name, setName] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/teams', { body: { name, members } as never })),
    onSuccess: () => {
      setName('');
      setMembers([]);
      void client.invalidateQueries({ queryKey: ['teams'] });
    },
  });
  const errors = fieldErrors(create.error);
  const nameOf = (id: string) => users.data?.find((user) => user.id === id)?.name ?? id;
  return (
    <>
      <h2>{t('teams.title')}</h2>
      <table className="list-table r-card">
        <tbody>
          {teams.data?.length ? teams.data.map((team) => (
            <tr key={team.id}><td>{team.name}</td><td className="r-muted">{team.members.map(nameOf).join(', ')}</td></tr>
          )) : <tr><td className="r-muted">{t('teams.empty')}</td></tr>}
        </tbody>
      </table>
      <form className="r-card" style={{ padding: 16, display: 'grid', gridTemplateColumns: '1fr 1fr auto', gap: 10, alignItems: 'end' }} onSubmit={(event) => { event.preventDefault(); create.mutate(); }} noValidate>
        <Field label={t('teams.name')} error={errors.name}><Input value={name} onChange={(event) => setName(event.target.value)} /></Field>
        <Field label={t('teams.members')} error={errors.members}>
          <Select multiple value={members} onChange={(event) => setMembers([...event.target.selectedOptions].map((option) => option.value))} style={{ minHeight: 64 }}>
            {users.data?.map((user) => <option key={user.id} value={user.id}>{user.name}</option>)}
          </Select>
        </Field>
        <Button type="submit" variant="primary" disabled={create.isPending}>{t('teams.new')}</Button>
      </form>
    </>
  );
}
