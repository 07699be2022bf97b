import { z } from 'zod';

/** Points when a field of the lead holds (or contains, or has) a value. */
const fieldRule = z.strictObject({
  field: z.string().min(1).max(100),
  op: z.enum(['contains', 'equals', 'isSet']),
  value: z.string().max(200).optional(),
  points: z.number().int().min(-100).max(100),
  label: z.string().min(1).max(100),
}).refine((rule) => rule.op === 'isSet' || (rule.value ?? '').trim() !== '', { path: ['value'], message: 'is required unless the rule is "isSet"' });

/** Points for each activity of a kind (`*`: any) linked to the lead in the last days, at most `max` of them. */
const activityRule = z.strictObject({
  activity: z.string().min(1).max(40),
  withinDays: z.number().int().min(1).max(365),
  points: z.number().int().min(-100).max(100),
  max: z.number().int().min(1).max(100).default(10),
  label: z.string().min(1).max(100),
});

export const scoringRule = z.union([fieldRule, activityRule]);
export type ScoringRule = z.infer<typeof scoringRule>;
export type ActivityRule = z.infer<typeof activityRule>;
export type FieldRule = z.infer<typeof fieldRule>;

export const isActivityRule = (rule: ScoringRule): rule is ActivityRule => 'activity' in rule;

/** An activity linked to a lead, as the scorer needs it. */
export interface LeadActivity {
  kind: string;
  at: string;
}

/** What a new workspace starts with; admins change them in the plugin's settings. */
export const DEFAULT_RULES: ScoringRule[] = [
  { field: 'jobTitle', op: 'contains', value: 'director', points: 10, label: 'Director' },
  { field: 'jobTitle', op: 'contains', value: 'directeur', points: 10, label: 'Directeur' },
  { field: 'email', op: 'isSet', points: 5, label: 'Has an email' },
  { field: 'phone', op: 'isSet', points: 5, label: 'Has a phone' },
  { field: 'source', op: 'equals', value: 'referral', points: 15, label: 'Referral' },
  { activity: 'meeting', withinDays: 30, points: 5, max: 10, label: 'Meeting in 30 days' },
];

/** The most days an activity rule looks back: how far the scorer reads a lead's activities. */
export function lookBackDays(rules: ScoringRule[]): number {
  return Math.max(0, ...rules.filter(isActivityRule).map((rule) => rule.withinDays));
}

/**
 * A lead's score and why: each rule that holds adds (or takes away) its points; an activity rule, its
 * points for each matching activity of its period (up to its `max`), so a score drops as meetings age.
 */
export function score(lead: Record<string, unknown>, rules: ScoringRule[], activities: LeadActivity[] = [], now = new Date()): { score: number; reasons: string[] } {
  const reasons: string[] = [];
  let total = 0;
  for (const rule of rules) {
    if (isActivityRule(rule)) {
      const since = now.getTime() - rule.withinDays * 86_400_000;
      const count = Math.min(rule.max, activities.filter((activity) => (rule.activity === '*' || activity.kind === rule.activity) && new Date(activity.at).getTime() >= since).length);
      if (count === 0) continue;
      total += rule.points * count;
      reasons.push(`${rule.points >= 0 ? '+' : ''}${rule.points * count} ${count > 1 ? `${count} × ` : ''}${rule.label}`);
      continue;
    }
    const value = lead[rule.field];
    const text = value === null || value === undefined ? '' : String(value).toLowerCase();
    const holds = rule.op === 'isSet' ? text !== '' : rule.op === 'equals' ? text === (rule.value ?? '').toLowerCase() : text !== '' && text.includes((rule.value ?? '').toLowerCase());
    if (!holds) continue;
    total += rule.points;
    reasons.push(`${rule.points >= 0 ? '+' : ''}${rule.points} ${rule.label}`);
  }
  return { score: total, reasons };
}
