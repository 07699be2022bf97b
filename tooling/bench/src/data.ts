import { type Faker, fakerEN_GB, fakerFR } from '@faker-js/faker';
import { parsePhoneNumberWithError } from 'libphonenumber-js';

/*
 * Realistic, deterministic contacts: French and British people (two in three French), most of them
 * at a company, with an e-mail, a mobile phone, a job title, often an address, and the custom
 * field `score` (a whole number from 0 to SCORE_MAX - 1, uniform) that the benchmark filters on.
 */

export const SCORE_MAX = 1000;
export const SEED = 20261123;

const INDUSTRIES = ['software', 'services', 'manufacturing', 'retail', 'finance', 'health', 'realEstate', 'other'];
const CONSENT = ['unknown', 'granted', 'denied', 'withdrawn'];

type Country = 'FR' | 'GB';

function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 30);
}

function fakerFor(index: number): [Faker, Country] {
  return index % 3 === 2 ? [fakerEN_GB, 'GB'] : [fakerFR, 'FR'];
}

/** A mobile number that libphonenumber accepts (random digits alone are not always valid). */
function phone(faker: Faker, country: Country): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    const candidate = country === 'FR' ? `+336${faker.string.numeric(8)}` : `+447${faker.helpers.arrayElement(['4', '5', '7', '8', '9'])}${faker.string.numeric(8)}`;
    if (parsePhoneNumberWithError(candidate).isValid()) return candidate;
  }
  return country === 'FR' ? '+33612345678' : '+447400123456';
}

export interface CompanyInput {
  name: string;
  domain: string;
  industry: string;
  employees: number;
  address: { street: string; postalCode: string; city: string; country: Country };
}

export interface PersonInput extends Record<string, unknown> {
  firstName: string;
  lastName: string;
  score: number;
}

export class ContactGenerator {
  constructor(seed = SEED) {
    fakerFR.seed(seed);
    fakerEN_GB.seed(seed + 1);
  }

  company(index: number): CompanyInput {
    const [faker, country] = fakerFor(index);
    const name = faker.company.name();
    // The index keeps domains distinct however many companies there are.
    return {
      name,
      domain: `${slug(name) || 'company'}${index}.${country === 'FR' ? 'fr' : 'co.uk'}`,
      industry: faker.helpers.arrayElement(INDUSTRIES),
      employees: faker.number.int({ min: 3, max: 5000 }),
      address: { street: faker.location.streetAddress(), postalCode: faker.location.zipCode(), city: faker.location.city(), country },
    };
  }

  person(index: number, company: { id: string; domain: string } | null): PersonInput {
    const [faker, country] = fakerFor(index);
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    const consentStatus = faker.helpers.arrayElement(CONSENT);
    const record: PersonInput = {
      firstName,
      lastName,
      email: `${slug(firstName)}.${slug(lastName)}${index}@${company?.domain ?? (country === 'FR' ? 'exemple.fr' : 'example.co.uk')}`,
      phone: phone(faker, country),
      jobTitle: faker.person.jobTitle(),
      company: company?.id ?? null,
      consentStatus,
      score: faker.number.int({ min: 0, max: SCORE_MAX - 1 }),
    };
    if (consentStatus === 'granted') record.optInAt = faker.date.past({ years: 2, refDate: '2026-01-01' }).toISOString();
    if (index % 2 === 0) record.address = { street: faker.location.streetAddress(), postalCode: faker.location.zipCode(), city: faker.location.city(), country };
    return record;
  }
}

/** Last-name prefixes as people type them in a search box (3 to 5 letters of real last names). */
export function searchPrefixes(count: number, seed = SEED + 7): string[] {
  fakerFR.seed(seed);
  fakerEN_GB.seed(seed + 1);
  const out: string[] = [];
  for (let index = 0; out.length < count; index++) {
    const [faker] = fakerFor(index);
    const lastName = faker.person.lastName().normalize('NFC');
    const length = 3 + (index % 3); // 3, 4 or 5 characters
    const prefix = lastName.slice(0, length).trim();
    if (prefix.length >= 3 && /^\p{L}+$/u.test(prefix)) out.push(prefix);
  }
  return out;
}
