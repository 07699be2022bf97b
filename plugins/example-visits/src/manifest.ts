import { z } from 'zod';
import { defineManifest } from '@rapport/sdk/manifest';

export const OUTCOMES = [
  { value: 'positive', labels: { en: 'Positive', fr: 'Positive' } },
  { value: 'neutral', labels: { en: 'Neutral', fr: 'Neutre' } },
  { value: 'negative', labels: { en: 'Negative', fr: 'Négative' } },
];

export default defineManifest({
  id: 'example-visits',
  version: '1.0.0',
  displayName: { en: 'Field visits', fr: 'Visites terrain' },
  description: { en: 'Visits to your contacts, logged from the field (an example third-party plugin)', fr: 'Les visites à vos contacts, notées sur le terrain (un exemple d’extension tierce)' },
  engines: { rapport: '^1.0.0' },
  objects: [
    {
      name: 'visit',
      labels: { singular: { en: 'Visit', fr: 'Visite' }, plural: { en: 'Visits', fr: 'Visites' } },
      icon: 'calendar',
      labelField: 'title',
      fields: [
        { name: 'title', type: 'text', labels: { en: 'Title', fr: 'Titre' }, required: true },
        { name: 'person', type: 'relation', labels: { en: 'Person', fr: 'Personne' }, relation: { kind: 'manyToOne', target: 'person', reverse: { name: 'visits', labels: { en: 'Visits', fr: 'Visites' } } } },
        { name: 'visitedOn', type: 'date', labels: { en: 'Visited on', fr: 'Date de visite' }, required: true, indexed: true },
        { name: 'outcome', type: 'select', labels: { en: 'Outcome', fr: 'Issue' }, options: OUTCOMES },
      ],
    },
  ],
  navigation: [{ id: 'visits', label: { en: 'Field visits', fr: 'Visites terrain' }, path: '', icon: 'calendar', requires: { object: 'visit', action: 'read' } }],
  settings: z.object({ recentDays: z.number().int().min(1).max(365).default(30) }),
});
