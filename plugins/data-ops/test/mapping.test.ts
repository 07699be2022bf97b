import { describe, expect, it } from 'vitest';
import { mappingTargets, normalizeHeader, suggestMapping } from '../src/import/mapping';

type Description = Parameters<typeof suggestMapping>[1];
type Field = Description['fields'][number];

const field = (name: string, type: string, en: string, fr?: string, extra: Partial<Field> = {}): Field => ({ name, type, labels: fr ? { en, fr } : { en }, ...extra });
const system = [field('id', 'text', 'ID', 'ID'), field('createdAt', 'datetime', 'Created', 'Créé le'), field('updatedAt', 'datetime', 'Updated', 'Modifié le')];
const owner = field('ownerId', 'relation', 'Owner', 'Propriétaire', { relation: { kind: 'manyToOne', target: 'user' } });

const person: Description = {
  name: 'person',
  labels: { singular: { en: 'Person', fr: 'Personne' }, plural: { en: 'People', fr: 'Personnes' } },
  labelField: 'lastName',
  titleFields: ['firstName', 'lastName'],
  fields: [
    ...system,
    field('firstName', 'text', 'First name', 'Prénom'),
    field('lastName', 'text', 'Last name', 'Nom', { required: true }),
    field('email', 'email', 'Email', 'E-mail'),
    field('phone', 'phone', 'Phone', 'Téléphone'),
    field('jobTitle', 'text', 'Job title', 'Fonction'),
    field('company', 'relation', 'Company', 'Entreprise', { relation: { kind: 'manyToOne', target: 'company' } }),
    field('address', 'address', 'Address', 'Adresse'),
    field('consentStatus', 'select', 'Consent status', 'Statut du consentement', { options: [{ value: 'granted', labels: { en: 'Granted', fr: 'Accordé' } }] }),
    field('optInAt', 'datetime', 'Opt-in date', "Date d'opt-in"),
    owner,
    field('tags', 'multiSelect', 'Tags', 'Étiquettes', { options: [{ value: 'vip', labels: { en: 'VIP' } }] }),
    field('budget', 'currency', 'Budget', 'Budget'),
    field('leadSource', 'text', 'Lead source', 'Origine du contact'),
    field('activities', 'relation', 'Activities', 'Activités', { relation: { kind: 'oneToMany', target: 'activity' } }),
  ],
};

const company: Description = {
  name: 'company',
  labels: { singular: { en: 'Company', fr: 'Entreprise' }, plural: { en: 'Companies', fr: 'Entreprises' } },
  labelField: 'name',
  titleFields: ['name'],
  fields: [
    ...system,
    field('name', 'text', 'Name', 'Nom', { required: true }),
    field('domain', 'text', 'Web domain', 'Domaine web'),
    field('industry', 'select', 'Industry', 'Secteur'),
    field('employees', 'number', 'Employees', 'Effectif'),
    field('annualRevenue', 'currency', 'Annual revenue', "Chiffre d'affaires annuel"),
    field('address', 'address', 'Address', 'Adresse'),
    field('phone', 'phone', 'Phone', 'Téléphone'),
    owner,
    field('people', 'relation', 'People', 'Personnes', { relation: { kind: 'oneToMany', target: 'person' } }),
  ],
};

const withFields = (object: Description, ...fields: Field[]): Description => ({ ...object, fields: [...object.fields, ...fields] });
/** Target per header, the way the import stores a mapping. */
const targets = (headers: string[], object = person, samples?: string[][]) => suggestMapping(headers, object, samples).map((suggestion) => suggestion.target);

describe('normalizeHeader', () => {
  it('lower-cases, drops accents and everything that is not a letter or digit', () => {
    expect(normalizeHeader('Code postal')).toBe('codepostal');
    expect(normalizeHeader('E-mail')).toBe('email');
    expect(normalizeHeader('Prénom')).toBe('prenom');
    expect(normalizeHeader("  Complément d'adresse ")).toBe('complementdadresse');
    expect(normalizeHeader('\uFEFF"Téléphone"')).toBe('telephone');
    expect(normalizeHeader('N° tél. (1)')).toBe('ntel1');
    expect(normalizeHeader('Nœud ÉTAT')).toBe('noeudetat');
  });
});

