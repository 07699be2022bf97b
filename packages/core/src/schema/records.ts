import { sql } from 'drizzle-orm';
import { foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { citext, recordColumns } from './columns';

/*
 * Record tables. Only the data-access layer (src/records) may import this file: it is where
 * permissions, validation, audit and events are applied (an architecture test enforces it).
 */

const liveOrder = (name: string, t: { workspaceId: any; id: any; deletedAt: any }) =>
  index(name).on(t.workspaceId, t.id).where(sql`${t.deletedAt} is null`);
/** Record-level rules ("own records") list one owner's live records in id order from this index. */
const liveByOwner = (name: string, t: { workspaceId: any; ownerId: any; id: any; deletedAt: any }) =>
  index(name).on(t.workspaceId, t.ownerId, t.id).where(sql`${t.deletedAt} is null`);

export const company = pgTable(
  'company',
  {
    ...recordColumns(),
    name: text('name').notNull(),
    domain: text('domain'),
    industry: text('industry'),
    employees: integer('employees'),
    annualRevenue: jsonb('annual_revenue'),
    address: jsonb('address'),
    phone: text('phone'),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    liveOrder('company_live_idx', t),
    liveByOwner('company_owner_idx', t),
    index('company_name_idx').on(t.workspaceId, t.name, t.id),
    index('company_domain_idx').on(t.workspaceId, t.domain),
    index('company_phone_idx').on(t.workspaceId, t.phone),
    index('company_created_idx').on(t.workspaceId, t.createdAt, t.id),
  ],
);

export const person = pgTable(
  'person',
  {
    ...recordColumns(),
    firstName: text('first_name'),
    lastName: text('last_name').notNull(),
    email: citext('email'),
    phone: text('phone'),
    jobTitle: text('job_title'),
    companyId: uuid('company_id'),
    address: jsonb('address'),
    consentStatus: text('consent_status').notNull().default('unknown'),
    optInAt: timestamp('opt_in_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    foreignKey({ columns: [t.workspaceId, t.companyId], foreignColumns: [company.workspaceId, company.id] }),
    liveOrder('person_live_idx', t),
    liveByOwner('person_owner_idx', t),
    index('person_last_name_idx').on(t.workspaceId, t.lastName, t.id),
    // Filters compare the text of the email (what was typed, case kept): duplicate checks and imports look it up.
    index('person_email_idx').on(t.workspaceId, sql`(${t.email})::text`),
    index('person_phone_idx').on(t.workspaceId, t.phone),
    index('person_company_idx').on(t.workspaceId, t.companyId),
    index('person_created_idx').on(t.workspaceId, t.createdAt, t.id),
  ],
);

/** Records of objects created at run time: every field lives in `custom`, validated from the metadata. */
export const customRecord = pgTable(
  'custom_record',
  {
    ...recordColumns(),
    object: text('object').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('custom_record_live_idx').on(t.workspaceId, t.object, t.id).where(sql`${t.deletedAt} is null`),
    index('custom_record_owner_idx').on(t.workspaceId, t.object, t.ownerId, t.id).where(sql`${t.deletedAt} is null`),
    index('custom_record_created_idx').on(t.workspaceId, t.object, t.createdAt, t.id),
  ],
);
