import { Badge, Button, Field, Input, Select, useToast } from '@rapport/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldErrors, unwrap } from '../api/client';
import { useMe } from '../api/queries';
import { useI18n } from '../i18n/i18n';

export function UsersSettings() {
  const { t, l, format, locale } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const users = useQuery({ queryKey: ['users'], queryFn: async () => (await unwrap(api.GET('/api/v1/users'))).data });
  const roles = useQuery({ queryKey: ['roles'], queryFn: async () => (await unwrap(api.GET('/api/v1/roles'))).data });
  const invitations = useQuery({ queryKey: ['invitations'], queryFn: async () => (await unwrap(api.GET('/api/v1/invitations'))).data });
  const [email, setEmail] = useState('');
  const [role, setRole] = useState('sales_rep');
  const invite = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/invitations', { body: { email, role, locale } })),
    onSuccess: () => {
      toast(t('users.invited', { email }));
      setEmail('');
      void client.invalidateQueries({ queryKey: ['invitations'] });
    },
  });
  const errors = fieldErrors(invite.error);
  const me = useMe();
  const setActive = useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) => unwrap(active ? api.POST('/api/v1/users/{id}/reactivate', { params: { path: { id } } }) : api.POST('/api/v1/users/{id}/deactivate', { params: { path: { id } } })),
    onError: (error) => toast((error as Error).message, 'danger'),
    onSettled: () => client.invalidateQueries({ queryKey: ['users'] }),
  });
  const roleLabel = (key: string) => {
    const found = roles.data?.find((candidate) => candidate.key === key);
    return found ? l(found.labels) : key;
  };
  return (
    <>
      <h1>{t('settings.users')}</h1>
      <form className="r-card" style={{ padding: 16, display: 'grid', gridTemplateColumns: '1fr 200px auto', gap: 10, alignItems: 'end' }} onSubmit={(event) => { event.preventDefault(); invite.mutate(); }} noValidate>
        <Field label={t('users.email')} error={errors.email}><Input type="email" value={email} onChange={(event) => setEmail(event.target.value)} /></Field>
        <Field label={t('users.role')} error={errors.role}>
          <Select value={role} onChange={(event) => setRole(event.target.value)}>
            {roles.data?.map((candidate) => <option key={candidate.key} value={candidate.key}>{l(candidate.labels)}</option>)}
          </Select>
        </Field>
        <Button type="submit" variant="primary" disabled={invite.isPending}>{t('users.invite')}</Button>
        {invite.error && !Object.keys(errors).length ? <div className="r-alert" role="alert" style={{ gridColumn: '1 / -1' }}>{(invite.error as Error).message}</div> : null}
      </form>
      <table className="list-table r-card">
        <thead><tr><th>{t('users.name')}</th><th>{t('users.email')}</th><th>{t('users.role')}</th><th /><th /></tr></thead>
        <tbody>
          {users.data?.map((user) => (
            <tr key={user.id}>
              <td>{user.name}</td>
              <td>{user.email}</td>
              <td>{roleLabel(user.role)}</td>
              <td>{user.deactivated ? <Badge tone="danger">{t('users.deactivated')}</Badge> : <Badge tone="success">{t('users.active')}</Badge>}</td>
              <td style={{ width: 120 }}>
                {user.id === me.data?.user?.id ? null : user.deactivated ? (
                  <Button size="sm" onClick={() => setActive.mutate({ id: user.id, active: true })}>{t('users.reactivate')}</Button>
                ) : (
                  <Button size="sm" variant="danger" onClick={() => window.confirm(t('users.deactivateConfirm', { name: user.name })) && setActive.mutate({ id: user.id, active: false })}>{t('users.deactivate')}</Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {invitations.data?.some((invitation) => invitation.status === 'pending') ? (
        <>
          <h2>{t('users.pending')}</h2>
          <table className="list-table r-card">
            <tbody>
              {invitations.data.filter((invitation) => invitation.status === 'pending').map((invitation) => (
                <tr key={invitation.id}><td>{invitation.email}</td><td>{roleLabel(invitation.role)}</td><td className="r-muted">{format.date(invitation.expiresAt)}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </>
  );
}
