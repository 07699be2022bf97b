import { z } from 'zod';
import { defineManifest } from '@rapport/sdk/manifest';

export default defineManifest({
  id: 'hello',
  version: '0.1.0',
  displayName: { en: 'Hello', fr: 'Bonjour' },
  description: { en: 'An example plugin', fr: 'Un exemple d’extension' },
  engines: { rapport: '^1.0.0' },
  permissions: { objects: { person: { read: 'all' }, company: { read: 'all' } } },
  events: ['record.created'],
  objects: [
    {
      name: 'helloCard',
      labels: { singular: { en: 'Hello card', fr: 'Carte de bienvenue' }, plural: { en: 'Hello cards', fr: 'Cartes de bienvenue' } },
      icon: 'mail',
      labelField: 'title',
      fields: [
        { name: 'title', type: 'text', labels: { en: 'Title', fr: 'Titre' }, required: true },
        { name: 'person', type: 'relation', labels: { en: 'Person', fr: 'Personne' }, relation: { kind: 'manyToOne', target: 'person', reverse: { name: 'helloCards', labels: { en: 'Hello cards', fr: 'Cartes de bienvenue' } } } },
      ],
    },
  ],
  navigation: [{ id: 'home', label: { en: 'Hello', fr: 'Bonjour' }, path: '', icon: 'star' }],
  jobs: [{ name: 'tally' }, { name: 'nightly-tally', cron: '0 3 * * *' }],
  settings: z.object({ salutation: z.string().trim().min(1).max(50).default('Hello') }),
});
