import type { ObjectDescription, TransactionRecords } from '@rapport/sdk/server';
import { comparable, nameSimilarity } from '../names';
import type { RowPlan } from './row-plan';

/** The record a row is likely to be, and why. */
export interface Match {
  recordId: string;
  /** 1 for the same email or phone; the names' similarity otherwise. */
  score: number;
  fields: string[];
}

/** Jaro-Winkler of two full names: "John Smith"/"Jon Smith" is 0.97, "Jean Dupont"/"Jeanne Dupont" 0.91. */
export const SIMILAR_NAMES = 0.93;
const CONDITIONS_PER_QUERY = 50;

type ApiRecord = Record<string, unknown>;
type Block = { key: string; filter: unknown };

/** All pages of a list: matching is over every candidate the caller may see, not the first page. */
async function listAll(records: TransactionRecords, object: string, filter: unknown, fields: string[]): Promise<ApiRecord[]> {
  const found: ApiRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await records.list(object, { filter, fields, limit: 500, cursor });
    found.push(...page.data);
    cursor = page.pageInfo.hasMore ? (page.pageInfo.nextCursor ?? undefined) : undefined;
  } while (cursor);
  return found;
}

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, index) => items.slice(index * size, index * size + size));

/**
 * Existing records (as the importer may see them) that rows of a batch are likely to be: the same
 * email or phone exactly, or, with `fuzzy`, a similar full name at the same company (named in the
 * file, or found by the web domain of the email, unless it is a shared one such as gmail.com).
 */
export class DuplicateFinder {
  private readonly identifying: ObjectDescription['fields'];
  private readonly nameFields: string[];
  private readonly companyField: string | undefined;
  /** Email domains seen so far and their company (or none), over the batches of one import. */
  private readonly domainCompanies = new Map<string, string>();
  private readonly domainless = new Set<string>();
  /** `blockOf`'s answers, by the values asked about, with what they were computed from. */
  private readonly blocks = new WeakMap<ApiRecord, { inputs: unknown[]; block: Block | null }>();

  constructor(private readonly object: ObjectDescription) {
    this.identifying = object.fields.filter((field) => field.type === 'email' || field.type === 'phone');
    const names = new Set(object.fields.map((field) => field.name));
    this.nameFields = names.has('firstName') && names.has('lastName') ? ['firstName', 'lastName'] : [object.labelField];
    this.companyField = object.fields.find((field) => field.relation?.kind === 'manyToOne' && field.relation.target === 'company')?.name;
  }

  /** What identifies a record, as `RowPlan.keys` writes it. */
  keysOf(record: ApiRecord): string[] {
    return this.identifying.flatMap((field) => {
      const value = record[field.name];
      return typeof value === 'string' && value ? [`${field.type}:${field.type === 'email' ? value.toLowerCase() : value}`] : [];
    });
  }

  nameOf(values: ApiRecord): string | null {
    const parts = this.nameFields.map((field) => values[field]).filter((value): value is string => typeof value === 'string' && value.length > 0);
    return parts.length ? comparable(parts.join(' ')) : null;
  }

  /**
   * The block a record's similar names are looked for in: its company (or the company whose web
   * domain its email has), narrowed to the initials of its name — so that a file of one big company
   * compares each person with a handful of records, not with all of them. Both lookups use indexes;
   * a typo in a first letter, or a domain no company has, is not matched. Fine for a suggestion.
   */
  blockOf(values: ApiRecord, emailDomain: string | null): Block | null {
    const company = this.companyField ? values[this.companyField] : undefined;
    const inputs = [company, emailDomain, ...this.nameFields.map((field) => values[field])];
    const cached = this.blocks.get(values);
    if (cached && cached.inputs.every((input, index) => input === inputs[index])) return cached.block;
    const block = this.computeBlock(values, company, emailDomain);
    // Kept once the answer cannot change: the company is in the values, or what the email domain
    // leads to is known (a row is asked about several times a batch, before and after the domains are learned).
    if (company || !emailDomain || this.domainCompanies.has(emailDomain) || this.domainless.has(emailDomain)) this.blocks.set(values, { inputs, block });
    return block;
  }

