import { type ObjectDescription, type PluginRecords, recordTitle } from '@rapport/sdk/server';
import { comparable, nameSimilarity } from './names';

export interface Candidate {
  id: string;
  /** Its name as a person reads it (its object's title fields: a person's first and last name). */
  label: string;
  /** What tells it apart from others of the same name: its first email, phone or web domain. */
  detail: string | null;
  /** 0 to 1: an identical email or phone is 1; a similar name, its similarity. */
  score: number;
  matched: { field: string; kind: 'same' | 'similar' }[];
}

/** Fields that identify one real thing: the same value twice is very likely the same record. */
const IDENTIFYING = new Set(['email', 'phone', 'url']);
/** Trigram similarity of a label (a company's name) from which it is a candidate. */
const SIMILAR_ENOUGH = 0.45;
/**
 * Jaro-Winkler of two full names from which they are a candidate: "Jean Smith"/"Jon Smith" is 0.91,
 * "Luc Bernard"/"Lucas Bernard" 0.90; two people who only share a last name ("Marie Martin"/"Jean
 * Martin" 0.78, "Pierre Dupont"/"Paul Dupont" 0.80) are not.
 */
const SIMILAR_FULL_NAMES = 0.85;

/**
 * The records most likely to be the same as this one, as the caller may see them: exact matches on
 * identifying fields (email, phone, web address), and similar names — found by full-text search on
 * the label, then compared on the whole title where it has more than the label (a person's full name).
 */
export async function duplicateCandidates(records: PluginRecords, object: ObjectDescription, record: Record<string, unknown>, limit = 10): Promise<Candidate[]> {
  const identifying = object.fields.filter((candidate) => IDENTIFYING.has(candidate.type) || candidate.name === 'domain');
  const fullName = (values: Record<string, unknown>) => recordTitle(object, values) ?? '';
  const found = new Map<string, Candidate>();
  const add = (other: Record<string, unknown>, fields: [string], kind: 'same' | 'similar', score: number) => {
    if (other.id === record.id) return;
    const id = String(other.id);
    const detail = identifying.map((field) => other[field.name]).find((value): value is string => typeof value === 'string' && value.length > 0) ?? null;
    const candidate = found.get(id) ?? { id, label: fullName(other) || String(other[object.labelField] ?? id), detail, score: 0, matched: [] };
    // Each more reason makes it likelier: 1 - the product of the chances it is not.
    candidate.score = Math.round((1 - (1 - candidate.score) * (1 - score)) * 1000) / 1000;
    for (const field of fields) candidate.matched.push({ field, kind });
    found.set(id, candidate);
  };
  for (const field of identifying) {
    const value = record[field.name];
    if (typeof value !== 'string' || !value) continue;
    const same = await records.list(object.name, { filter: { field: field.name, op: 'eq', value }, limit: 20 });
    for (const other of same.data) add(other, [field.name], 'same', 1);
  }
  const label = record[object.labelField];
  if (typeof label === 'string' && label.trim().length >= 3) {
    const hits = await records.search(label, { objects: [object.name], limit: 20 });
    const similar = hits.data.filter((hit) => hit.score - 1 >= SIMILAR_ENOUGH && hit.id !== record.id);
    if (similar.length) {
      const others = await records.list(object.name, { filter: { field: 'id', op: 'in', value: similar.map((hit) => hit.id) }, limit: 20 });
      const mine = comparable(fullName(record));
      for (const hit of similar) {
        const other = others.data.find((candidate) => candidate.id === hit.id);
        if (!other) continue;
        if (object.titleFields.length <= 1) {
          add(other, [hit.matchedField], 'similar', Math.min(0.99, Math.round((hit.score - 1) * 1000) / 1000));
          continue;
        }
        // The same last name is not the same person: the whole name decides.
        const score = nameSimilarity(mine, comparable(fullName(other)));
        if (score >= SIMILAR_FULL_NAMES) add(other, [object.labelField], 'similar', Math.min(0.99, score));
      }
    }
  }
  return [...found.values()].sort((a, b) => b.score - a.score).slice(0, limit);
}
