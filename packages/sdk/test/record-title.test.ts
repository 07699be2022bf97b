import { describe, expect, it } from 'vitest';
import { recordTitle } from '../src/record-title';

describe('recordTitle', () => {
  const person = { titleFields: ['firstName', 'lastName'] };

  it('joins the title fields that have a value, in order', () => {
    expect(recordTitle(person, { firstName: 'Jean', lastName: 'Dupont', email: 'j@d.fr' })).toBe('Jean Dupont');
    expect(recordTitle(person, { firstName: null, lastName: 'Dupont' })).toBe('Dupont');
    expect(recordTitle(person, { firstName: '  ', lastName: ' Dupont ' })).toBe('Dupont');
    expect(recordTitle({ titleFields: ['code', 'floor'] }, { code: 'B12', floor: 0 })).toBe('B12 0');
  });

  it('is null when every title field is empty', () => {
    expect(recordTitle(person, { id: 'x', email: 'j@d.fr' })).toBeNull();
    expect(recordTitle({ titleFields: [] }, { name: 'x' })).toBeNull();
  });
});
