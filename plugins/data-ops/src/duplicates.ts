import type { ObjectDescription, PluginRecords } from '@rapport/sdk/server';

export interface Candidate {
  id: string;
  label: string;
  /** 0 to 1: an identical email or phone is 1; a similar name, its similarity. */
  score: number;
  matched: { field: string; kind: 'same' | 'similar' }[];
}

/** Fields that identify one real thing: the same value twice is very likely the same record. */
const IDENTIFYING = new Set(['email', 'phone', 'url']);
const SIMILAR_ENOUGH = 0.45;

/**
 * The records most likely to be the same as this one, as the caller may see them: exact matches on
 * identifying fields (email, phone, web address), and names similar by trigrams (full-text search).
 */
export async function duplicateCandidates(records: PluginRecords, object: ObjectDescription, record: Record<string, unknown>, limit = 10): Promise<Candidate[]> {
  const found = new Map<string, Candidate>();
  const label = (other: Record<string, unknown>) => String(other[object.labelField] ?? other.id);
  const add = (other: Record<string, unknown>, field: string, kind: 'same' | 'similar', score: number) => {
    if (other.id === record.id) return;
    const id = String(other.id);
    const candidate = found.get(id) ?? { id, label: label(other), score: 0, matched: [] };
    // Each more reason makes it likelier: 1 - the product of the chances it is not.
    candidate.score = Math.round((1 - (1 - candidate.score) * (1 - score)) * 1000) / 1000;
    candidate.matched.push({ field, kind });
    found.set(id, candidate);
  };
  for (const field of object.fields.filter((candidate) => IDENTIFYING.has(candidate.type) || candidate.name === 'domain')) {
    const value = record[field.name];
    if (typeof value !== 'string' || !value) continue;
    const same = await records.list(object.name, { filter: { field: field.name, op: 'eq', value }, limit: 20 });
    for (const other of same.data) add(other, field.name, 'same', 1);
  }
  const name = record[object.labelField];
  if (typeof name === 'string' && name.trim().length >= 3) {
    const hits = await records.search(name, { objects: [object.name], limit: 20 });
    const similar = hits.data.filter((hit) => hit.score - 1 >= SIMILAR_ENOUGH && hit.id !== record.id);
    if (similar.length) {
      const others = await records.list(object.name, { filter: { field: 'id', op: 'in', value: similar.map((hit) => hit.id) }, limit: 20 });
      for (const hit of similar) {
        const other = others.data.find((candidate) => candidate.id === hit.id);
        if (other) add(other, hit.matchedField, 'similar', Math.min(0.99, Math.round((hit.score - 1) * 1000) / 1000));
      }
    }
  }
  return [...found.values()].sort((a, b) => b.score - a.score).slice(0, limit);
}
