import { Checkbox, DateInput, DateTimeInput, formatNumber, Input, NumberInput, parseNumber, Select, Textarea } from '@rapport/ui';
import { useQuery } from '@tanstack/react-query';
import { useState, type KeyboardEvent } from 'react';
import { api, unwrap } from '../api/client';
import type { FieldDefinition, ObjectDefinition } from '../api/queries';
import { keys, useObjects } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { useRecordLabel } from './field-value';
import { PhoneInput } from './phone-input';

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'CAD', 'JPY', 'AUD', 'SEK', 'NOK', 'DKK', 'PLN', 'CNY', 'INR', 'BRL', 'MAD', 'XOF'];

function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

export interface FieldInputProps {
  field: FieldDefinition;
  value: unknown;
  onChange: (value: unknown) => void;
  autoFocus?: boolean;
  onKeyDown?: (event: KeyboardEvent) => void;
  invalid?: boolean;
  id?: string;
  /** Set by <Field> around it. */
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  required?: boolean;
}

/** The editor of one field, by type: what the create form, the record page and the grid's cells use. */
export function FieldInput({ field, value, onChange, autoFocus, onKeyDown, invalid, id, 'aria-invalid': ariaInvalid, 'aria-describedby': describedBy }: FieldInputProps) {
  const { t, l, locale } = useI18n();
  const common = { id, autoFocus, onKeyDown, 'aria-invalid': invalid || ariaInvalid || undefined, 'aria-describedby': describedBy, 'aria-label': id ? undefined : l(field.labels), name: field.name };
  if (field.name === 'ownerId') return <OwnerSelect {...common} value={value as string | null} onChange={onChange} />;
  const text = (type: string) => <Input {...common} type={type} value={value === null || value === undefined ? '' : String(value)} onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)} />;
  switch (field.type) {
    case 'longText':
      return <Textarea {...common} value={(value as string) ?? ''} onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)} />;
    case 'number':
      return <NumberInput {...common} locale={locale} value={(value as number | string | null) ?? null} onChange={onChange} />;
    case 'rating':
      return <Input {...common} type="number" step={1} min={0} max={field.max} value={value === null || value === undefined ? '' : String(value)} onChange={(event) => onChange(event.target.value === '' ? null : Number(event.target.value))} />;
    case 'email':
      return text('email');
    case 'phone':
      return <PhoneInput {...common} value={(value as string | null) ?? null} onChange={onChange} defaultCountry={field.defaultCountry} />;
    case 'url':
      return text('url');
    case 'date':
      return <DateInput {...common} locale={locale} value={(value as string | null) ?? null} onChange={onChange} />;
    case 'datetime':
      return <DateTimeInput {...common} locale={locale} value={(value as string | null) ?? null} onChange={onChange} />;
    case 'boolean':
      return <Checkbox {...common} checked={Boolean(value)} onChange={(event) => onChange(event.target.checked)} />;
    case 'select':
      return (
        <Select {...common} value={(value as string) ?? ''} onChange={(event) => onChange(event.target.value || null)}>
          <option value="">{t('form.choose')}</option>
          {field.options?.map((option) => <option key={option.value} value={option.value}>{l(option.labels)}</option>)}
        </Select>
      );
    case 'multiSelect':
      return (
        <Select {...common} multiple value={(value as string[]) ?? []} onChange={(event) => onChange([...event.target.selectedOptions].map((option) => option.value))} style={{ minHeight: 80 }}>
          {field.options?.map((option) => <option key={option.value} value={option.value}>{l(option.labels)}</option>)}
        </Select>
      );
    case 'currency':
      return <MoneyInput {...common} field={field} value={value as { amountMinor: number; currency: string } | null} onChange={onChange} />;
    case 'address':
      return <AddressInput value={(value as Record<string, string>) ?? null} onChange={onChange} />;
    case 'relation':
      if (field.relation?.kind === 'manyToOne') return <RelationPicker {...common} target={field.relation.target} value={value} onChange={onChange} />;
      if (field.relation?.kind === 'manyToMany') return <LinksPicker {...common} target={field.relation.target} value={value} onChange={onChange} />;
      return <span className="r-muted">—</span>;
    case 'json':
      return <JsonInput {...common} value={value} onChange={onChange} />;
    default:
      return text('text');
  }
}


