import { describe, expect, it } from 'vitest';
import type { ObjectDefinition } from '../api/queries';
import { defaultColumns, fromApiFilter, fromApiSort, toApiFilter, toApiSort } from './list-state';

const field = (name: string, type: string, extra: Record<string, unknown> = {}) => ({ key: name, name, type, labels: { en: name }, required: false, unique: false, indexed: false, searchable: false, personalData: false, sensitive: false, readOnly: false, operators: [], sortable: true, custom: false, owner: 'core', rules: [], ...extra });
const company = {
  key: 'company',
  name: 'company',
  labels: { singular: { en: 'Company' }, plural: { en: 'Companies' } },
  icon: 'building',
  labelField: 'name',
  owner: 'core',
  custom: false,
  rules: [],
  fields: [field('id', 'text'), field('domain', 'url'), field('name', 'text'), field('employees', 'number'), field('active', 'boolean'), field('people', 'relation', { relation: { kind: 'oneToMany', target: 'person' } }), field('createdAt', 'datetime')],
} as unknown as ObjectDefinition;

describe('list state ⇄ API', () => {
  it('starts with the label field first, no reverse relation, and the creation date', () => {
    expect(defaultColumns(company)).toEqual(['name', 'domain', 'employees', 'active', 'createdAt']);
  });

  it('types values by field and skips blank conditions', () => {
    const filter = toApiFilter(
      {
        columns: [],
        match: 'or',
        sort: [],
        conditions: [
          { field: 'employees', op: 'gte', value: '10' },
          { field: 'name', op: 'in', value: 'Acme, Globex' },
          { field: 'domain', op: 'isNotNull', value: '' },
          { field: 'name', op: 'contains', value: '  ' },
          { field: 'active', op: 'eq', value: 'true' },
        ],
      },
      company,
    );
    expect(filter).toEqual({ or: [{ field: 'employees', op: 'gte', value: 10 }, { field: 'name', op: 'in', value: ['Acme', 'Globex'] }, { field: 'domain', op: 'isNull', value: false }, { field: 'active', op: 'eq', value: true }] });
    expect(toApiFilter({ columns: [], match: 'and', sort: [], conditions: [] }, company)).toBeUndefined();
  });

  it('round-trips a saved filter and sort', () => {
    const saved = { and: [{ field: 'employees', op: 'gte', value: 10 }, { field: 'domain', op: 'isNull', value: false }] };
    const state = { columns: [], sort: [], ...fromApiFilter(saved) };
    expect(toApiFilter(state, company)).toEqual(saved);
    expect(toApiSort(fromApiSort('-employees,name'))).toBe('-employees,name');
  });
});
