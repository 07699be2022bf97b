import { defineManifest } from '@rapport/sdk/manifest';

export const KINDS = [
  { value: 'task', labels: { en: 'Task', fr: 'Tâche' } },
  { value: 'call', labels: { en: 'Call', fr: 'Appel' } },
  { value: 'meeting', labels: { en: 'Meeting', fr: 'Rendez-vous' } },
  { value: 'note', labels: { en: 'Note', fr: 'Note' } },
  { value: 'email', labels: { en: 'Email', fr: 'E-mail' } },
];

export default defineManifest({
  id: 'activities',
  version: '0.1.0',
  displayName: { en: 'Activities', fr: 'Activités' },
  description: { en: 'Tasks, calls, meetings and notes on your records, with reminders', fr: 'Tâches, appels, rendez-vous et notes sur vos fiches, avec rappels' },
  engines: { rapport: '^1.0.0' },
  // Its reminders and timeline entries read activities as the plugin itself; it keeps the last-activity
  // date of the companies and people they are about.
  permissions: { objects: { activity: { read: 'all' }, company: { read: 'all', update: 'all' }, person: { read: 'all', update: 'all' } } },
  fields: (['company', 'person'] as const).map((object) => ({
    object,
    managed: true,
    field: { name: 'lastActivityAt', type: 'datetime' as const, labels: { en: 'Last activity', fr: 'Dernière activité' }, indexed: true },
  })),
  events: ['record.created', 'record.updated'],
  objects: [
    {
      name: 'activity',
      labels: { singular: { en: 'Activity', fr: 'Activité' }, plural: { en: 'Activities', fr: 'Activités' } },
      icon: 'task',
      labelField: 'subject',
      fields: [
        { name: 'subject', type: 'text', labels: { en: 'Subject', fr: 'Objet' }, required: true },
        { name: 'kind', type: 'select', labels: { en: 'Kind', fr: 'Type' }, required: true, default: 'task', options: KINDS, indexed: true },
        { name: 'dueAt', type: 'datetime', labels: { en: 'Due', fr: 'Échéance' }, indexed: true },
        { name: 'done', type: 'boolean', labels: { en: 'Done', fr: 'Fait' }, default: false, indexed: true },
        { name: 'notes', type: 'longText', labels: { en: 'Notes', fr: 'Notes' } },
        { name: 'company', type: 'relation', labels: { en: 'Company', fr: 'Entreprise' }, relation: { kind: 'manyToOne', target: 'company', reverse: { name: 'activities', labels: { en: 'Activities', fr: 'Activités' } } } },
        { name: 'person', type: 'relation', labels: { en: 'Person', fr: 'Personne' }, relation: { kind: 'manyToOne', target: 'person', reverse: { name: 'activities', labels: { en: 'Activities', fr: 'Activités' } } } },
      ],
    },
  ],
  navigation: [{ id: 'my-tasks', label: { en: 'My tasks', fr: 'Mes tâches' }, path: '', icon: 'check-square', requires: { object: 'activity', action: 'read' } }],
  jobs: [{ name: 'remind' }],
});
