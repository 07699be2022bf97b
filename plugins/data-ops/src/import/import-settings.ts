import { z } from 'zod';
import { refuse } from '@rapport/sdk/server';
import { CLEANING_RULES, type CleaningRule } from './cleaning';

/** How a file becomes records: each column's target, the cleaning rules, what to do with duplicates. */
export const importSettingsSchema = z.strictObject({
  /** One entry per column of the file, in order: a field name, `address.city`-style part, or null to ignore it. */
  mapping: z.array(z.string().max(200).nullable()).max(1000),
  /** Cleaning rules by name: absent or true = on, false = off. */
  rules: z.partialRecord(z.enum(CLEANING_RULES as [CleaningRule, ...CleaningRule[]]), z.boolean()).default({}),
  defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as FR').default('FR'),
  /** How the file writes dates such as 03/04/2026: day first (dmy), month first (mdy) or year first. */
  dateFormat: z.enum(['dmy', 'mdy', 'ymd']).default('dmy'),
  timeZone: z
    .string()
    .max(64)
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'must be an IANA time zone such as Europe/Paris')
    .default('Europe/Paris'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR').default('EUR'),
  duplicates: z
    .strictObject({
      /** A row matching an existing record (or an earlier row): skip it, update that record, or create anyway. */
      mode: z.enum(['skip', 'update', 'create']).default('skip'),
      /** Also match similar names at the same company or email domain, not only the same email or phone. */
      fuzzy: z.boolean().default(true),
    })
    .prefault({}),
  /** A related record named in the file that does not exist yet (a person's company): create it, or leave the link empty. */
  missingRelations: z.enum(['create', 'leaveEmpty']).default('create'),
  /** Who owns the records made: the person importing (absent) or another user (their id). */
  ownerId: z.uuid().optional(),
});
export type ImportSettings = z.infer<typeof importSettingsSchema>;

/** Validated settings, or a 422 naming each field and rule. */
export function parseSettings(input: unknown, where = 'settings'): ImportSettings {
  const parsed = importSettingsSchema.safeParse(input);
  if (!parsed.success) {
    throw refuse(
      'The import settings are not valid',
      parsed.error.issues.map((issue) => ({ field: [where, ...issue.path].join('.'), code: issue.code, message: issue.message })),
    );
  }
  return parsed.data;
}

/** A mapping must name columns the file has and targets the object has, each target once. */
export function checkMapping(mapping: (string | null)[], headers: string[], targets: Set<string>): void {
  const errors: { field: string; code: string; message: string }[] = [];
  if (mapping.length !== headers.length) errors.push({ field: 'settings.mapping', code: 'wrong_length', message: `must have one entry per column (${headers.length})` });
  const seen = new Map<string, number>();
  mapping.forEach((target, column) => {
    if (target === null) return;
    if (!targets.has(target)) errors.push({ field: `settings.mapping.${column}`, code: 'unknown_field', message: `"${target}" is not a field you may import into` });
    else if (seen.has(target)) errors.push({ field: `settings.mapping.${column}`, code: 'duplicate_target', message: `"${target}" is already the target of column ${seen.get(target)! + 1}` });
    seen.set(target, column);
  });
  if (errors.length === 0 && mapping.every((target) => target === null)) errors.push({ field: 'settings.mapping', code: 'empty_mapping', message: 'must map at least one column to a field' });
  if (errors.length) throw refuse('The column mapping is not valid', errors);
}