  private computeBlock(values: ApiRecord, company: unknown, emailDomain: string | null): Block | null {
    const companyId = (typeof company === 'string' ? company : (company as { id?: string } | null | undefined)?.id) ?? (emailDomain ? this.domainCompanies.get(emailDomain) : undefined);
    if (!companyId) return null;
    const initials = this.nameFields.map((field) => {
      const value = values[field];
      return typeof value === 'string' ? value.trim().charAt(0) : '';
    });
    if (initials.every((initial) => !initial)) return null;
    const names = this.nameFields.flatMap((field, index) => (initials[index] ? [{ field, op: 'startsWith', value: initials[index] }] : []));
    return { key: `${companyId}:${initials.map((initial) => comparable(initial)).join('')}`, filter: { and: [{ field: this.companyField!, op: 'eq', value: companyId }, ...names] } };
  }

  /** The companies of these email domains, for people whose company the file does not name. */
  private async learnDomains(records: TransactionRecords, domains: string[]): Promise<void> {
    const unknown = domains.filter((domain) => !this.domainCompanies.has(domain) && !this.domainless.has(domain));
    if (!this.companyField || unknown.length === 0) return;
    for (const part of chunks(unknown, 500)) {
      const found = await listAll(records, 'company', { field: 'domain', op: 'in', value: part }, ['id', 'domain']).catch(() => []);
      for (const company of found) if (typeof company.domain === 'string') this.domainCompanies.set(company.domain.toLowerCase(), String(company.id));
    }
    for (const domain of unknown) if (!this.domainCompanies.has(domain)) this.domainless.add(domain);
  }

  /**
   * `madeHere`: companies this import created, whose people (all made by it too) the caller finds in
   * the import's own rows rather than through the data-access layer.
   */
  async find(records: TransactionRecords, rows: RowPlan[], fuzzy: boolean, madeHere: Pick<ReadonlySet<string>, 'has'> = new Set()): Promise<Map<number, Match>> {
    const matches = new Map<number, Match>();
    const fields = [...new Set(['id', ...this.identifying.map((field) => field.name), ...this.nameFields, ...(this.companyField ? [this.companyField] : [])])];
    const byKey = new Map<string, string>();
    const conditions = this.identifying.flatMap((field) => {
      const values = [...new Set(rows.flatMap((row) => row.keys.filter((key) => key.startsWith(`${field.type}:`)).map((key) => key.slice(field.type.length + 1))))];
      return chunks(values, 500).map((part) => ({ field: field.name, op: 'in', value: part }));
    });
    for (const part of chunks(conditions, CONDITIONS_PER_QUERY)) {
      for (const record of await listAll(records, this.object.name, { or: part }, fields)) {
        for (const key of this.keysOf(record)) if (!byKey.has(key)) byKey.set(key, String(record.id));
      }
    }
    for (const row of rows) {
      const hit = row.keys.filter((key) => byKey.has(key));
      if (hit.length) matches.set(row.rowNo, { recordId: byKey.get(hit[0]!)!, score: 1, fields: hit.map((key) => key.slice(0, key.indexOf(':'))) });
    }
    if (!fuzzy) return matches;
    const unmatched = rows.filter((row) => !matches.has(row.rowNo) && row.name);
    await this.learnDomains(records, [...new Set(unmatched.filter((row) => !(this.companyField && row.values[this.companyField]) && row.emailDomain).map((row) => row.emailDomain!))]);
    const blocks = new Map<string, unknown>();
    for (const row of unmatched) {
      const block = this.blockOf(row.values, row.emailDomain);
      if (block && !madeHere.has(block.key.slice(0, block.key.indexOf(':')))) blocks.set(block.key, block.filter);
    }
    const candidates = new Map<string, { id: string; name: string }[]>();
    for (const part of chunks([...blocks.values()], CONDITIONS_PER_QUERY / 2)) {
      for (const record of await listAll(records, this.object.name, { or: part }, fields)) {
        const name = this.nameOf(record);
        const block = name ? this.blockOf(record, null) : null;
        if (block && blocks.has(block.key)) candidates.set(block.key, [...(candidates.get(block.key) ?? []), { id: String(record.id), name: name! }]);
      }
    }
    for (const row of unmatched) {
      const block = this.blockOf(row.values, row.emailDomain);
      const [top] = block ? this.similar(row.name!, candidates.get(block.key) ?? []) : [];
      if (top) matches.set(row.rowNo, { recordId: top.id, score: top.score, fields: [...this.nameFields, this.companyField!] });
    }
    return matches;
  }

  /** The candidates whose name is similar enough to `name` (compared as `comparable` writes them), best first. */
  similar(name: string, candidates: { id: string; name: string }[]): { id: string; score: number }[] {
    return candidates
      .map((candidate) => ({ id: candidate.id, score: nameSimilarity(name, candidate.name) }))
      .filter((candidate) => candidate.score >= SIMILAR_NAMES)
      .sort((a, b) => b.score - a.score);
  }
}
