import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import type { ObjectDescription } from '@rapport/sdk/server';

type Field = ObjectDescription['fields'][number];
type Labels = { en: string; fr?: string };

/** What one column of a file is suggested to feed, and how sure the suggestion is. */
export interface ColumnSuggestion {
  column: number;
  /** The header as the file wrote it, without a byte-order mark, surrounding spaces or quotes. */
  header: string;
  target: string | null;
  /** 1 for a field's own name or label, 0.9 for a known synonym, the similarity for a near miss, 0.6 from the values alone. */
  confidence: number;
}

export interface MappingTarget {
  target: string;
  labels: Labels;
  type: string;
}

/** Bookkeeping the core keeps by itself: an import that wrote them would forge history. */
const NEVER_TARGETS = new Set(['id', 'createdAt', 'updatedAt', 'deletedAt', 'version']);
/** A record has no column for the other side of these: the related records point at it. */
const COLLECTION_RELATIONS = new Set(['oneToMany', 'manyToMany']);

const ADDRESS_PARTS: { part: string; labels: Required<Labels> }[] = [
  { part: 'street', labels: { en: 'Street', fr: 'Rue' } },
  { part: 'street2', labels: { en: 'Address line 2', fr: "Complément d'adresse" } },
  { part: 'postalCode', labels: { en: 'Postal code', fr: 'Code postal' } },
  { part: 'city', labels: { en: 'City', fr: 'Ville' } },
  { part: 'region', labels: { en: 'Region', fr: 'Région' } },
  { part: 'country', labels: { en: 'Country', fr: 'Pays' } },
];

const EXACT = 1;
const SYNONYM = 0.9;
/** A mobile column falls back to the main phone below a column that names the main phone itself. */
const SYNONYM_FALLBACK = 0.85;
const FUZZY_THRESHOLD = 0.85;
/**
 * A near miss never outranks a known synonym: "Emial" is likely email, but "Courriel" certainly is.
 * Kept under SYNONYM so that the confidence alone orders the suggestions.
 */
const FUZZY_CEILING = 0.89;
/** Below this, Jaro-Winkler on short words is noise ("cp" and "ca" share half their letters). */
const FUZZY_MIN_LENGTH = 4;
/**
 * Jaro-Winkler rewards a shared beginning, so "Date création" would pass as "Date opt-in", "Statut" as
 * "State" and "Prénom Nom" as "Prénom": a near miss is also a typo's few edits away, one per six letters.
 */
const LETTERS_PER_EDIT = 6;
const FROM_SAMPLES = 0.6;
/** Most of the values, not all: a file's first rows often have a blank or a "n/a". */
const SAMPLES_AGREE = 0.8;

/** Header normalisation used for matching: lower case, accents removed, everything not a letter or digit removed. */
export function normalizeHeader(header: string): string {
  return (
    header
      // NFKD also unfolds what spreadsheets paste in: ligatures (ﬁ), full-width letters, superscripts.
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      // Letters no decomposition splits, but that French and German headers do use.
      .replace(/œ/g, 'oe')
      .replace(/æ/g, 'ae')
      .replace(/ß/g, 'ss')
      .replace(/[^\p{L}\p{N}]/gu, '')
  );
}

/** The header to show: Excel's byte-order mark and a CSV's leftover quotes are not part of the name. */
function displayHeader(header: string): string {
  let text = header.replace(/^\uFEFF+/, '').trim();
  const quoted = /^(?:"(.*)"|'(.*)'|“(.*)”|«(.*)»)$/s.exec(text);
  if (quoted) text = (quoted[1] ?? quoted[2] ?? quoted[3] ?? quoted[4] ?? '').trim();
  return text;
}

function isTarget(field: Field): boolean {
  return !NEVER_TARGETS.has(field.name) && !(field.relation && COLLECTION_RELATIONS.has(field.relation.kind));
}

/** The targets of an object, for the mapping editor; address fields are imported one part per column. */
export function mappingTargets(object: ObjectDescription): MappingTarget[] {
  return object.fields.filter(isTarget).flatMap((field): MappingTarget[] => {
    if (field.type !== 'address') return [{ target: field.name, labels: field.labels, type: field.type }];
    return ADDRESS_PARTS.map(({ part, labels }) => ({
      target: `${field.name}.${part}`,
      // A field without a French label still gets French part names: half a translation reads better than none.
      labels: { en: `${field.labels.en} — ${labels.en}`, fr: `${field.labels.fr ?? field.labels.en} — ${labels.fr}` },
      type: field.type,
    }));
  });
}

// --- Synonyms ---

/** What a synonym means on a given object: its targets there, best first, none if it has no such field. */
type Resolver = (object: ObjectView) => { target: string; confidence: number }[];

