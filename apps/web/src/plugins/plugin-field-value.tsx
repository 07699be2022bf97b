import { useObjects } from '../api/queries';
import { FieldValue } from '../records/field-value';

/**
 * `FieldValue` of `useRapport()`: a plugin shows a value as the shell does, from the field's name. A field
 * the reader may not see, or that does not exist, shows as the raw value would read.
 */
export function PluginFieldValue({ object, field, value }: { object: string; field: string; value: unknown }) {
  const objects = useObjects();
  const definition = objects.data?.find((candidate) => candidate.name === object)?.fields.find((candidate) => candidate.name === field);
  if (!definition) return <span>{value === null || value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value)}</span>;
  return <FieldValue field={definition} value={value} object={object} />;
}
