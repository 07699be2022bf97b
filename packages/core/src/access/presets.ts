import type { LocalizedText } from '../metadata/types';
import { ANY_OBJECT, type ObjectRights, type RoleDefinition } from './role-definition';

export interface RolePreset {
  key: string;
  labels: LocalizedText;
  definition: RoleDefinition;
}

const everything: ObjectRights = { read: 'all', create: true, update: 'all', delete: 'all', fields: {} };
const readAll: ObjectRights = { read: 'all', create: false, update: 'none', delete: 'none', fields: {} };
const noAdmin = { settings: false, users: false, plugins: false, audit: false };

/** The roles every workspace starts with; editable like any other (an edit is stored per workspace). */
export const ROLE_PRESETS: readonly RolePreset[] = [
  {
    key: 'admin',
    labels: { en: 'Admin', fr: 'Administrateur' },
    definition: { objects: { [ANY_OBJECT]: everything }, export: true, import: true, admin: { settings: true, users: true, plugins: true, audit: true }, mfaRequired: false },
  },
  {
    key: 'sales_manager',
    labels: { en: 'Sales manager', fr: 'Responsable commercial' },
    definition: {
      objects: {
        [ANY_OBJECT]: { read: 'team', create: true, update: 'team', delete: 'team', fields: {} },
        company: { read: 'all', create: true, update: 'team', delete: 'team', fields: {} },
      },
      export: true,
      import: true,
      admin: noAdmin,
      mfaRequired: false,
    },
  },
  {
    key: 'sales_rep',
    labels: { en: 'Sales rep', fr: 'Commercial' },
    definition: {
      objects: {
        [ANY_OBJECT]: { read: 'own', create: true, update: 'own', delete: 'own', fields: {} },
        company: { read: 'all', create: true, update: 'own', delete: 'none', fields: { annualRevenue: 'read' } },
      },
      export: false,
      import: false,
      admin: noAdmin,
      mfaRequired: false,
    },
  },
  {
    key: 'support_agent',
    labels: { en: 'Support agent', fr: 'Agent support' },
    definition: {
      objects: {
        [ANY_OBJECT]: { read: 'team', create: true, update: 'own', delete: 'none', fields: {} },
        company: { ...readAll, fields: { annualRevenue: 'hidden' } },
        person: { read: 'all', create: true, update: 'all', delete: 'none', fields: { consentStatus: 'read', optInAt: 'read' } },
      },
      export: false,
      import: false,
      admin: noAdmin,
      mfaRequired: false,
    },
  },
  {
    key: 'marketing',
    labels: { en: 'Marketing', fr: 'Marketing' },
    definition: {
      objects: {
        [ANY_OBJECT]: readAll,
        company: { ...readAll, fields: { annualRevenue: 'hidden' } },
        person: { read: 'all', create: true, update: 'all', delete: 'none', fields: {} },
      },
      export: true,
      import: true,
      admin: noAdmin,
      mfaRequired: false,
    },
  },
  {
    key: 'read_only',
    labels: { en: 'Read-only', fr: 'Lecture seule' },
    definition: { objects: { [ANY_OBJECT]: readAll }, export: false, import: false, admin: noAdmin, mfaRequired: false },
  },
];

export const presetByKey = new Map(ROLE_PRESETS.map((preset) => [preset.key, preset]));