interface ObjectView {
  object: ObjectDescription;
  targets: MappingTarget[];
  has(target: string): boolean;
  /** The address that unqualified "City", "Ville"… columns feed. */
  mainAddress: Field | undefined;
}

const field =
  (name: string): Resolver =>
  (view) =>
    view.has(name) ? [{ target: name, confidence: SYNONYM }] : [];

const addressPart =
  (part: string): Resolver =>
  (view) => {
    const target = view.mainAddress ? `${view.mainAddress.name}.${part}` : undefined;
    return target && view.has(target) ? [{ target, confidence: SYNONYM }] : [];
  };

/** A person's company is a link to a company; a company's "Company" column is its own name. */
const company: Resolver = (view) => {
  if (view.has('company')) return [{ target: 'company', confidence: SYNONYM }];
  if (view.object.name === 'company' && view.has(view.object.labelField)) return [{ target: view.object.labelField, confidence: SYNONYM }];
  return [];
};

const MOBILE_WORDS = ['mobile', 'portable', 'cell', 'gsm'];

/** Phone fields that are a mobile by name or label: where "Portable" goes when the object keeps both. */
function mobileFields(view: ObjectView): string[] {
  return view.targets
    .filter((target) => target.type === 'phone' && [target.target, target.labels.en, target.labels.fr ?? ''].some((text) => MOBILE_WORDS.some((word) => normalizeHeader(text).includes(word))))
    .map((target) => target.target);
}

const mobile: Resolver = (view) => {
  const mobiles = mobileFields(view);
  const phone = view.has('phone') && !mobiles.includes('phone') ? [{ target: 'phone', confidence: mobiles.length ? SYNONYM_FALLBACK : SYNONYM }] : [];
  return [...mobiles.map((target) => ({ target, confidence: SYNONYM })), ...phone];
};

/** Tags are a multi-select: the one named so, else the object's first. */
const tags: Resolver = (view) => {
  const multi = view.targets.filter((target) => target.type === 'multiSelect');
  const chosen = multi.find((target) => target.target === 'tags') ?? multi[0];
  return chosen ? [{ target: chosen.target, confidence: SYNONYM }] : [];
};

/**
 * Headers as real files write them, from French and English exports (Excel, Outlook, Google, HubSpot,
 * Salesforce): abbreviations, with or without accents and spaces, which normalisation makes one.
 */
const SYNONYMS: [Resolver, string[]][] = [
  [field('lastName'), ['Nom', 'Nom de famille', 'Nom patronymique', 'Last name', 'Lastname', 'Surname', 'Family name']],
  [field('firstName'), ['Prénom', 'Prénom usuel', 'First name', 'Firstname', 'Given name', 'Forename']],
  [field('email'), ['Courriel', 'Mail', 'Mél', 'E-mail', 'Adresse e-mail', 'Adresse mail', 'Adresse électronique', 'Email address', 'E-mail address', 'Email 1', 'E-mail 1']],
  [
    field('phone'),
    ['Tél', 'Tél.', 'Téléphone', 'N° de téléphone', 'Numéro de téléphone', 'N° tél', 'Tél fixe', 'Téléphone fixe', 'Tél bureau', 'Téléphone bureau', 'Phone number', 'Telephone number', 'Work phone', 'Business phone', 'Office phone', 'Landline'],
  ],
  [mobile, ['Portable', 'Mobile', 'GSM', 'Tél portable', 'Téléphone portable', 'Tél mobile', 'Téléphone mobile', 'Cellulaire', 'Mobile phone', 'Cell', 'Cell phone']],
  [field('jobTitle'), ['Fonction', 'Poste', 'Titre', 'Intitulé de poste', 'Intitulé du poste', 'Job title', 'Title', 'Position']],
  [
    company,
    ['Société', 'Entreprise', 'Organisation', 'Raison sociale', 'Nom de la société', 'Nom société', "Nom de l'entreprise", 'Nom entreprise', 'Compte', 'Employeur', 'Company', 'Company name', 'Organization', 'Account', 'Account name', 'Employer'],
  ],
  [field('domain'), ['Site web', 'Site', 'Site internet', 'Domaine', 'Website', 'Web site', 'Website URL', 'Domain', 'URL']],
  [addressPart('street'), ['Adresse', 'Adresse 1', 'Adresse postale', 'Ligne adresse 1', 'Rue', 'Voie', 'Address', 'Address 1', 'Address line 1', 'Street', 'Street address', 'Mailing street']],
  [addressPart('street2'), ["Complément d'adresse", 'Complément adresse', 'Adresse 2', 'Ligne adresse 2', 'Address 2', 'Address line 2', 'Street 2']],
  [addressPart('postalCode'), ['Code postal', 'Codepostal', 'CP', 'ZIP', 'Zip code', 'Zipcode', 'Postcode', 'Post code', 'Postal code', 'Zip/Postal code', 'Mailing zip/postal code']],
  [addressPart('city'), ['Ville', 'Localité', 'Commune', 'City', 'Town', 'Mailing city']],
  [addressPart('region'), ['Région', 'Département', 'Dép', 'Province', 'State', 'County', 'State/Province', 'State/Region']],
  [addressPart('country'), ['Pays', 'Code pays', 'Country', 'Country code', 'Country/Region']],
  [field('consentStatus'), ['Statut consentement', 'Statutconsentement', 'Statut du consentement', 'Consentement', 'Statut opt-in', 'Consent', 'Consent status', 'Opt-in status', 'Opt-in']],
  [field('optInAt'), ['Date opt-in', 'Dateoptin', "Date d'opt-in", 'Date consentement', 'Date du consentement', 'Date de consentement', 'Opt-in date', 'Consent date']],
  [tags, ['Tags', 'Tag', 'Étiquettes', 'Étiquette', 'Mots-clés', 'Labels', 'Keywords']],
  [field('ownerId'), ['Propriétaire', 'Commercial', 'Responsable', 'Attribué à', 'Suivi par', 'Chargé de compte', 'Owner', 'Owner email', 'Contact owner', 'Account owner', 'Record owner', 'Assigned to']],
  // Tasks, notes and deals name their person: by email or name, resolved at import.
  [field('person'), ['Contact', 'Interlocuteur', 'E-mail du contact', 'Email du contact', 'Contact email', 'Related contact', 'Person']],
  [field('industry'), ['Secteur', "Secteur d'activité", 'Industrie', 'Industry', 'Sector']],
  [field('employees'), ['Effectif', 'Effectifs', 'Employés', 'Salariés', 'Nombre de salariés', "Nombre d'employés", 'Employees', 'Number of employees', 'Headcount']],
  [field('annualRevenue'), ['CA', 'CA annuel', "Chiffre d'affaires", "Chiffre d'affaires annuel", 'Revenue', 'Annual revenue', 'Turnover']],
];