function MoneyInput({ field, value, onChange, ...common }: { field: FieldDefinition; value: { amountMinor: number; currency: string } | null; onChange: (value: unknown) => void } & Record<string, unknown>) {
  const { t, locale } = useI18n();
  const currencies = field.currencies?.length ? field.currencies : CURRENCIES;
  const [currency, setCurrency] = useState(value?.currency ?? currencies[0] ?? 'EUR');
  const digits = minorDigits(currency);
  const [amount, setAmount] = useState(value ? formatNumber(value.amountMinor / 10 ** digits, locale) : '');
  const emit = (nextAmount: string, nextCurrency: string) => {
    const parsed = parseNumber(nextAmount, locale);
    onChange(parsed === null ? null : parsed !== undefined ? { amountMinor: Math.round(parsed * 10 ** minorDigits(nextCurrency)), currency: nextCurrency } : { amountMinor: Number.NaN, currency: nextCurrency });
  };
  return (
    <div style={{ display: 'grid', gridTemplateColumns: '1fr 90px', gap: 6 }}>
      <Input {...common} inputMode="decimal" value={amount} onChange={(event) => { setAmount(event.target.value); emit(event.target.value, currency); }} />
      <Select aria-label={t('form.currency')} value={currency} onChange={(event) => { setCurrency(event.target.value); emit(amount, event.target.value); }}>
        {currencies.map((code) => <option key={code} value={code}>{code}</option>)}
      </Select>
    </div>
  );
}

function AddressInput({ value, onChange }: { value: Record<string, string> | null; onChange: (value: unknown) => void }) {
  const { t } = useI18n();
  const set = (part: string, text: string) => {
    const next = { ...(value ?? {}), [part]: text };
    if (!text) delete next[part];
    onChange(Object.keys(next).length ? next : null);
  };
  return (
    <div style={{ display: 'grid', gap: 6 }}>
      <Input aria-label={t('form.street')} placeholder={t('form.street')} value={value?.street ?? ''} onChange={(event) => set('street', event.target.value)} />
      <div style={{ display: 'grid', gridTemplateColumns: '110px 1fr 70px', gap: 6 }}>
        <Input aria-label={t('form.postalCode')} placeholder={t('form.postalCode')} value={value?.postalCode ?? ''} onChange={(event) => set('postalCode', event.target.value)} />
        <Input aria-label={t('form.city')} placeholder={t('form.city')} value={value?.city ?? ''} onChange={(event) => set('city', event.target.value)} />
        <Input aria-label={t('form.country')} placeholder="FR" maxLength={2} value={value?.country ?? ''} onChange={(event) => set('country', event.target.value.toUpperCase())} />
      </div>
    </div>
  );
}

function JsonInput({ value, onChange, ...common }: { value: unknown; onChange: (value: unknown) => void } & Record<string, unknown>) {
  const [text, setText] = useState(value === undefined || value === null ? '' : JSON.stringify(value, null, 2));
  return (
    <Textarea
      {...common}
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        try {
          onChange(event.target.value.trim() ? JSON.parse(event.target.value) : null);
        } catch {
          /* not JSON yet: the server will say so if it is sent like this */
        }
      }}
    />
  );
}

/**
 * What a picker's query finds: every word in one of the object's title fields, so that "jean dup"
 * finds Jean Dupont (a person's label field is only the last name).
 */
function titleFilter(object: ObjectDefinition | undefined, query: string) {
  const words = query.trim().split(/\s+/).filter(Boolean).slice(0, 5);
  if (!object || words.length === 0) return undefined;
  const searchable = (name: string) => object.fields.some((field) => field.name === name && field.operators.includes('contains'));
  const fields = object.titleFields.filter(searchable);
  if (fields.length === 0) return undefined;
  return { and: words.map((word) => ({ or: fields.map((field) => ({ field, op: 'contains', value: word })) })) };
}

