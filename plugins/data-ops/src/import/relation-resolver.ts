import type { ObjectDescription, PluginRecords, TransactionRecords } from '@rapport/sdk/server';
import { comparable } from '../names';
import type { RowPlan } from './row-plan';

const DOMAIN = /^(?:https?:\/\/)?(?:www\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})\/?$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CONDITIONS_PER_QUERY = 50;

/** What one batch linked (`field:text` → id), and the related records it created, by name and web domain. */
export interface BatchLinks {
  linked: Map<string, string>;
  created: Set<string>;
}

export const newBatchLinks = (): BatchLinks => ({ linked: new Map(), created: new Set() });

/** How a text names a related record it could create: its name without case or accents, and its web domain. */
function creatingKeys(text: string): string[] {
  const domain = DOMAIN.exec(text)?.[1]?.toLowerCase();
  return [`name:${comparable(text)}`, ...(domain ? [`domain:${domain}`] : [])];
}

interface Target {
  object: ObjectDescription;
  domainField: string | undefined;
  emailField: string | undefined;
}

/**
 * Links rows to related records named in the file — a person's company by its name or web domain, a
 * task's person by email — as the importer may see them; those missing are created when the import
 * says so (by name only: a person is not made up from an email address).
 */
export class RelationResolver {
  private readonly targets = new Map<string, Target>();
  /** Texts already linked, per field (`field:text` → id), kept over the batches of one run once committed. */
  private readonly known = new Map<string, string>();

  private constructor(private readonly fields: { name: string; target: string }[]) {}

  static async for(records: PluginRecords, object: ObjectDescription, mapped: string[]): Promise<RelationResolver> {
    const fields = object.fields.filter((field) => field.relation?.kind === 'manyToOne' && mapped.includes(field.name)).map((field) => ({ name: field.name, target: field.relation!.target }));
    const resolver = new RelationResolver(fields);
    for (const { target } of fields) {
      if (resolver.targets.has(target)) continue;
      const description = await records.describe(target);
      resolver.targets.set(target, { object: description, domainField: description.fields.find((field) => field.name === 'domain')?.name, emailField: description.fields.find((field) => field.type === 'email')?.name });
    }
    return resolver;
  }

  /** The batch committed: what it linked holds for the next ones. (If it rolled back, its links are simply dropped.) */
  commit(links: BatchLinks): void {
    for (const [key, id] of links.linked) this.known.set(key, id);
  }

  /**
   * Whether these rows name a related record that a batch still being written creates: looked up
   * now, it would not be found (not committed), and be created twice.
   */
  namesAnyOf(rows: RowPlan[], creating: BatchLinks): boolean {
    if (creating.created.size === 0) return false;
    return rows.some((row) =>
      this.fields.some(({ name }) => {
        const text = row.relations[name];
        return Boolean(text) && !this.known.has(`${name}:${text}`) && creatingKeys(text!).some((key) => creating.created.has(key));
      }),
    );
  }