/** Normalised synonym → its resolver; built once, a header that normalises alike in two lists keeps the first. */
const SYNONYM_INDEX = new Map<string, Resolver>();
for (const [resolve, headers] of SYNONYMS) {
  for (const header of headers) {
    const key = normalizeHeader(header);
    if (!SYNONYM_INDEX.has(key)) SYNONYM_INDEX.set(key, resolve);
  }
}

// --- Matching ---

interface Candidate {
  column: number;
  target: string;
  confidence: number;
}

function viewOf(object: ObjectDescription): ObjectView {
  const targets = mappingTargets(object);
  const names = new Set(targets.map((target) => target.target));
  const addresses = object.fields.filter((candidate) => candidate.type === 'address' && isTarget(candidate));
  return {
    object,
    targets,
    has: (target) => names.has(target),
    mainAddress: addresses.find((candidate) => candidate.name === 'address') ?? addresses[0],
  };
}

/** Each target's own names, normalised: the target itself (`address.city` too) and its labels. */
function exactKeys(view: ObjectView): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  const add = (key: string, target: string) => {
    if (!key) return;
    const targets = keys.get(key) ?? [];
    if (!targets.includes(target)) targets.push(target);
    keys.set(key, targets);
  };
  for (const target of view.targets) {
    add(normalizeHeader(target.target), target.target);
    add(normalizeHeader(target.labels.en), target.target);
    if (target.labels.fr) add(normalizeHeader(target.labels.fr), target.target);
  }
  return keys;
}

/** A column of the file: the header as matched, and what its first values look like. */
interface ColumnInfo {
  key: string;
  kind: 'email' | 'phone' | null;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[\p{L}]{2,}$/u;
/** International (+33, 0033), national (0…) or North American ((555) …) forms, 8 to 15 digits as E.164 allows. */
const PHONE = /^(?:\+|00|0|\()[\d\s().\-/]+$/;

function sampleKind(values: string[]): 'email' | 'phone' | null {
  const written = values.map((value) => value.trim()).filter(Boolean);
  if (written.length === 0) return null;
  const share = (test: (value: string) => boolean) => written.filter(test).length / written.length;
  if (share((value) => EMAIL.test(value)) >= SAMPLES_AGREE) return 'email';
  const digits = (value: string) => value.replace(/\D/g, '').length;
  if (share((value) => PHONE.test(value) && digits(value) >= 8 && digits(value) <= 15) >= SAMPLES_AGREE) return 'phone';
  return null;
}

/** Edits from one string to the other, a swap of two neighbours counting as one ("Emial"). */
function typoDistance(a: string, b: string): number {
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) current[j] = Math.min(current[j], before[j - 2] + 1);
    }
    before = previous;
    previous = current;
  }
  return previous[b.length];
}

