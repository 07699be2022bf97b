import type { ObjectDescription } from '@rapport/sdk/server';
import { comparable } from '../names';
import { type CleaningOptions, cleanValue, countryCode } from './cleaning';
import type { ImportSettings } from './import-settings';

type Field = ObjectDescription['fields'][number];

/** What one column feeds: a field, or one part of a structured field (`address.city`). */
interface Column {
  index: number;
  header: string;
  field: Field;
  part?: string;
}

/** A row as the run will write it, or why it cannot be. */
export interface RowPlan {
  rowNo: number;
  /** Values ready for the API, relations aside. */
  values: Record<string, unknown>;
  /** manyToOne fields given as text (a company's name or web domain), resolved against their object. */
  relations: Record<string, string>;
  errors: { field: string; message: string }[];
  /** Identifying values (`email:…`, `phone:…`): the same one twice is the same record. */
  keys: string[];
  /** For similar-name matching: the name as one string, and the block it is compared within. */
  name: string | null;
  emailDomain: string | null;
}

const IDENTIFYING_TYPES = new Set(['email', 'phone']);
/** Addresses at these domains are people's own, not their company's: no block for similar names. */
const SHARED_MAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.fr', 'hotmail.com', 'hotmail.fr', 'outlook.com', 'outlook.fr', 'live.com', 'live.fr', 'icloud.com', 'me.com', 'orange.fr', 'wanadoo.fr', 'free.fr', 'sfr.fr', 'laposte.net', 'gmx.com', 'gmx.fr', 'proton.me', 'protonmail.com', 'aol.com', 'msn.com', 'bbox.fr', 'neuf.fr']);

/**
 * Turns rows of a file into values for one object, once per import: which column feeds which field,
 * cleaned per the import's rules; required fields checked here so that a refusal names the row early.
 */
export class RowPlanner {
  private readonly columns: Column[];
  private readonly cleaning: CleaningOptions;
  private readonly countryColumn: Column | undefined;
  private readonly required: Field[];
  private readonly nameFields: Field[];

  constructor(
    private readonly object: ObjectDescription,
    headers: string[],
    private readonly settings: ImportSettings,
  ) {
    const byName = new Map(object.fields.map((field) => [field.name, field]));
    this.columns = settings.mapping.flatMap((target, index) => {
      if (!target) return [];
      const [name, part] = target.split('.', 2) as [string, string | undefined];
      const field = byName.get(name);
      return field ? [{ index, header: headers[index] ?? `#${index + 1}`, field, ...(part ? { part } : {}) }] : [];
    });
    this.cleaning = { rules: settings.rules, defaultCountry: settings.defaultCountry, dateFormat: settings.dateFormat, timeZone: settings.timeZone, currency: settings.currency };
    this.countryColumn = this.columns.find((column) => column.field.type === 'address' && column.part === 'country');
    const mapped = new Set(this.columns.map((column) => column.field.name));
    // A required field no column feeds fails every row: said once, by the caller, from `unmappedRequired`.
    this.required = object.fields.filter((field) => field.required && mapped.has(field.name));
    const first = byName.get('firstName');
    const last = byName.get('lastName');
    this.nameFields = first && last ? [first, last] : [byName.get(object.labelField)].filter((field): field is Field => Boolean(field));
  }

  /** Required fields that no column feeds: the import cannot start without them. */
  unmappedRequired(): Field[] {
    const mapped = new Set(this.columns.map((column) => column.field.name));
    return this.object.fields.filter((field) => field.required && !mapped.has(field.name) && field.relation?.kind !== 'oneToMany');
  }

  /** Fields the import writes, for reading records' values before an update (undo restores them). */
  writtenFields(): string[] {
    return [...new Set(this.columns.map((column) => column.field.name))];
  }

  plan(rowNo: number, cells: string[]): RowPlan {
    const plan: RowPlan = { rowNo, values: {}, relations: {}, errors: [], keys: [], name: null, emailDomain: null };
    const rowCountry = this.countryColumn ? (countryCode(cells[this.countryColumn.index] ?? '') ?? undefined) : undefined;
    const parts = new Map<string, Record<string, unknown>>();
    for (const column of this.columns) {
      const raw = cells[column.index] ?? '';
      const { field, part } = column;
      if (field.relation?.kind === 'manyToOne') {
        const text = raw.trim().replace(/\s+/g, ' ');
        if (text) plan.relations[field.name] = text;
        continue;
      }
      const cleaned = cleanValue(field, raw, this.cleaning, { part, country: rowCountry });
      if (!cleaned.ok) {
        plan.errors.push({ field: part ? `${field.name}.${part}` : field.name, message: `${column.header}: ${cleaned.message}` });
        continue;
      }
      if (cleaned.value === null || cleaned.value === undefined) continue;
      if (part) {
        const structured = parts.get(field.name) ?? {};
        structured[part] = cleaned.value;
        parts.set(field.name, structured);
        continue;
      }
      plan.values[field.name] = cleaned.value;
      if (IDENTIFYING_TYPES.has(field.type) && typeof cleaned.value === 'string') plan.keys.push(`${field.type}:${field.type === 'email' ? cleaned.value.toLowerCase() : cleaned.value}`);
    }
    for (const [name, structured] of parts) {
      // An address with a city but no country is in the import's country.
      if (this.object.fields.find((field) => field.name === name)?.type === 'address' && !structured.country) structured.country = rowCountry ?? this.settings.defaultCountry;
      plan.values[name] = structured;
    }
    for (const field of this.required) {
      if ((plan.values[field.name] === undefined || plan.values[field.name] === '') && !plan.relations[field.name] && !plan.errors.some((error) => error.field === field.name)) {
        plan.errors.push({ field: field.name, message: `${field.labels.en}: is required` });
      }
    }
    const name = this.nameFields.map((field) => plan.values[field.name]).filter((value): value is string => typeof value === 'string' && value.length > 0);
    plan.name = name.length ? comparable(name.join(' ')) : null;
    const email = Object.entries(plan.values).find(([fieldName]) => this.object.fields.find((field) => field.name === fieldName)?.type === 'email')?.[1];
    const domain = typeof email === 'string' ? email.split('@')[1]?.toLowerCase() : undefined;
    plan.emailDomain = domain && !SHARED_MAIL_DOMAINS.has(domain) ? domain : null;
    return plan;
  }
}
