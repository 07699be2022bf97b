import { expect, it } from 'vitest';
import { instantOf, localParts, parseTime } from '../src/dates/time-text';

it('reads a 24-hour time written the English or the French way, and nothing else', () => {
  for (const [text, time] of [['14:30', '14:30'], ['14h30', '14:30'], ['14H30', '14:30'], ['9.05', '09:05'], ['9h', '09:00'], [' 7 ', '07:00'], ['0:00', '00:00'], ['23:59', '23:59']]) expect(parseTime(text!), text).toBe(time);
  for (const text of ['24:00', '12:60', '2:30 PM', '1430', 'noon', '']) expect(parseTime(text), text).toBeUndefined();
});

it('splits an instant into this device’s day and time, and joins them back', () => {
  const instant = instantOf('2027-01-06', '14:30');
  expect(localParts(instant)).toEqual({ day: '2027-01-06', time: '14:30' });
  expect(localParts('not a moment')).toBeNull();
});
