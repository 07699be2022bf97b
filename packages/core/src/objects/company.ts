import { declareObject } from '../metadata/declare';
import { company } from '../schema/records';

export const companyObject = declareObject({
  key: 'core:company',
  name: 'company',
  owner: 'core',
  labels: {
    singular: { en: 'Company', fr: 'Entreprise' },
    plural: { en: 'Companies', fr: 'Entreprises' },
  },
  icon: 'building',
  labelField: 'name',
  table: company,
  fields: [
    { name: 'name', type: 'text', labels: { en: 'Name', fr: 'Nom' }, required: true },
    { name: 'domain', type: 'text', labels: { en: 'Web domain', fr: 'Domaine web' }, rules: [{ rule: 'regex', pattern: '^[a-z0-9.-]+\\.[a-z]{2,}$', message: 'must be a domain such as example.com' }] },
    {
      name: 'industry',
      type: 'select',
      labels: { en: 'Industry', fr: 'Secteur' },
      options: [
        { value: 'software', labels: { en: 'Software', fr: 'Logiciel' } },
        { value: 'services', labels: { en: 'Services', fr: 'Services' } },
        { value: 'manufacturing', labels: { en: 'Manufacturing', fr: 'Industrie' } },
        { value: 'retail', labels: { en: 'Retail', fr: 'Commerce' } },
        { value: 'finance', labels: { en: 'Finance', fr: 'Finance' } },
        { value: 'health', labels: { en: 'Health', fr: 'Santé' } },
        { value: 'realEstate', labels: { en: 'Real estate', fr: 'Immobilier' } },
        { value: 'other', labels: { en: 'Other', fr: 'Autre' } },
      ],
    },
    { name: 'employees', type: 'number', integer: true, labels: { en: 'Employees', fr: 'Effectif' }, rules: [{ rule: 'min', value: 0 }] },
    { name: 'annualRevenue', type: 'currency', labels: { en: 'Annual revenue', fr: "Chiffre d'affaires annuel" } },
    { name: 'address', type: 'address', labels: { en: 'Address', fr: 'Adresse' } },
    { name: 'phone', type: 'phone', labels: { en: 'Phone', fr: 'Téléphone' } },
  ],
});
