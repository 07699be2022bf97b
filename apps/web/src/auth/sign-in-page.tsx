import { Alert, Button, Field, Input } from '@rapport/ui';
import { pickLocale } from '@rapport/i18n';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { ApiProblem, api, fieldErrors, isNetworkError, unwrap } from '../api/client';
import { keys } from '../api/queries';
import { useI18n } from '../i18n/i18n';

export function SignInPage() {
  const { t, setLocale } = useI18n();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { redirect } = useSearch({ from: '/sign-in' });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [challenge, setChallenge] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const sso = useQuery({ queryKey: ['sso'], queryFn: () => unwrap(api.GET('/api/v1/auth/sso')), staleTime: Infinity });

  const finish = async (user: { locale: string }) => {
    setLocale(pickLocale(user.locale));
    client.clear();
    await client.fetchQuery({ queryKey: keys.me, queryFn: () => unwrap(api.GET('/api/v1/me')) });
    await navigate({ to: redirect ?? '/' });
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (challenge) {
        const session = await unwrap(api.POST('/api/v1/auth/mfa', { body: { challenge, code: code.trim() } }));
        await finish(session.user);
      } else {
        const result = await unwrap(api.POST('/api/v1/auth/login', { body: { email, password } }));
        if (result.mfaRequired) setChallenge(result.challenge);
        else await finish(result.user);
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const errors = fieldErrors(error);
  const message = isNetworkError(error) ? t('app.offline.title') : error instanceof ApiProblem && !Object.keys(errors).length ? error.detail ?? error.title : null;
  return (
    <div className="center-screen">
      <div className="r-card auth-card">
        <div className="brand" style={{ padding: 0 }}>
          <span className="brand-mark" aria-hidden="true">R</span>
          {t('app.name')}
        </div>
        <h1>{challenge ? t('auth.mfa.title') : t('auth.signIn.title')}</h1>
        {message ? <Alert>{message}</Alert> : null}
        <form onSubmit={submit} noValidate>
          {challenge ? (
            <>
              <p className="r-muted" style={{ margin: 0 }}>{t('auth.mfa.body')}</p>
              <Field label={t('auth.mfa.code')} error={errors.code}>
                <Input name="code" autoComplete="one-time-code" inputMode="numeric" autoFocus value={code} onChange={(event) => setCode(event.target.value)} />
              </Field>
              <Button type="submit" variant="primary" disabled={busy}>{t('auth.mfa.verify')}</Button>
            </>
          ) : (
            <>
              <Field label={t('auth.email')} error={errors.email}>
                <Input name="email" type="email" autoComplete="username" autoFocus value={email} onChange={(event) => setEmail(event.target.value)} />
              </Field>
              <Field label={t('auth.password')} error={errors.password}>
                <Input name="password" type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} />
              </Field>
              <Button type="submit" variant="primary" disabled={busy}>{busy ? t('auth.signingIn') : t('auth.signIn')}</Button>
            </>
          )}
        </form>
        {!challenge && sso.data?.enabled ? (
          <a className="r-button" href={`/api/v1/auth/sso/login?returnTo=${encodeURIComponent(redirect ?? '/')}`} style={{ justifyContent: 'center' }}>
            {t('auth.sso')}
          </a>
        ) : null}
      </div>
    </div>
  );
}
