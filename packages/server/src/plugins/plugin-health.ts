/** One check a plugin registered (`ctx.health.check`): its service answers, its key is set… */
export type HealthCheck = () => Promise<void | { detail?: string }>;

export interface CheckResult {
  name: string;
  ok: boolean;
  /** Why it failed, or what it says when it passed. */
  detail: string | null;
  ms: number;
}

export interface PluginHealth {
  id: string;
  status: 'ok' | 'failing';
  checks: CheckResult[];
}

export const CHECK_TIMEOUT_MS = 5_000;

/** Runs a plugin's checks side by side, each within the time limit; a check that throws or hangs fails. */
export async function runChecks(id: string, checks: ReadonlyMap<string, HealthCheck>): Promise<PluginHealth> {
  const results = await Promise.all(
    [...checks].map(async ([name, check]): Promise<CheckResult> => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
        });
        const answer = await Promise.race([check(), timeout]);
        return { name, ok: true, detail: answer?.detail ?? null, ms: Math.round(performance.now() - started) };
      } catch (error) {
        return { name, ok: false, detail: (error as Error).message ?? String(error), ms: Math.round(performance.now() - started) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { id, status: results.every((result) => result.ok) ? 'ok' : 'failing', checks: results };
}