/** Pick the related record by searching its object's title fields. */
function RelationPicker({ target, value, onChange, ...common }: { target: string; value: unknown; onChange: (value: unknown) => void } & Record<string, unknown>) {
  const { t, l } = useI18n();
  const objects = useObjects();
  const labelOf = useRecordLabel();
  const object = objects.data?.find((candidate) => candidate.name === target);
  const [query, setQuery] = useState('');
  const currentId = typeof value === 'object' && value ? String((value as { id: string }).id) : (value as string | null);
  const candidates = useQuery({
    queryKey: ['relation-options', target, query],
    queryFn: async () => {
      return (await api.records(target).list({ limit: 20, filter: titleFilter(object, query) })).data as Record<string, unknown>[];
    },
    enabled: Boolean(object),
  });
  const current = typeof value === 'object' && value ? (value as Record<string, unknown>) : candidates.data?.find((record) => record.id === currentId);
  return (
    <div style={{ display: 'grid', gap: 4 }}>
      <Input {...common} placeholder={t('form.searchRecord', { object: object ? l(object.labels.singular) : target })} value={query} onChange={(event) => setQuery(event.target.value)} />
      <Select aria-label={object ? l(object.labels.singular) : target} value={currentId ?? ''} onChange={(event) => onChange(event.target.value || null)}>
        <option value="">{t('form.none')}</option>
        {current && !candidates.data?.some((record) => record.id === currentId) ? <option value={currentId!}>{labelOf(target, current)}</option> : null}
        {candidates.data?.map((record) => <option key={String(record.id)} value={String(record.id)}>{labelOf(target, record)}</option>)}
      </Select>
    </div>
  );
}

/** The owner is a member of the workspace: picked by name (the server checks I may reassign). */
function OwnerSelect({ value, onChange, ...common }: { value: string | null; onChange: (value: unknown) => void } & Record<string, unknown>) {
  const users = useQuery({ queryKey: keys.users, queryFn: async () => (await unwrap(api.GET('/api/v1/users'))).data, staleTime: 5 * 60_000 });
  return (
    <Select {...common} value={value ?? ''} onChange={(event) => onChange(event.target.value || null)}>
      {users.data?.filter((user) => !user.deactivated || user.id === value).map((user) => <option key={user.id} value={user.id}>{user.name}</option>)}
    </Select>
  );
}

/** Several related records (many-to-many): chips to remove, a search to add; sent as a list of ids. */
function LinksPicker({ target, value, onChange, ...common }: { target: string; value: unknown; onChange: (value: unknown) => void } & Record<string, unknown>) {
  const { t, l } = useI18n();
  const objects = useObjects();
  const labelOf = useRecordLabel();
  const object = objects.data?.find((candidate) => candidate.name === target);
  const initial = (Array.isArray(value) ? value : []).map((item) => {
    const link = item as { id?: string; record?: Record<string, unknown> } | string;
    return typeof link === 'string' ? { id: link, label: link } : { id: String(link.id), label: link.record ? labelOf(target, link.record) : String(link.id) };
  });
  const [links, setLinks] = useState(initial);
  const [query, setQuery] = useState('');
  const candidates = useQuery({
    queryKey: ['relation-options', target, query],
    queryFn: async () => (await api.records(target).list({ limit: 20, filter: titleFilter(object, query) })).data as Record<string, unknown>[],
    enabled: Boolean(object) && query.length > 0,
  });
  const update = (next: { id: string; label: string }[]) => {
    setLinks(next);
    onChange(next.map((link) => link.id));
  };
  return (
    <div style={{ display: 'grid', gap: 4 }}>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
        {links.map((link) => (
          <span key={link.id} className="chip">
            {link.label}
            <button type="button" aria-label={t('form.removeLink', { label: link.label })} onClick={() => update(links.filter((other) => other.id !== link.id))} style={{ border: 0, background: 'none', cursor: 'pointer', color: 'inherit' }}>×</button>
          </span>
        ))}
      </div>
      <Input {...common} placeholder={t('form.searchRecord', { object: object ? l(object.labels.singular) : target })} value={query} onChange={(event) => setQuery(event.target.value)} />
      {candidates.data?.length ? (
        <Select aria-label={t('form.addLink')} value="" onChange={(event) => {
          const record = candidates.data?.find((candidate) => candidate.id === event.target.value);
          if (record && !links.some((link) => link.id === record.id)) update([...links, { id: String(record.id), label: labelOf(target, record) }]);
          setQuery('');
        }}>
          <option value="">{t('form.addLink')}</option>
          {candidates.data.map((record) => <option key={String(record.id)} value={String(record.id)}>{labelOf(target, record)}</option>)}
        </Select>
      ) : null}
    </div>
  );
}
