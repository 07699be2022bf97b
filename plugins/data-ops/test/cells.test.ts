import { expect, it } from 'vitest';
import { cell, escapeFormula } from '../src/cells';

it('escapes what a spreadsheet would run as a formula, and only that', () => {
  for (const dangerous of ['=1+1', '+33 6', '-2', '@SUM(A1)', '\tx', '\rx']) expect(escapeFormula(dangerous)).toBe(`'${dangerous}`);
  for (const safe of ['Acme', 'a=b', '', "l'été"]) expect(escapeFormula(safe)).toBe(safe);
});

it('writes values as cells: numbers stay numbers, money in its currency digits, choices as labels', () => {
  const labelOf = (_target: string, record: Record<string, unknown>) => String(record.name);
  expect(cell({ name: 'n', type: 'number', labels: { en: 'N' } }, -5, 'en', labelOf)).toBe(-5);
  expect(cell({ name: 'm', type: 'currency', labels: { en: 'M' } }, { amountMinor: 123456, currency: 'EUR' }, 'en', labelOf)).toBe('1234.56 EUR');
  expect(cell({ name: 'm', type: 'currency', labels: { en: 'M' } }, { amountMinor: 500, currency: 'JPY' }, 'en', labelOf)).toBe('500 JPY');
  const select = { name: 's', type: 'select', labels: { en: 'S' }, options: [{ value: 'tech', labels: { en: 'Software', fr: 'Logiciel' } }] };
  expect(cell(select, 'tech', 'fr', labelOf)).toBe('Logiciel');
  expect(cell({ ...select, type: 'multiSelect' }, ['tech', 'other'], 'en', labelOf)).toBe('Software; other');
  expect(cell({ name: 'c', type: 'relation', labels: { en: 'C' }, relation: { kind: 'manyToOne', target: 'company' } }, { id: 'x', name: '=evil' }, 'en', labelOf)).toBe("'=evil");
  expect(cell({ name: 't', type: 'text', labels: { en: 'T' } }, null, 'en', labelOf)).toBeNull();
});
