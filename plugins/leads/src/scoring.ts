import { z } from 'zod';

export const scoringRule = z.strictObject({
  field: z.string().min(1).max(100),
  op: z.enum(['contains', 'equals', 'isSet']),
  value: z.string().max(200).optional(),
  points: z.number().int().min(-100).max(100),
  label: z.string().min(1).max(100),
});
export type ScoringRule = z.infer<typeof scoringRule>;

/** What a new workspace starts with; admins change them in the plugin's settings. */
export const DEFAULT_RULES: ScoringRule[] = [
  { field: 'jobTitle', op: 'contains', value: 'director', points: 10, label: 'Director' },
  { field: 'jobTitle', op: 'contains', value: 'directeur', points: 10, label: 'Directeur' },
  { field: 'email', op: 'isSet', points: 5, label: 'Has an email' },
  { field: 'phone', op: 'isSet', points: 5, label: 'Has a phone' },
  { field: 'source', op: 'equals', value: 'referral', points: 15, label: 'Referral' },
];

/** A lead's score and why: each rule that holds adds (or takes away) its points. */
export function score(lead: Record<string, unknown>, rules: ScoringRule[]): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  let total = 0;
  for (const rule of rules) {
    const value = lead[rule.field];
    const text = value === null || value === undefined ? '' : String(value).toLowerCase();
    const holds = rule.op === 'isSet' ? text !== '' : rule.op === 'equals' ? text === (rule.value ?? '').toLowerCase() : text !== '' && text.includes((rule.value ?? '').toLowerCase());
    if (!holds) continue;
    total += rule.points;
    reasons.push(`${rule.points >= 0 ? '+' : ''}${rule.points} ${rule.label}`);
  }
  return { score: total, reasons };
}