describe('mappingTargets', () => {
  it('lists fields and address parts, never bookkeeping or the other side of a relation', () => {
    const list = mappingTargets(person);
    expect(list.map((target) => target.target)).toEqual([
      'firstName',
      'lastName',
      'email',
      'phone',
      'jobTitle',
      'company',
      'address.street',
      'address.street2',
      'address.postalCode',
      'address.city',
      'address.region',
      'address.country',
      'consentStatus',
      'optInAt',
      'ownerId',
      'tags',
      'budget',
      'leadSource',
    ]);
    expect(list.find((target) => target.target === 'address.postalCode')).toEqual({ target: 'address.postalCode', labels: { en: 'Address — Postal code', fr: 'Adresse — Code postal' }, type: 'address' });
    expect(list.find((target) => target.target === 'company')).toEqual({ target: 'company', labels: { en: 'Company', fr: 'Entreprise' }, type: 'relation' });
  });

  it('leaves out manyToMany relations and deletedAt/version too', () => {
    const object = withFields(company, field('deletedAt', 'datetime', 'Deleted'), field('version', 'number', 'Version'), field('partners', 'relation', 'Partners', undefined, { relation: { kind: 'manyToMany', target: 'company' } }));
    expect(mappingTargets(object).map((target) => target.target).filter((target) => ['deletedAt', 'version', 'partners', 'people', 'id'].includes(target))).toEqual([]);
  });

  it('gives French part names to an address field without a French label', () => {
    const object = withFields(company, field('billingAddress', 'address', 'Billing address'));
    expect(mappingTargets(object).find((target) => target.target === 'billingAddress.city')?.labels).toEqual({ en: 'Billing address — City', fr: 'Billing address — Ville' });
  });
});