function fuzzyScore(key: string, candidate: string): number {
  if (key.length < FUZZY_MIN_LENGTH || candidate.length < FUZZY_MIN_LENGTH) return 0;
  const allowed = Math.max(1, Math.floor(Math.max(key.length, candidate.length) / LETTERS_PER_EDIT));
  if (Math.abs(key.length - candidate.length) > allowed || typoDistance(key, candidate) > allowed) return 0;
  return jaroWinkler(key, candidate);
}

/** What a column could feed, from its header alone: exact names first, then synonyms, then near misses. */
function headerCandidates(column: number, key: string, exact: Map<string, string[]>, synonyms: Map<string, { target: string; confidence: number }[]>): Candidate[] {
  if (!key) return [];
  const found = new Map<string, number>();
  const offer = (target: string, confidence: number) => {
    if ((found.get(target) ?? 0) < confidence) found.set(target, confidence);
  };
  for (const target of exact.get(key) ?? []) offer(target, EXACT);
  for (const { target, confidence } of synonyms.get(key) ?? []) offer(target, confidence);
  // A column its header names clearly that lost its field to another column is better left out than guessed.
  if (found.size === 0) {
    const near = new Map<string, number>();
    const compare = (candidate: string, targets: string[]) => {
      const score = fuzzyScore(key, candidate);
      if (score < FUZZY_THRESHOLD) return;
      for (const target of targets) near.set(target, Math.max(near.get(target) ?? 0, score));
    };
    for (const [candidate, targets] of exact) compare(candidate, targets);
    for (const [candidate, resolved] of synonyms) compare(candidate, resolved.map((entry) => entry.target));
    for (const [target, score] of near) offer(target, Math.min(score, FUZZY_CEILING));
  }
  return [...found].map(([target, confidence]) => ({ column, target, confidence }));
}

/** The targets of a kind, the one named after the kind first ("email" before "secondaryEmail"). */
function typedTargets(view: ObjectView, type: 'email' | 'phone'): string[] {
  const typed = view.targets.filter((target) => target.type === type).map((target) => target.target);
  return [...typed.filter((target) => target === type), ...typed.filter((target) => target !== type)];
}

/** One suggestion per header, in order; no target is used twice (the best-scoring column wins it; the others get the next best or null). */
export function suggestMapping(headers: string[], object: ObjectDescription, samples: string[][] = []): ColumnSuggestion[] {
  const view = viewOf(object);
  const exact = exactKeys(view);
  const synonyms = new Map<string, { target: string; confidence: number }[]>();
  for (const [key, resolve] of SYNONYM_INDEX) {
    const resolved = resolve(view);
    if (resolved.length) synonyms.set(key, resolved);
  }
  // A column named after an address field as a whole ("Billing address") most often holds its street.
  for (const address of view.object.fields.filter((candidate) => candidate.type === 'address' && isTarget(candidate))) {
    for (const text of [address.name, address.labels.en, address.labels.fr ?? '']) {
      const key = normalizeHeader(text);
      if (key && !synonyms.has(key)) synonyms.set(key, [{ target: `${address.name}.street`, confidence: SYNONYM }]);
    }
  }
  const typeOf = new Map(view.targets.map((target) => [target.target, target.type]));
  const order = new Map(view.targets.map((target, index) => [target.target, index]));

  const columns: ColumnInfo[] = headers.map((header, column) => ({
    key: normalizeHeader(displayHeader(header)),
    kind: sampleKind(samples.map((row) => row[column] ?? '')),
  }));
  const candidates = columns.flatMap((info, column) => {
    const byHeader = headerCandidates(column, info.key, exact, synonyms);
    if (byHeader.length || !info.kind) return byHeader;
    return typedTargets(view, info.kind).map((target) => ({ column, target, confidence: FROM_SAMPLES }));
  });

  // Values that fit the field settle a tie between two columns ("Mail" and "Courriel"); then the file's order.
  const fits = (candidate: Candidate) => {
    const kind = columns[candidate.column].kind;
    return kind !== null && kind === typeOf.get(candidate.target) ? 1 : 0;
  };
  candidates.sort((a, b) => b.confidence - a.confidence || fits(b) - fits(a) || a.column - b.column || (order.get(a.target) ?? 0) - (order.get(b.target) ?? 0));

  // Greedy on the best score overall: each column takes its best target not already won by a better column.
  const chosen = new Map<number, Candidate>();
  const taken = new Set<string>();
  for (const candidate of candidates) {
    if (chosen.has(candidate.column) || taken.has(candidate.target)) continue;
    chosen.set(candidate.column, candidate);
    taken.add(candidate.target);
  }

  return headers.map((header, column) => {
    const match = chosen.get(column);
    return { column, header: displayHeader(header), target: match?.target ?? null, confidence: match?.confidence ?? 0 };
  });
}
