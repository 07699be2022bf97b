import { Alert, Button, Checkbox, Field, Input, NumberInput, Select, useToast } from '@rapport/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, ApiProblem, fieldErrors, unwrap } from '../api/client';
import { useI18n } from '../i18n/i18n';

interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  title?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

/** A plugin's settings form, drawn from the JSON Schema its manifest's zod schema gives; the server validates. */
export function PluginSettingsForm({ pluginId }: { pluginId: string }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const settings = useQuery({ queryKey: ['plugin-settings', pluginId], queryFn: () => unwrap(api.GET('/api/v1/plugins/{id}/settings', { params: { path: { id: pluginId } } })) });
  const [values, setValues] = useState<Record<string, unknown>>({});
  useEffect(() => {
    if (settings.data) setValues(settings.data.values);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/api/v1/plugins/{id}/settings', { params: { path: { id: pluginId } }, body: values })),
    onSuccess: () => {
      toast(t('record.saved'));
      void client.invalidateQueries({ queryKey: ['plugin-settings', pluginId] });
    },
  });
  // Lists and objects are for the plugin's own settings page (`settings.page/v1`): the form keeps them as they are.
  const properties = Object.fromEntries(
    Object.entries((settings.data?.schema?.properties ?? {}) as Record<string, PropertySchema>).filter(([, property]) => {
      const types = Array.isArray(property.type) ? property.type : [property.type];
      return !types.includes('array') && !types.includes('object');
    }),
  );
  const required = new Set((settings.data?.schema?.required as string[] | undefined) ?? []);
  const errors = fieldErrors(save.error);
  if (!settings.data?.schema || Object.keys(properties).length === 0) return null;
  return (
    <form style={{ display: 'grid', gap: 10, maxWidth: 420 }} onSubmit={(event) => { event.preventDefault(); save.mutate(); }} noValidate>
      <h3>{t('plugins.settings')}</h3>
      {save.error && !Object.keys(errors).length ? <Alert>{save.error instanceof ApiProblem ? save.error.detail ?? save.error.title : String(save.error)}</Alert> : null}
      {Object.entries(properties).map(([name, property]) => {
        const type = Array.isArray(property.type) ? property.type.find((candidate) => candidate !== 'null') : property.type;
        const set = (value: unknown) => setValues((current) => ({ ...current, [name]: value }));
        const value = values[name];
        return (
          <Field key={name} label={property.title ?? name} hint={property.description} error={errors[name]} required={required.has(name)}>
            {property.enum ? (
              <Select value={String(value ?? '')} onChange={(event) => set(event.target.value)}>
                {property.enum.map((option) => <option key={String(option)} value={String(option)}>{String(option)}</option>)}
              </Select>
            ) : type === 'boolean' ? (
              <Checkbox checked={Boolean(value)} onChange={(event) => set(event.target.checked)} />
            ) : type === 'number' || type === 'integer' ? (
              <NumberInput locale={locale} value={typeof value === 'number' || typeof value === 'string' ? value : null} onChange={(number) => set(number ?? undefined)} />
            ) : (
              <Input maxLength={property.maxLength} value={value === undefined || value === null ? '' : String(value)} onChange={(event) => set(event.target.value)} />
            )}
          </Field>
        );
      })}
      <div><Button type="submit" size="sm" variant="primary" disabled={save.isPending}>{t('common.save')}</Button></div>
    </form>
  );
}
