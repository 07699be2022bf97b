import { Alert, Button, EmptyState, Field, Input } from '@rapport/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldErrors, unwrap } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** My API keys: the token is shown once, at creation; revoking one stops it at once. */
export function ApiKeysSettings() {
  const { t, format } = useI18n();
  const client = useQueryClient();
  const keysQuery = useQuery({ queryKey: ['api-keys'], queryFn: async () => (await unwrap(api.GET('/api/v1/api-keys'))).data });
  const [name, setName] = useState('');
  const [token, setToken] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/api-keys', { body: { name } })),
    onSuccess: (created) => {
      setToken(created.token);
      setName('');
      void client.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } })),
    onSettled: () => client.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  const errors = fieldErrors(create.error);
  const active = keysQuery.data?.filter((key) => !key.revokedAt) ?? [];
  return (
    <>
      <h1>{t('settings.apiKeys')}</h1>
      <form className="r-card" style={{ padding: 16, display: 'grid', gridTemplateColumns: '1fr auto', gap: 10, alignItems: 'end' }} onSubmit={(event) => { event.preventDefault(); create.mutate(); }} noValidate>
        <Field label={t('apiKeys.name')} error={errors.name}><Input value={name} onChange={(event) => setName(event.target.value)} /></Field>
        <Button type="submit" variant="primary" disabled={create.isPending}>{t('apiKeys.new')}</Button>
      </form>
      {token ? (
        <Alert tone="success">
          {t('apiKeys.created')} <code data-testid="api-key-token" style={{ userSelect: 'all' }}>{token}</code>
        </Alert>
      ) : null}
      {active.length === 0 ? <EmptyState title={t('apiKeys.empty')} /> : null}
      {active.length ? (
        <table className="list-table r-card">
          <tbody>
            {active.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td><code>{key.prefix}…</code></td>
                <td className="r-muted">{key.lastUsedAt ? t('apiKeys.lastUsed', { when: format.relative(key.lastUsedAt) }) : t('apiKeys.neverUsed')}</td>
                <td style={{ width: 100 }}><Button size="sm" variant="danger" onClick={() => revoke.mutate(key.id)}>{t('apiKeys.revoke')}</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
