/** A failure the CLI expected: printed as one line `rapport: <message>`, never with a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    /** 2 for usage errors, 1 for everything else. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
  }
}

interface ProblemLike {
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/** A problem (thrown by the core, or returned as problem+json by the admin socket) as one sentence naming its fields. */
export function problemMessage(problem: ProblemLike): string {
  const base = problem.detail || problem.title || 'the request was refused';
  // A field's error the detail already says ("The file is empty", then "file: The file is empty") is not said twice.
  const said = base.toLowerCase();
  const fields = (problem.errors ?? []).filter((error) => !said.includes(error.message.toLowerCase())).map((error) => `${error.field}: ${error.message}`);
  return fields.length > 0 ? `${base} (${fields.join('; ')})` : base;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** How any failure is reported: the one line, the exit code, and whether it was unexpected (a bug, or the environment). */
export async function describeFailure(error: unknown): Promise<{ message: string; exitCode: 1 | 2; expected: boolean }> {
  if (error instanceof CliError) return { message: oneLine(error.message), exitCode: error.exitCode, expected: true };
  // Loaded here, not up front: `rapport --help` and usage errors need none of them.
  const [{ ProblemError }, { DataDirLockedError, MigrationError }, { ConfigError }] = await Promise.all([
    import('@rapport/core'),
    import('@rapport/db'),
    import('@rapport/server'),
  ]);
  if (error instanceof ConfigError) return { message: oneLine(error.message), exitCode: 2, expected: true };
  if (error instanceof ProblemError) return { message: oneLine(problemMessage(error)), exitCode: 1, expected: true };
  if (error instanceof DataDirLockedError || error instanceof MigrationError) return { message: oneLine(error.message), exitCode: 1, expected: true };
  const failure = error as { message?: string; code?: string; name?: string } | undefined;
  const message = failure?.message || failure?.code || failure?.name || String(error);
  return { message: oneLine(message), exitCode: 1, expected: false };
}