  /** Sets each row's related ids; returns the records it created, to be undone with the import. */
  async resolve(records: TransactionRecords, rows: RowPlan[], createMissing: boolean, ownerId: string | undefined, links: BatchLinks): Promise<{ object: string; id: string }[]> {
    const created: { object: string; id: string }[] = [];
    for (const { name, target } of this.fields) {
      const { object, domainField, emailField } = this.targets.get(target)!;
      const wanted = [...new Set(rows.map((row) => row.relations[name]).filter((text): text is string => Boolean(text)))];
      const texts = wanted.filter((text) => !this.known.has(`${name}:${text}`));
      const found = new Map<string, string>();
      const remember = (record: Record<string, unknown>) => {
        const label = record[object.labelField];
        if (typeof label === 'string' && !found.has(`name:${comparable(label)}`)) found.set(`name:${comparable(label)}`, String(record.id));
        const domain = domainField ? record[domainField] : undefined;
        if (typeof domain === 'string' && !found.has(`domain:${domain.toLowerCase()}`)) found.set(`domain:${domain.toLowerCase()}`, String(record.id));
        const email = emailField ? record[emailField] : undefined;
        if (typeof email === 'string' && !found.has(`email:${email.toLowerCase()}`)) found.set(`email:${email.toLowerCase()}`, String(record.id));
      };
      const fields = ['id', object.labelField, ...(domainField ? [domainField] : []), ...(emailField ? [emailField] : [])];
      const emails = emailField ? texts.filter((text) => EMAIL.test(text)).map((text) => text.toLowerCase()) : [];
      for (let start = 0; start < emails.length; start += 500) {
        const page = await records.list(target, { filter: { field: emailField!, op: 'in', value: emails.slice(start, start + 500) }, fields, limit: 500 });
        page.data.forEach(remember);
      }
      // Exact names first (indexed), then the rest without case or accents.
      if (texts.length) {
        for (let start = 0; start < texts.length; start += 500) {
          const page = await records.list(target, { filter: { field: object.labelField, op: 'in', value: texts.slice(start, start + 500) }, fields, limit: 500 });
          page.data.forEach(remember);
        }
      }
      const unresolved = texts.filter((text) => !found.has(`name:${comparable(text)}`) && !found.has(`email:${text.toLowerCase()}`) && !(emailField && EMAIL.test(text)));
      const domains = unresolved.map((text) => DOMAIN.exec(text)?.[1]?.toLowerCase()).filter((domain): domain is string => Boolean(domain));
      // Names compared without case or accents: "ACME" is "Acme". `startsWith` is the case-blind filter.
      const conditions = [
        ...unresolved.map((text) => ({ field: object.labelField, op: 'startsWith', value: text })),
        ...(domainField && domains.length ? [{ field: domainField, op: 'in', value: domains.slice(0, 500) }] : []),
      ];
      for (let start = 0; start < conditions.length; start += CONDITIONS_PER_QUERY) {
        let cursor: string | undefined;
        do {
          const page = await records.list(target, { filter: { or: conditions.slice(start, start + CONDITIONS_PER_QUERY) }, fields, limit: 500, cursor });
          page.data.forEach(remember);
          cursor = page.pageInfo.hasMore ? (page.pageInfo.nextCursor ?? undefined) : undefined;
        } while (cursor);
      }
      const idOf = (text: string) => {
        const domain = DOMAIN.exec(text)?.[1]?.toLowerCase();
        return found.get(`email:${text.toLowerCase()}`) || (domain && found.get(`domain:${domain}`)) || found.get(`name:${comparable(text)}`);
      };
      const missing = [...new Map(texts.filter((text) => !idOf(text) && !(emailField && EMAIL.test(text))).map((text) => [comparable(text), text])).values()];
      if (createMissing && missing.length) {
        for (const text of missing) for (const key of creatingKeys(text)) links.created.add(key);
        const values = missing.map((text) => {
          const domain = DOMAIN.exec(text)?.[1]?.toLowerCase();
          return { [object.labelField]: text, ...(domain && domainField ? { [domainField]: domain } : {}), ...(ownerId ? { ownerId } : {}) };
        });
        for (let start = 0; start < values.length; start += 1000) {
          const { data } = await records.batch(target, { operation: 'create', records: values.slice(start, start + 1000) });
          data.forEach((record) => {
            remember(record);
            created.push({ object: target, id: String(record.id) });
          });
        }
      }
      for (const text of texts) {
        const id = idOf(text);
        if (id) links.linked.set(`${name}:${text}`, id);
      }
      for (const row of rows) {
        const text = row.relations[name];
        const id = text ? (this.known.get(`${name}:${text}`) ?? links.linked.get(`${name}:${text}`)) : undefined;
        if (id) row.values[name] = id;
      }
    }
    return created;
  }
}
