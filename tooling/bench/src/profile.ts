import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Self time by where the code lives: a package, our source folder, node internals, GC, idle. */
  byOrigin: { origin: string; ms: number; share: number }[];
  /** Self time by function. */
  byFunction: { name: string; ms: number; share: number }[];
}

function origin(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1]!;
  const workspace = /\/work\/[^/]+\/(packages|apps|tooling)\/([^/]+)\//.exec(url) ?? /\/(packages|apps|tooling)\/([^/]+)\/src\//.exec(url);
  if (workspace) return `@rapport/${workspace[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  return url.replace(/^file:\/\//, '');
}

/** Self time per package and per function of the largest .cpuprofile in `dir` (the main thread's, not a loader's). */
export function summarizeProfile(dir: string, top = 15): ProfileSummary | null {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')) : [];
  if (files.length === 0) return null;
  const file = files.map((name) => path.join(dir, name)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const origins = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, micros] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    total += micros;
    const where = origin(url, functionName);
    origins.set(where, (origins.get(where) ?? 0) + micros);
    const name = `${functionName || '(anonymous)'} ${where}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  const rank = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, ms: Math.round(micros / 1000), share: Math.round((micros / total) * 1000) / 10 }));
  return {
    file,
    totalMs: Math.round(total / 1000),
    byOrigin: rank(origins).map(({ name, ms, share }) => ({ origin: name, ms, share })),
    byFunction: rank(functions),
  };
}
