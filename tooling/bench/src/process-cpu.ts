import fs from 'node:fs';

const CLOCK_TICKS = 100;

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces). */
function statFields(pid: number): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU time of a process so far, in ms (from /proc/<pid>/stat). */
export function cpuTimeMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const fields = statFields(pid);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name, in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/**
 * CPU time of a process and all its children, living or ended, in ms: PostgreSQL's, from its
 * postmaster (a backend that ended is counted in the postmaster's cutime/cstime once reaped).
 * Null when /proc does not show them (another machine, another user).
 */
export function treeCpuTimeMs(rootPid: number): number | null {
  try {
    const root = statFields(rootPid);
    let ticks = Number(root[11]) + Number(root[12]) + Number(root[13]) + Number(root[14]);
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const fields = statFields(Number(entry));
        // ppid is field 4 of the line, 1 after the command name.
        if (Number(fields[1]) === rootPid) ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // Ended while listed: its time is in the root's cutime from now on.
      }
    }
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** The parent of a process (PostgreSQL's postmaster, from one of its backends), or null. */
export function parentPid(pid: number): number | null {
  try {
    return Number(statFields(pid)[1]);
  } catch {
    return null;
  }
}
