import { describe, expect, it } from 'vitest';
import { type FieldDefinition, type FieldTypeName, fieldTypes } from '../src';

function field(type: FieldTypeName, config: FieldDefinition['config'] = {}): FieldDefinition {
  return { key: `x.${type}`, name: type, type, labels: { en: type }, required: false, unique: false, indexed: false, searchable: false, personalData: false, sensitive: false, readOnly: false, config, rules: [], owner: 'workspace', storage: { kind: 'custom' } };
}

const parse = (type: FieldTypeName, value: unknown, config?: FieldDefinition['config']) => fieldTypes[type].value(field(type, config)).safeParse(value);

describe('field types', () => {
  it.each([
    ['text', '  Hello  ', 'Hello'],
    ['email', ' Ada@Example.COM ', 'ada@example.com'],
    ['phone', '06 12 34 56 78', '+33612345678'],
    ['phone', '+44 20 7946 0958', '+442079460958'],
    ['url', 'https://example.com/x', 'https://example.com/x'],
    ['number', 3.5, 3.5],
    ['rating', 5, 5],
    ['boolean', false, false],
    ['date', '2024-02-29', '2024-02-29'],
    ['datetime', '2024-02-29T23:00:00-02:00', '2024-03-01T01:00:00.000Z'],
    ['currency', { amountMinor: 1999, currency: 'JPY' }, { amountMinor: 1999, currency: 'JPY' }],
    ['address', { city: 'Paris', country: 'FR' }, { city: 'Paris', country: 'FR' }],
    ['json', { a: [1, null] }, { a: [1, null] }],
  ] as const)('%s accepts %j', (type, input, output) => {
    const result = parse(type, input);
    expect(result.success).toBe(true);
    expect(result.data).toEqual(output);
  });

  it.each([
    ['text', ''],
    ['text', 'x'.repeat(1001)],
    ['email', 'not-an-email'],
    ['phone', '12'],
    ['url', 'javascript:alert(1)'],
    ['url', 'ftp://example.com'],
    ['number', Number.NaN],
    ['number', '3'],
    ['rating', 6],
    ['rating', 2.5],
    ['boolean', 'true'],
    ['date', '2023-02-29'],
    ['date', '29/02/2024'],
    ['datetime', '2024-02-29T10:00:00'],
    ['currency', { amountMinor: 10.5, currency: 'EUR' }],
    ['currency', { amountMinor: 10, currency: 'EURO' }],
    ['currency', { amountMinor: 10, currency: 'ABC' }],
    ['currency', { amountMinor: 10, currency: 'EUR', extra: 1 }],
    ['address', { country: 'France' }],
    ['address', { planet: 'Mars' }],
  ] as const)('%s refuses %j', (type, input) => {
    expect(parse(type, input).success).toBe(false);
  });

  it('select and multi-select accept only their options', () => {
    const options = [{ value: 'a', labels: { en: 'A' } }, { value: 'b', labels: { en: 'B' } }];
    expect(parse('select', 'a', { options }).success).toBe(true);
    expect(parse('select', 'c', { options }).success).toBe(false);
    expect(parse('multiSelect', ['b', 'a', 'b'], { options }).data).toEqual(['b', 'a']);
    expect(parse('multiSelect', ['z'], { options }).success).toBe(false);
  });

  it('currency fields can restrict their currencies', () => {
    expect(parse('currency', { amountMinor: 1, currency: 'USD' }, { currencies: ['EUR'] }).success).toBe(false);
  });

  it('a many-to-many relation takes ids or links with attributes, never the same record twice', () => {
    const config = { relation: { kind: 'manyToMany' as const, target: 'person', attributes: [{ ...field('text'), name: 'role' }] } };
    const id = '01890000-0000-7000-8000-000000000001';
    expect(parse('relation', [id], config).data).toEqual([{ id }]);
    expect(parse('relation', [{ id, role: 'Buyer' }], config).data).toEqual([{ id, role: 'Buyer' }]);
    expect(parse('relation', [id, { id }], config).success).toBe(false);
    expect(parse('relation', [{ id, colour: 'red' }], config).success).toBe(false);
  });
});
