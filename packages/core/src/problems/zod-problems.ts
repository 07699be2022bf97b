import type { z } from 'zod';
import { type FieldProblem, problems } from './problem';

/** Turns zod issues into per-field problems named by their dotted path (`address.city`, `records.3.email`). */
export function zodIssuesToProblems(issues: readonly z.core.$ZodIssue[], prefix?: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          field: joinPath(prefix, [...issue.path, key]),
          code: 'unknown_field',
          message: `unknown field "${key}"`,
        });
      }
      continue;
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // Report the branch that went furthest rather than "invalid input".
      const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0]!;
      out.push(...zodIssuesToProblems(best, joinPath(prefix, issue.path)));
      continue;
    }
    // A rule of ours (a refine) may name its code, as zod's own rules do: `params: { code: 'too_big' }`.
    const code = issue.code === 'custom' && typeof issue.params?.code === 'string' ? issue.params.code : issue.code;
    out.push({ field: joinPath(prefix, issue.path) || '(body)', code, message: issue.message });
  }
  return out;
}

function depth(issues: readonly z.core.$ZodIssue[]): number {
  return Math.max(0, ...issues.map((issue) => issue.path.length));
}

function joinPath(prefix: string | undefined, path: readonly PropertyKey[]): string {
  const parts = path.map(String);
  return [prefix, ...parts].filter((part) => part !== undefined && part !== '').join('.');
}

/** Parses with the schema or throws a 422 problem naming every offending field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw problems.validation(zodIssuesToProblems(result.error.issues, prefix));
  return result.data;
}
