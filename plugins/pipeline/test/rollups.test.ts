import { expect, it } from 'vitest';
import type { GroupFigures } from '../src/kpis';
import { managerGroups, totalsOf } from '../src/rollups';

// Claire manages Marc and Inès; Inès manages Paul; Zoé has no one; a loop between Ann and Bob.
const members = [
  { id: 'claire', name: 'Claire' },
  { id: 'marc', name: 'Marc', managerId: 'claire' },
  { id: 'ines', name: 'Inès', managerId: 'claire' },
  { id: 'paul', name: 'Paul', managerId: 'ines' },
  { id: 'zoe', name: 'Zoé' },
  { id: 'ann', name: 'Ann', managerId: 'bob' },
  { id: 'bob', name: 'Bob', managerId: 'ann' },
];

const row = (ownerId: string, won: number, lost: number, open: number, weighted: number, forecast: [string, number][]): GroupFigures<'ownerId'> => ({
  ownerId,
  won,
  lost,
  winRate: null,
  open,
  weightedPipeline: weighted,
  forecast: forecast.map(([month, value]) => ({ month, weighted: value })),
});

it('groups each manager with everyone under them, at any depth, and stops at a loop', () => {
  const groups = Object.fromEntries(managerGroups(members).map((group) => [group.key, [...group.members].sort()]));
  expect(groups).toEqual({ claire: ['claire', 'ines', 'marc', 'paul'], ines: ['ines', 'paul'], ann: ['ann', 'bob'], bob: ['ann', 'bob'] });
});

it('adds up the figures of a manager’s people: counts, weighted pipeline and forecast by month (hand-worked)', () => {
  const rows = [
    row('marc', 2, 1, 3, 10_000, [['2026-12', 6_000], ['2027-01', 4_000]]),
    row('paul', 1, 1, 1, 5_000, [['2027-01', 5_000]]),
    row('ines', 0, 2, 0, 0, []),
    row('zoe', 4, 0, 2, 8_000, [['2026-12', 8_000]]),
  ];
  const totals = totalsOf(rows, managerGroups(members));
  // Claire: marc + paul + ines → won 3, lost 4, win rate 3/7 = 0.429; open 4; weighted 15,000; Dec 6,000, Jan 9,000.
  const claire = totals.find((group) => group.key === 'claire')!;
  expect(claire).toMatchObject({ name: 'Claire', won: 3, lost: 4, winRate: 0.429, open: 4, weightedPipeline: 15_000 });
  expect(Object.fromEntries(claire.forecast)).toEqual({ '2026-12': 6_000, '2027-01': 9_000 });
  // Inès: herself and Paul → won 1, lost 3, 0.25.
  expect(totals.find((group) => group.key === 'ines')).toMatchObject({ won: 1, lost: 3, winRate: 0.25, weightedPipeline: 5_000 });
  // Ann and Bob own no deal: no line for them; Zoé manages no one: no line either.
  expect(totals.map((group) => group.key).sort()).toEqual(['claire', 'ines']);
});
