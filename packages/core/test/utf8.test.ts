import { expect, it } from 'vitest';
import { fitsUtf8, truncateUtf8, utf8Length } from '../src/text/utf8';

it('counts UTF-8 bytes of every script, surrogate pairs as one character', () => {
  expect(utf8Length('abc')).toBe(3);
  expect(utf8Length('é')).toBe(2);
  expect(utf8Length('漢')).toBe(3);
  expect(utf8Length('😀')).toBe(4);
});

it('keeps the longest start that fits, never half a character', () => {
  expect(truncateUtf8('abc', 2)).toBe('ab');
  expect(truncateUtf8('é'.repeat(3), 5)).toBe('éé');
  expect(truncateUtf8('😀😀', 7)).toBe('😀');
  expect(truncateUtf8('漢字', 100)).toBe('漢字');
  const long = '漢'.repeat(1000);
  expect(utf8Length(truncateUtf8(long, 2000))).toBe(1998);
});

it('tells whether a string fits, encoding it only when its length leaves a doubt', () => {
  expect(fitsUtf8('a'.repeat(2000), 2000)).toBe(true);
  expect(fitsUtf8('a'.repeat(2001), 2000)).toBe(false);
  expect(fitsUtf8('漢'.repeat(666), 2000)).toBe(true);
  expect(fitsUtf8('漢'.repeat(667), 2000)).toBe(false);
  expect(fitsUtf8('😀'.repeat(500), 2000)).toBe(true);
  expect(fitsUtf8('😀'.repeat(501), 2000)).toBe(false);
});
