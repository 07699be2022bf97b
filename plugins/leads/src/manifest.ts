import { z } from 'zod';
import { defineManifest } from '@rapport/sdk/manifest';
import { DEFAULT_RULES, scoringRule } from './scoring';

export default defineManifest({
  id: 'leads',
  version: '0.3.0',
  displayName: { en: 'Leads', fr: 'Pistes' },
  description: { en: 'Score leads and convert them into companies, people and opportunities', fr: 'Noter les pistes et les convertir en entreprises, personnes et opportunités' },
  engines: { rapport: '^1.0.0' },
  // Conversion may create an opportunity; activities logged on leads count in their score.
  requires: { pipeline: '^0.3.0', activities: '^0.1.0' },
  // Its scorer reads leads and writes their score and last-activity date, as the plugin itself; it counts their activities.
  permissions: { objects: { lead: { read: 'all', update: 'all' }, activity: { read: 'all' } } },
  fields: [
    {
      object: 'activity',
      field: { name: 'lead', type: 'relation', labels: { en: 'Lead', fr: 'Piste' }, relation: { kind: 'manyToOne', target: 'lead', reverse: { name: 'activities', labels: { en: 'Activities', fr: 'Activités' } } } },
    },
  ],
  events: ['record.created', 'record.updated'],
  // Activities age out of their rules' periods: scores are brought up to date every night.
  jobs: [{ name: 'rescore', cron: '40 2 * * *' }],
  objects: [
    {
      name: 'lead',
      labels: { singular: { en: 'Lead', fr: 'Piste' }, plural: { en: 'Leads', fr: 'Pistes' } },
      icon: 'star',
      labelField: 'lastName',
      titleFields: ['firstName', 'lastName'],
      fields: [
        { name: 'firstName', type: 'text', labels: { en: 'First name', fr: 'Prénom' }, personalData: true },
        { name: 'lastName', type: 'text', labels: { en: 'Last name', fr: 'Nom' }, required: true, personalData: true },
        { name: 'email', type: 'email', labels: { en: 'Email', fr: 'E-mail' }, personalData: true },
        { name: 'phone', type: 'phone', labels: { en: 'Phone', fr: 'Téléphone' }, personalData: true },
        { name: 'companyName', type: 'text', labels: { en: 'Company', fr: 'Entreprise' } },
        { name: 'jobTitle', type: 'text', labels: { en: 'Job title', fr: 'Fonction' } },
        {
          name: 'source',
          type: 'select',
          labels: { en: 'Source', fr: 'Origine' },
          options: [
            { value: 'web', labels: { en: 'Website', fr: 'Site web' } },
            { value: 'event', labels: { en: 'Event', fr: 'Salon' } },
            { value: 'referral', labels: { en: 'Referral', fr: 'Recommandation' } },
            { value: 'campaign', labels: { en: 'Campaign', fr: 'Campagne' } },
          ],
        },
        {
          name: 'status',
          type: 'select',
          labels: { en: 'Status', fr: 'Statut' },
          required: true,
          default: 'new',
          options: [
            { value: 'new', labels: { en: 'New', fr: 'Nouvelle' } },
            { value: 'working', labels: { en: 'Working', fr: 'En cours' } },
            { value: 'converted', labels: { en: 'Converted', fr: 'Convertie' } },
            { value: 'disqualified', labels: { en: 'Disqualified', fr: 'Écartée' } },
          ],
        },
        { name: 'score', type: 'number', integer: true, labels: { en: 'Score', fr: 'Score' }, indexed: true },
        { name: 'scoreReasons', type: 'text', labels: { en: 'Why this score', fr: 'Raisons du score' } },
        { name: 'convertedCompany', type: 'relation', labels: { en: 'Converted to company', fr: 'Convertie en entreprise' }, relation: { kind: 'manyToOne', target: 'company' } },
        { name: 'convertedPerson', type: 'relation', labels: { en: 'Converted to person', fr: 'Convertie en personne' }, relation: { kind: 'manyToOne', target: 'person' } },
        { name: 'convertedOpportunity', type: 'relation', labels: { en: 'Converted to opportunity', fr: 'Convertie en opportunité' }, relation: { kind: 'manyToOne', target: 'opportunity' } },
        { name: 'lastActivityAt', type: 'datetime', labels: { en: 'Last activity', fr: 'Dernière activité' }, indexed: true },
      ],
      // Computed by the plugin from its rules and the lead's activities.
      managed: ['score', 'scoreReasons', 'lastActivityAt'],
    },
  ],
  settings: z.object({ rules: z.array(scoringRule).max(100).default(DEFAULT_RULES) }),
});
