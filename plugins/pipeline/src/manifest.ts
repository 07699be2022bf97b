import { z } from 'zod';
import { defineManifest } from '@rapport/sdk/manifest';
import { DEFAULT_PIPELINES } from './pipelines';
import { exchangeRateSchema, pipelinesSchema } from './settings-schema';
import { STAGES } from './stages';

export default defineManifest({
  id: 'pipeline',
  version: '0.3.0',
  displayName: { en: 'Sales pipeline', fr: 'Pipeline commercial' },
  description: { en: 'Opportunities on a board by stage, with their history', fr: 'Les opportunités sur un tableau par étape, avec leur historique' },
  engines: { rapport: '^1.0.0' },
  // Deals rot when nothing happens: activities are logged on them.
  requires: { activities: '^0.1.0' },
  // Its subscribers read opportunities to record their stage changes (and forget those of erased
  // ones), and activities to keep the date a deal last had one.
  permissions: { objects: { opportunity: { read: 'all', update: 'all' }, activity: { read: 'all' } } },
  fields: [
    {
      object: 'activity',
      field: { name: 'opportunity', type: 'relation', labels: { en: 'Deal', fr: 'Affaire' }, relation: { kind: 'manyToOne', target: 'opportunity', reverse: { name: 'activities', labels: { en: 'Activities', fr: 'Activités' } } } },
    },
  ],
  events: ['record.created', 'record.updated', 'record.purged'],
  // A deal entering a stage (its history's entries), for other plugins (automations) to act on.
  emits: ['stage_changed'],
  objects: [
    {
      name: 'opportunity',
      labels: { singular: { en: 'Opportunity', fr: 'Opportunité' }, plural: { en: 'Opportunities', fr: 'Opportunités' } },
      icon: 'handshake',
      labelField: 'name',
      fields: [
        { name: 'name', type: 'text', labels: { en: 'Name', fr: 'Nom' }, required: true },
        // Which pipeline the deal is in (a pipeline's key, from the plugin's settings); none is the first one.
        { name: 'pipeline', type: 'text', labels: { en: 'Pipeline', fr: 'Pipeline' }, indexed: true },
        { name: 'stage', type: 'select', labels: { en: 'Stage', fr: 'Étape' }, required: true, default: 'lead', options: STAGES.map(({ value, labels }) => ({ value, labels })), indexed: true },
        { name: 'amount', type: 'currency', labels: { en: 'Amount', fr: 'Montant' } },
        { name: 'closeDate', type: 'date', labels: { en: 'Close date', fr: 'Date de clôture' } },
        { name: 'probability', type: 'number', integer: true, labels: { en: 'Probability (%)', fr: 'Probabilité (%)' }, rules: [{ rule: 'min', value: 0 }, { rule: 'max', value: 100 }] },
        { name: 'company', type: 'relation', labels: { en: 'Company', fr: 'Entreprise' }, relation: { kind: 'manyToOne', target: 'company', reverse: { name: 'opportunities', labels: { en: 'Opportunities', fr: 'Opportunités' } } } },
        // The people on the deal, each with their part in the decision.
        {
          name: 'contacts',
          type: 'relation',
          labels: { en: 'Contacts', fr: 'Contacts' },
          relation: {
            kind: 'manyToMany',
            target: 'person',
            reverse: { name: 'opportunities', labels: { en: 'Opportunities', fr: 'Opportunités' } },
            attributes: [
              {
                name: 'role',
                type: 'select',
                labels: { en: 'Role', fr: 'Rôle' },
                options: [
                  { value: 'decision_maker', labels: { en: 'Decision maker', fr: 'Décideur' } },
                  { value: 'champion', labels: { en: 'Champion', fr: 'Sponsor interne' } },
                  { value: 'influencer', labels: { en: 'Influencer', fr: 'Prescripteur' } },
                  { value: 'user', labels: { en: 'User', fr: 'Utilisateur' } },
                  { value: 'blocker', labels: { en: 'Blocker', fr: 'Opposant' } },
                ],
              },
            ],
          },
        },
        {
          name: 'source',
          type: 'select',
          labels: { en: 'Source', fr: 'Origine' },
          options: [
            { value: 'inbound', labels: { en: 'Inbound', fr: 'Entrant' } },
            { value: 'outbound', labels: { en: 'Outbound', fr: 'Prospection' } },
            { value: 'referral', labels: { en: 'Referral', fr: 'Recommandation' } },
            { value: 'partner', labels: { en: 'Partner', fr: 'Partenaire' } },
          ],
        },
        { name: 'lostReason', type: 'text', labels: { en: 'Lost reason', fr: 'Raison de la perte' } },
        { name: 'lastActivityAt', type: 'datetime', labels: { en: 'Last activity', fr: 'Dernière activité' }, indexed: true },
      ],
      managed: ['lastActivityAt'],
    },
  ],
  navigation: [
    { id: 'board', label: { en: 'Pipeline', fr: 'Pipeline' }, path: '', icon: 'briefcase', requires: { object: 'opportunity', action: 'read' } },
    { id: 'figures', label: { en: 'Sales figures', fr: 'Indicateurs de vente' }, path: 'figures', icon: 'chart', requires: { object: 'opportunity', action: 'read' } },
  ],
  settings: z.object({
    rottingDays: z.number().int().min(1).max(365).default(14),
    /** Pipelines, each with its stages in order: their probability, outcome, rotting and the fields they require. */
    pipelines: pipelinesSchema.default(DEFAULT_PIPELINES),
    /** Rates for totals and figures in one currency, dated (manual). */
    exchangeRates: z.array(exchangeRateSchema).max(2000).default([]),
  }),
});
