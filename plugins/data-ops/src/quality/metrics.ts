import type { FieldProfile, ObjectDescription, PluginRecords } from '@rapport/sdk/server';

/** What an alert can watch: a headline count, or one field's completeness. */
export const METRICS = ['duplicates', 'invalidEmails', 'invalidPhones', 'invalidValues', 'withoutEmail', 'placeholderEmails', 'inactive', 'stale', 'completeness'] as const;
export type MetricName = (typeof METRICS)[number];

/** An object's data quality at one moment, over the records its reader may read. */
export interface QualityMetrics {
  total: number;
  /** Per readable field: records with a value, values today's rules refuse, values shared with another record. */
  fields: FieldProfile[];
  /** Records sharing an email, a phone or a web domain with another record; null when the object has none of these. */
  duplicates: number | null;
  /** Null where the object has no such field: not measured rather than zero. */
  invalidEmails: number | null;
  invalidPhones: number | null;
  /** Every value today's rules refuse, all fields together. */
  invalidValues: number;
  withoutEmail: number | null;
  /** Addresses nobody reads: noreply@…, …@example.com, test@… */
  placeholderEmails: number | null;
  /** No activity logged for `inactiveDays` (records younger than that are not counted); null without the activities plugin's `lastActivityAt`. */
  inactive: number | null;
  /** Not changed for `staleDays`. */
  stale: number;
  inactiveDays: number;
  staleDays: number;
}

export const INACTIVE_DAYS = 30;
export const DEFAULT_STALE_DAYS = 180;
const DAY_MS = 86_400_000;
const PLACEHOLDER_STARTS = ['noreply@', 'no-reply@', 'donotreply@', 'test@', 'none@', 'nobody@', 'xxx@', 'aaa@'];
const PLACEHOLDER_DOMAINS = ['@example.', '@test.', '@invalid.', '@localhost', '@mailinator.', '@yopmail.'];
/** Text fields holding a web domain count as duplicate keys, as emails and phones do. */
const DOMAIN_NAME = /^(domain|website|webDomain|site)$/i;

type Filter = Record<string, unknown>;
const isNull = (field: string): Filter => ({ field, op: 'isNull', value: true });
const before = (field: string, cutoff: string): Filter => ({ field, op: 'lt', value: cutoff });

/** The named counts and duplicate keys the object's fields allow. */
function plan(object: ObjectDescription, now: Date, staleDays: number) {
  const of = (type: string) => object.fields.filter((field) => field.type === type).map((field) => field.name);
  const emails = of('email');
  const single = object.fields.filter((field) => !field.relation || field.relation.kind === 'manyToOne');
  const keys = [...emails, ...of('phone'), ...of('url'), ...single.filter((field) => field.type === 'text' && DOMAIN_NAME.test(field.name)).map((field) => field.name)];
  const counts: Record<string, Filter> = { stale: before('updatedAt', new Date(now.getTime() - staleDays * DAY_MS).toISOString()) };
  if (emails.length) {
    counts.withoutEmail = { and: emails.map(isNull) };
    counts.placeholderEmails = {
      or: emails.flatMap((field) => [
        ...PLACEHOLDER_STARTS.map((value) => ({ field, op: 'startsWith', value })),
        ...PLACEHOLDER_DOMAINS.map((value) => ({ field, op: 'contains', value })),
      ]),
    };
  }
  if (object.fields.some((field) => field.name === 'lastActivityAt' && field.type === 'datetime')) {
    const cutoff = new Date(now.getTime() - INACTIVE_DAYS * DAY_MS).toISOString();
    counts.inactive = { or: [before('lastActivityAt', cutoff), { and: [isNull('lastActivityAt'), before('createdAt', cutoff)] }] };
  }
  return { counts, keys, emails };
}

/** Measures an object as `records` may see it: one profile through the core (two queries). */
export async function measure(records: PluginRecords, objectName: string, options: { staleDays?: number; now?: Date } = {}): Promise<QualityMetrics> {
  const object = await records.describe(objectName);
  const staleDays = options.staleDays ?? DEFAULT_STALE_DAYS;
  const { counts, keys, emails } = plan(object, options.now ?? new Date(), staleDays);
  const profile = await records.profile(objectName, { counts, duplicateKeys: keys });
  const sumOf = (type: string) => {
    const fields = profile.fields.filter((field) => field.type === type);
    return fields.length ? fields.reduce((sum, field) => sum + (field.invalid ?? 0), 0) : null;
  };
  return {
    total: profile.total,
    fields: profile.fields,
    duplicates: keys.length ? profile.duplicateRecords : null,
    invalidEmails: sumOf('email'),
    invalidPhones: sumOf('phone'),
    invalidValues: profile.fields.reduce((sum, field) => sum + (field.invalid ?? 0), 0),
    withoutEmail: emails.length ? (profile.counts.withoutEmail ?? 0) : null,
    placeholderEmails: emails.length ? (profile.counts.placeholderEmails ?? 0) : null,
    inactive: profile.counts.inactive ?? null,
    stale: profile.counts.stale ?? 0,
    inactiveDays: INACTIVE_DAYS,
    staleDays,
  };
}

/** A metric as an alert reads it: a count, or a share of the records in percent; null when not measured. */
export function metricValue(metrics: QualityMetrics, metric: MetricName, field: string | null, unit: 'count' | 'percent'): number | null {
  const count = metric === 'completeness' ? (metrics.fields.find((candidate) => candidate.name === field)?.filled ?? null) : metrics[metric];
  if (count === null) return null;
  if (unit === 'count') return count;
  return metrics.total === 0 ? 0 : Math.round((count / metrics.total) * 1000) / 10;
}

/** The figures as someone who may read only some fields may see them: nothing measured on a field hidden from them. */
export function withFields(metrics: QualityMetrics, readable: Set<string>): QualityMetrics {
  const hidden = metrics.fields.filter((field) => !readable.has(field.name));
  if (hidden.length === 0) return metrics;
  const hides = (test: (field: FieldProfile) => boolean) => hidden.some(test);
  const emailHidden = hides((field) => field.type === 'email');
  return {
    ...metrics,
    fields: metrics.fields.filter((field) => readable.has(field.name)),
    duplicates: hides((field) => field.duplicated !== null) ? null : metrics.duplicates,
    invalidEmails: emailHidden ? null : metrics.invalidEmails,
    withoutEmail: emailHidden ? null : metrics.withoutEmail,
    placeholderEmails: emailHidden ? null : metrics.placeholderEmails,
    invalidPhones: hides((field) => field.type === 'phone') ? null : metrics.invalidPhones,
    invalidValues: metrics.fields.filter((field) => readable.has(field.name)).reduce((sum, field) => sum + (field.invalid ?? 0), 0),
    inactive: hides((field) => field.name === 'lastActivityAt') ? null : metrics.inactive,
  };
}
