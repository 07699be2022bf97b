import { expect, it } from 'vitest';
import { normalizeForSearch, toPrefixQuery } from '../src';

it('folds case, accents and ligatures the same way for entries and queries', () => {
  expect(normalizeForSearch('Éloïse GARCÍA-Núñez')).toBe('eloise garcia-nunez');
  expect(normalizeForSearch('Œuvre Straße Søren Łódź')).toBe('oeuvre strasse soren lodz');
  expect(normalizeForSearch('ｆｕｌｌ ｗｉｄｔｈ')).toBe('full width');
});

it('turns typed text into a prefix query of its words, without tsquery syntax', () => {
  expect(toPrefixQuery('Éloïse Dup')).toBe('eloise:* & dup:*');
  expect(toPrefixQuery("o'brien & (x | !y):*")).toBe('o:* & brien:* & x:* & y:*');
  expect(toPrefixQuery('  !!! ')).toBeNull();
  expect(toPrefixQuery('a b c d e f g h i j')?.split(' & ')).toHaveLength(8);
});
