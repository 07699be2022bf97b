import { Link } from '@tanstack/react-router';
import { recordTitle } from '@rapport/sdk/web';
import type { FieldDefinition } from '../api/queries';
import { useObjects, useUserNames } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { useFieldRenderer } from '../plugins/field-renderers';
import { PluginBoundary } from '../plugins/plugin-boundary';
import { usePhones } from './phone-library';

type Money = { amountMinor: number; currency: string };
type Address = { street?: string; street2?: string; postalCode?: string; city?: string; country?: string };

/** The name of a related record (expanded by the API), by its object's title fields ("Jean Dupont"). */
export function useRecordLabel() {
  const objects = useObjects();
  return (target: string, record: Record<string, unknown>) => {
    const object = objects.data?.find((candidate) => candidate.name === target);
    return (object ? recordTitle(object, record) : null) ?? String(record.id ?? '');
  };
}

/** A field's value shown for reading, formatted for the reader's locale; one renderer per field type, no per-object code. */
export function FieldValue({ field, value, object }: { field: FieldDefinition; value: unknown; object?: string }) {
  const renderer = useFieldRenderer(object, field.type);
  if (renderer) {
    return (
      <PluginBoundary plugin={renderer.plugin}>
        <renderer.component object={object ?? ''} field={field.name} value={value} />
      </PluginBoundary>
    );
  }
  return <BuiltInValue field={field} value={value} />;
}

/** A stored phone (E.164) written to be read: "+33 6 12 34 56 78", once the phone library is there. */
function PhoneValue({ value }: { value: string }) {
  const phones = usePhones();
  const shown = phones?.parsePhoneNumberFromString(value)?.formatInternational() ?? value;
  return <a href={`tel:${value}`} onClick={(event) => event.stopPropagation()}>{shown}</a>;
}

function BuiltInValue({ field, value }: { field: FieldDefinition; value: unknown }) {
  const { t, l, format } = useI18n();
  const labelOf = useRecordLabel();
  const userName = useUserNames();
  if (field.name === 'ownerId' && typeof value === 'string') return <span>{userName(value) ?? value}</span>;
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return <span className="r-muted">—</span>;
  switch (field.type) {
    case 'number':
      return <span>{format.number(Number(value))}</span>;
    case 'rating':
      return <span aria-label={String(value)}>{'★'.repeat(Number(value))}</span>;
    case 'currency':
      return <span>{format.money(value as Money)}</span>;
    case 'boolean':
      return <span>{value ? t('common.yes') : t('common.no')}</span>;
    case 'date':
      return <span>{format.date(String(value))}</span>;
    case 'datetime':
      return <span>{format.dateTime(String(value))}</span>;
    case 'email':
      return <a href={`mailto:${String(value)}`} onClick={(event) => event.stopPropagation()}>{String(value)}</a>;
    case 'phone':
      return <PhoneValue value={String(value)} />;
    case 'url':
      return <a href={String(value)} target="_blank" rel="noreferrer noopener" onClick={(event) => event.stopPropagation()}>{String(value).replace(/^https?:\/\//, '')}</a>;
    case 'select': {
      const option = field.options?.find((candidate) => candidate.value === value);
      return <span className="chip">{option ? l(option.labels) : String(value)}</span>;
    }
    case 'multiSelect':
      return (
        <span>
          {(value as string[]).map((item) => {
            const option = field.options?.find((candidate) => candidate.value === item);
            return <span key={item} className="chip">{option ? l(option.labels) : item}</span>;
          })}
        </span>
      );
    case 'address': {
      const address = value as Address;
      return <span>{[address.street, address.street2, [address.postalCode, address.city].filter(Boolean).join(' '), address.country].filter(Boolean).join(', ')}</span>;
    }
    case 'relation': {
      const target = field.relation?.target ?? '';
      const items = Array.isArray(value) ? value.map((item) => (item as { record?: Record<string, unknown> }).record ?? item) : [value];
      return (
        <span>
          {items.map((item, index) => {
            const record = typeof item === 'object' && item ? (item as Record<string, unknown>) : { id: item };
            return (
              <Link key={String(record.id ?? index)} to="/objects/$object/$id" params={{ object: target, id: String(record.id) }} className="chip" onClick={(event) => event.stopPropagation()}>
                {labelOf(target, record)}
              </Link>
            );
          })}
        </span>
      );
    }
    case 'json':
      return <code>{JSON.stringify(value)}</code>;
    default:
      return <span>{String(value)}</span>;
  }
}
