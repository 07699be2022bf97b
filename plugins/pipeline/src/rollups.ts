import type { GroupFigures } from './kpis';

/** People whose owners' figures add up: a team, or a manager with everyone under them. */
export interface OwnerGroup {
  key: string;
  name: string;
  members: string[];
}

export interface Member {
  id: string;
  name: string;
  managerId?: string | null;
}

export interface GroupTotals {
  key: string;
  name: string;
  won: number;
  lost: number;
  winRate: number | null;
  open: number;
  weightedPipeline: number;
  forecast: Map<string, number>;
}

/**
 * Each manager with everyone under them, at any depth (their reports, their reports' reports…), and
 * themselves: the hierarchy's view of the figures. A loop in the hierarchy stops where it closes.
 */
export function managerGroups(members: readonly Member[]): OwnerGroup[] {
  const reports = new Map<string, string[]>();
  for (const member of members) if (member.managerId) reports.set(member.managerId, [...(reports.get(member.managerId) ?? []), member.id]);
  return members
    .filter((member) => reports.has(member.id))
    .map((manager) => {
      const below = new Set<string>([manager.id]);
      const queue = [...reports.get(manager.id)!];
      while (queue.length) {
        const id = queue.shift()!;
        if (below.has(id)) continue;
        below.add(id);
        queue.push(...(reports.get(id) ?? []));
      }
      return { key: manager.id, name: manager.name, members: [...below] };
    });
}

/** A group's owners' figures added up (an owner in two groups counts in both); the win rate from the sums. */
export function totalsOf(rows: readonly GroupFigures<'ownerId'>[], groups: readonly OwnerGroup[]): GroupTotals[] {
  return groups
    .map((group) => {
      const own = rows.filter((row) => row.ownerId !== null && group.members.includes(row.ownerId));
      const sum = (pick: (row: GroupFigures<'ownerId'>) => number) => own.reduce((total, row) => total + pick(row), 0);
      const won = sum((row) => row.won);
      const lost = sum((row) => row.lost);
      const forecast = new Map<string, number>();
      for (const row of own) for (const month of row.forecast) forecast.set(month.month, (forecast.get(month.month) ?? 0) + month.weighted);
      return { key: group.key, name: group.name, won, lost, winRate: won + lost ? Math.round((won / (won + lost)) * 1000) / 1000 : null, open: sum((row) => row.open), weightedPipeline: sum((row) => row.weightedPipeline), forecast, owners: own.length };
    })
    .filter((group) => group.owners > 0)
    .map(({ owners: _owners, ...group }) => group);
}
