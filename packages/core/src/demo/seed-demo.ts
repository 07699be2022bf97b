import type { Faker } from '@faker-js/faker';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import type { Executor } from '@rapport/db';
import type { Actor } from '../access/actor';
import type { Core } from '../core';

const INDUSTRIES = ['software', 'services', 'manufacturing', 'retail', 'finance', 'health', 'realEstate', 'other'];
const CONSENT = ['unknown', 'granted', 'denied', 'withdrawn'];

function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 30);
}

function company(faker: Faker, country: 'FR' | 'GB') {
  const name = faker.company.name();
  return {
    name,
    domain: `${slug(name) || 'example'}.${country === 'FR' ? 'fr' : 'co.uk'}`,
    industry: faker.helpers.arrayElement(INDUSTRIES),
    employees: faker.number.int({ min: 3, max: 5000 }),
    annualRevenue: { amountMinor: faker.number.int({ min: 10_000, max: 50_000_000 }) * 100, currency: country === 'FR' ? 'EUR' : 'GBP' },
    address: { street: faker.location.streetAddress(), postalCode: faker.location.zipCode(), city: faker.location.city(), country },
  };
}

/** A mobile number that libphonenumber accepts (random digits alone are not always valid). */
function phone(faker: Faker, country: 'FR' | 'GB'): string {
  for (;;) {
    const candidate = country === 'FR' ? `+336${faker.string.numeric(8)}` : `+447${faker.helpers.arrayElement(['4', '5', '7', '8', '9'])}${faker.string.numeric(8)}`;
    if (parsePhoneNumberWithError(candidate).isValid()) return candidate;
  }
}

function person(faker: Faker, country: 'FR' | 'GB', companyId: string | null, domain: string | null) {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  const consentStatus = faker.helpers.arrayElement(CONSENT);
  return {
    firstName,
    lastName,
    email: `${slug(firstName)}.${slug(lastName)}@${domain ?? faker.internet.domainName()}`,
    phone: phone(faker, country),
    jobTitle: faker.person.jobTitle(),
    company: companyId,
    consentStatus,
    ...(consentStatus === 'granted' ? { optInAt: faker.date.past({ years: 2, refDate: '2026-01-01' }).toISOString() } : {}),
  };
}

/** Demo companies and people, French and British, the same on every run. Does nothing if records exist. */
export async function seedDemo(core: Core, actor: Actor, options: { companies?: number; people?: number; tx?: Executor } = {}): Promise<{ companies: number; people: number }> {
  const existing = await core.records.transaction(async (tx) => core.records.list(actor, 'company', { limit: 1 }, { tx }), { tx: options.tx });
  if (existing.data.length > 0) return { companies: 0, people: 0 };
  const companyCount = options.companies ?? 24;
  const peopleCount = options.people ?? 80;
  // Loaded here only: faker's locales weigh tens of megabytes a server would otherwise keep for nothing.
  const [{ faker: fakerFR }, { faker: fakerEN_GB }] = await Promise.all([import('@faker-js/faker/locale/fr'), import('@faker-js/faker/locale/en_GB')]);
  fakerFR.seed(20261123);
  fakerEN_GB.seed(20261123);
  const fakerFor = (index: number) => (index % 3 === 2 ? ([fakerEN_GB, 'GB'] as const) : ([fakerFR, 'FR'] as const));
  const companies = await core.records.batch(actor, 'company', {
    operation: 'create',
    records: Array.from({ length: companyCount }, (_, index) => {
      const [faker, country] = fakerFor(index);
      return company(faker, country);
    }),
  }, { tx: options.tx });
  const people = Array.from({ length: peopleCount }, (_, index) => {
    const [faker, country] = fakerFor(index);
    const target = index % 7 === 6 ? null : companies.data[index % companies.data.length]!;
    return person(faker, country, target ? (target.id as string) : null, target ? (target.domain as string) : null);
  });
  await core.records.batch(actor, 'person', { operation: 'create', records: people }, { tx: options.tx });
  return { companies: companyCount, people: peopleCount };
}
