import { declareObject } from '../metadata/declare';
import { person } from '../schema/records';

export const personObject = declareObject({
  key: 'core:person',
  name: 'person',
  owner: 'core',
  labels: {
    singular: { en: 'Person', fr: 'Personne' },
    plural: { en: 'People', fr: 'Personnes' },
  },
  icon: 'user',
  labelField: 'lastName',
  titleFields: ['firstName', 'lastName'],
  table: person,
  fields: [
    { name: 'firstName', type: 'text', labels: { en: 'First name', fr: 'Prénom' }, personalData: true },
    { name: 'lastName', type: 'text', labels: { en: 'Last name', fr: 'Nom' }, required: true, personalData: true },
    { name: 'email', type: 'email', labels: { en: 'Email', fr: 'E-mail' }, personalData: true },
    { name: 'phone', type: 'phone', labels: { en: 'Phone', fr: 'Téléphone' }, personalData: true },
    { name: 'jobTitle', type: 'text', labels: { en: 'Job title', fr: 'Fonction' } },
    {
      name: 'company',
      column: 'companyId',
      type: 'relation',
      labels: { en: 'Company', fr: 'Entreprise' },
      relation: { kind: 'manyToOne', target: 'company', reverse: { name: 'people', labels: { en: 'People', fr: 'Personnes' } } },
    },
    { name: 'address', type: 'address', labels: { en: 'Address', fr: 'Adresse' }, personalData: true },
    {
      name: 'consentStatus',
      type: 'select',
      labels: { en: 'Consent status', fr: 'Statut du consentement' },
      required: true,
      default: 'unknown',
      options: [
        { value: 'unknown', labels: { en: 'Unknown', fr: 'Inconnu' } },
        { value: 'granted', labels: { en: 'Granted', fr: 'Accordé' } },
        { value: 'denied', labels: { en: 'Denied', fr: 'Refusé' } },
        { value: 'withdrawn', labels: { en: 'Withdrawn', fr: 'Retiré' } },
      ],
    },
    { name: 'optInAt', type: 'datetime', labels: { en: 'Opt-in date', fr: "Date d'opt-in" }, personalData: true },
  ],
  rules: [
    {
      rule: 'requiredWhen',
      field: 'optInAt',
      when: { field: 'consentStatus', in: ['granted'] },
      message: 'is required when consent is granted',
    },
  ],
});
