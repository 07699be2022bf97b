import { Button, Field, Input, Select, useToast } from '@rapport/ui';
import { LOCALES, type Locale } from '@rapport/i18n';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldErrors, unwrap } from '../api/client';
import { keys, useMe } from '../api/queries';
import { useI18n } from '../i18n/i18n';

const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français' };

export function ProfileSettings() {
  const { t, setLocale, locale } = useI18n();
  const me = useMe();
  const toast = useToast();
  const client = useQueryClient();
  const [name, setName] = useState(me.data?.user?.name ?? '');
  const [language, setLanguage] = useState<Locale>(locale);
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/v1/me', { body: { name, locale: language } })),
    onSuccess: () => {
      setLocale(language);
      toast(t('profile.saved'));
      void client.invalidateQueries({ queryKey: keys.me });
    },
  });
  const errors = fieldErrors(save.error);
  return (
    <form className="r-card" style={{ padding: 20, display: 'grid', gap: 14, maxWidth: 480 }} onSubmit={(event) => { event.preventDefault(); save.mutate(); }} noValidate>
      <h1>{t('settings.profile')}</h1>
      <p className="r-muted" style={{ margin: 0 }}>{me.data?.user?.email}</p>
      <Field label={t('profile.name')} error={errors.name}>
        <Input value={name} onChange={(event) => setName(event.target.value)} />
      </Field>
      <Field label={t('profile.language')} error={errors.locale}>
        <Select value={language} onChange={(event) => setLanguage(event.target.value as Locale)}>
          {LOCALES.map((code) => <option key={code} value={code} lang={code}>{LANGUAGE_NAMES[code]}</option>)}
        </Select>
      </Field>
      <div><Button type="submit" variant="primary" disabled={save.isPending}>{t('common.save')}</Button></div>
    </form>
  );
}
