import { Button, Field, Input, Select, useToast } from '@rapport/ui';
import { LOCALES, type Locale } from '@rapport/i18n';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, fieldErrors, unwrap } from '../api/client';
import { useI18n } from '../i18n/i18n';

const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', fr: 'Français' };
const KEY = ['workspace-settings'];

/** The workspace's name, defaults and trash period (admins of settings; the server checks). */
export function WorkspaceSettings() {
  const { t } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const current = useQuery({ queryKey: KEY, queryFn: () => unwrap(api.GET('/api/v1/settings/workspace')) });
  const [form, setForm] = useState({ name: '', locale: 'en' as Locale, currency: 'EUR', trashDays: '30' });
  useEffect(() => {
    if (current.data) setForm({ name: current.data.name, locale: current.data.locale as Locale, currency: current.data.currency, trashDays: String(current.data.trashDays) });
  }, [current.data]);
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/v1/settings/workspace', { body: { name: form.name, locale: form.locale, currency: form.currency.trim().toUpperCase(), trashDays: Number(form.trashDays) } })),
    onSuccess: (saved) => {
      client.setQueryData(KEY, saved);
      toast(t('workspace.saved'));
    },
  });
  const errors = fieldErrors(save.error);
  const set = (name: keyof typeof form) => (event: { target: { value: string } }) => setForm((previous) => ({ ...previous, [name]: event.target.value }));
  return (
    <form className="r-card" style={{ padding: 20, display: 'grid', gap: 14, maxWidth: 520 }} onSubmit={(event) => { event.preventDefault(); save.mutate(); }} noValidate>
      <h1>{t('settings.workspace')}</h1>
      <Field label={t('workspace.name')} error={errors.name}>
        <Input value={form.name} onChange={set('name')} />
      </Field>
      <Field label={t('workspace.language')} error={errors.locale}>
        <Select value={form.locale} onChange={set('locale')}>
          {LOCALES.map((code) => <option key={code} value={code} lang={code}>{LANGUAGE_NAMES[code]}</option>)}
        </Select>
      </Field>
      <Field label={t('workspace.currency')} hint={t('workspace.currencyHint')} error={errors.currency}>
        <Input value={form.currency} maxLength={3} onChange={set('currency')} style={{ width: 100 }} />
      </Field>
      <Field label={t('workspace.trashDays')} hint={t('workspace.trashDaysHint')} error={errors.trashDays}>
        <Input type="number" min={1} max={3650} step={1} value={form.trashDays} onChange={set('trashDays')} style={{ width: 120 }} />
      </Field>
      <div><Button type="submit" variant="primary" disabled={save.isPending || !current.data}>{t('common.save')}</Button></div>
    </form>
  );
}