describe('suggestMapping', () => {
  it('maps a French Excel export row, accents and spaces as written', () => {
    const headers = 'Nom;Prénom;Email;Téléphone;Codepostal;Ville;Statutconsentement;Dateoptin;Tags;Société'.split(';');
    expect(suggestMapping(headers, person)).toEqual([
      { column: 0, header: 'Nom', target: 'lastName', confidence: 1 },
      { column: 1, header: 'Prénom', target: 'firstName', confidence: 1 },
      { column: 2, header: 'Email', target: 'email', confidence: 1 },
      { column: 3, header: 'Téléphone', target: 'phone', confidence: 1 },
      { column: 4, header: 'Codepostal', target: 'address.postalCode', confidence: 0.9 },
      { column: 5, header: 'Ville', target: 'address.city', confidence: 0.9 },
      { column: 6, header: 'Statutconsentement', target: 'consentStatus', confidence: 0.9 },
      { column: 7, header: 'Dateoptin', target: 'optInAt', confidence: 0.9 },
      { column: 8, header: 'Tags', target: 'tags', confidence: 1 },
      { column: 9, header: 'Société', target: 'company', confidence: 0.9 },
    ]);
  });

  it('maps an English export row', () => {
    const headers = ['First Name', 'Surname', 'Email Address', 'Phone Number', 'Job Title', 'Company', 'Address 1', 'Address 2', 'Zip code', 'City', 'State', 'Country', 'Opt-in status', 'Consent date', 'Owner', 'Labels'];
    expect(targets(headers)).toEqual(['firstName', 'lastName', 'email', 'phone', 'jobTitle', 'company', 'address.street', 'address.street2', 'address.postalCode', 'address.city', 'address.region', 'address.country', 'consentStatus', 'optInAt', 'ownerId', 'tags']);
  });

  it('maps French synonyms and abbreviations', () => {
    const headers = ['Nom de famille', 'Courriel', 'Tél.', 'Poste', 'Adresse', "Complément d'adresse", 'CP', 'Localité', 'Département', 'Pays', "Date d'opt-in", 'Commercial', 'Étiquettes'];
    expect(targets(headers)).toEqual(['lastName', 'email', 'phone', 'jobTitle', 'address.street', 'address.street2', 'address.postalCode', 'address.city', 'address.region', 'address.country', 'optInAt', 'ownerId', 'tags']);
  });

  it('maps a company file: its own name, and the columns only companies have', () => {
    const headers = ['Société', 'Site web', 'Secteur', 'Employés', 'CA', 'Ville', 'Tél', 'Responsable', 'Prénom'];
    expect(suggestMapping(headers, company).map(({ target, confidence }) => [target, confidence])).toEqual([
      ['name', 0.9],
      ['domain', 0.9],
      ['industry', 1],
      ['employees', 0.9],
      ['annualRevenue', 0.9],
      ['address.city', 0.9],
      ['phone', 0.9],
      ['ownerId', 0.9],
      // No such field on a company: the synonym is ignored, not bent onto another field.
      [null, 0],
    ]);
    expect(targets(['Nom', 'Effectif', "Chiffre d'affaires"], company)).toEqual(['name', 'employees', 'annualRevenue']);
  });

  it('reads headers through a byte-order mark, spaces and quotes, and reports them cleaned', () => {
    expect(suggestMapping(['\uFEFFNom', ' "Prénom" ', "'E-mail'", '  Ville  '], person)).toEqual([
      { column: 0, header: 'Nom', target: 'lastName', confidence: 1 },
      { column: 1, header: 'Prénom', target: 'firstName', confidence: 1 },
      { column: 2, header: 'E-mail', target: 'email', confidence: 1 },
      { column: 3, header: 'Ville', target: 'address.city', confidence: 0.9 },
    ]);
  });

  it('finds a custom field by its French or English label or its name', () => {
    expect(suggestMapping(['Origine du contact', 'Budget'], person).map(({ target, confidence }) => [target, confidence])).toEqual([
      ['leadSource', 1],
      ['budget', 1],
    ]);
    expect(targets(['Lead source', 'leadSource'])).toEqual(['leadSource', null]);
  });

  it('accepts a typo above 0.85 similarity, below the confidence of a synonym', () => {
    const [emial, prenon, villes] = suggestMapping(['Emial', 'Prenon', 'Villes'], person);
    expect(emial).toMatchObject({ target: 'email', confidence: 0.89 });
    expect(prenon).toMatchObject({ target: 'firstName' });
    expect(villes).toMatchObject({ target: 'address.city' });
    expect(emial!.confidence).toBeGreaterThanOrEqual(0.85);
    expect(emial!.confidence).toBeLessThan(0.9);
    // A synonym beats a typo for the same field, whichever column comes first.
    expect(targets(['Emial', 'Courriel'])).toEqual([null, 'email']);
  });

  it('does not take a different column for a near miss', () => {
    expect(targets(['Date création', 'Statut', 'Commentaire', 'Prénom Nom', 'Nom complet', 'Civilité', 'Date de naissance'])).toEqual([null, null, null, null, null, null, null]);
  });

  it('maps unknown and blank headers to nothing', () => {
    expect(suggestMapping(['SIRET', '', 'Foo bar'], person)).toEqual([
      { column: 0, header: 'SIRET', target: null, confidence: 0 },
      { column: 1, header: '', target: null, confidence: 0 },
      { column: 2, header: 'Foo bar', target: null, confidence: 0 },
    ]);
  });

  it('never targets bookkeeping fields or the many side of a relation, even by their exact names', () => {
    expect(targets(['id', 'Created', 'updatedAt', 'Activités', 'activities'])).toEqual([null, null, null, null, null]);
  });

  describe('several columns for one field', () => {
    it('gives the field to the best column, and nothing to the other when there is no second phone', () => {
      expect(suggestMapping(['Portable', 'Téléphone'], person).map(({ target, confidence }) => [target, confidence])).toEqual([
        [null, 0],
        ['phone', 1],
      ]);
      expect(targets(['Téléphone', 'Téléphone'])).toEqual(['phone', null]);
      expect(targets(['Portable'])).toEqual(['phone']);
    });

    it('sends the mobile column to a second phone field', () => {
      const object = withFields(person, field('mobile', 'phone', 'Mobile phone', 'Téléphone portable'));
      expect(targets(['Téléphone', 'Portable'], object)).toEqual(['phone', 'mobile']);
      expect(targets(['GSM', 'Tél'], object)).toEqual(['mobile', 'phone']);
      expect(targets(['Portable'], object)).toEqual(['mobile']);
    });

    it('gives the next best target to the column that lost its first', () => {
      const object = withFields(company, field('billingAddress', 'address', 'Billing address', 'Adresse de facturation'));
      expect(targets(['Adresse', 'Adresse de facturation', 'Billing address — City'], object)).toEqual(['address.street', 'billingAddress.street', 'billingAddress.city']);
    });

    it('breaks a tie with the values when one column holds the emails', () => {
      const samples = [
        ['Jean Dupont', 'jean@acme.fr'],
        ['Marie Curie', 'marie@acme.fr'],
      ];
      expect(targets(['Mail', 'Courriel'], person, samples)).toEqual([null, 'email']);
      expect(targets(['Mail', 'Courriel'])).toEqual(['email', null]);
    });
  });

  describe('from the values', () => {
    const samples = [
      ['jean.dupont@acme.fr', '06 12 34 56 78', 'Acme', '75001'],
      ['', '+33 1 23 45 67 89', 'Initech', '69002'],
      ['m.curie@example.org', '(555) 123-4567', 'Globex', '13001'],
    ];

    it('maps a column of emails or phones to such a field when its header says nothing', () => {
      expect(suggestMapping(['Contact', 'Numéro', 'Client', 'Code'], person, samples)).toEqual([
        { column: 0, header: 'Contact', target: 'email', confidence: 0.6 },
        { column: 1, header: 'Numéro', target: 'phone', confidence: 0.6 },
        { column: 2, header: 'Client', target: null, confidence: 0 },
        { column: 3, header: 'Code', target: null, confidence: 0 },
      ]);
    });

    it('lets a header that names the field keep it', () => {
      expect(targets(['Contact', 'E-mail'], person, [['a@b.fr', 'c@d.fr']])).toEqual([null, 'email']);
    });

    it('does not guess from values that are mostly something else', () => {
      expect(targets(['Contact'], person, [['a@b.fr'], ['Jean'], ['Marie']])).toEqual([null]);
      expect(targets(['Contact'], company, [['a@b.fr']])).toEqual([null]);
    });
  });
});
