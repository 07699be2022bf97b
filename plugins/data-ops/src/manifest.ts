import { defineManifest } from '@rapport/sdk/manifest';

export default defineManifest({
  id: 'data-ops',
  version: '0.1.0',
  displayName: { en: 'Data operations', fr: 'Opérations sur les données' },
  description: { en: 'Import and export any list, merge duplicates, watch data quality', fr: 'Importer et exporter toute liste, fusionner les doublons, suivre la qualité des données' },
  engines: { rapport: '^1.0.0' },
  // Imports run and are undone in the background, as whoever started them; a check resumes runs whose server died.
  // Quality: each tracked object measured every night (02:15 UTC) as the user who asked for it.
  jobs: [{ name: 'import-run' }, { name: 'import-undo' }, { name: 'import-resume', cron: '* * * * *' }, { name: 'quality-snapshot' }, { name: 'quality-daily', cron: '15 2 * * *' }],
  commands: [
    {
      name: 'quality',
      description: { en: "An object's data quality now, as the key's user may see it", fr: "La qualité des données d'un objet, telle que l'utilisateur de la clé la voit" },
      arguments: [{ name: 'object', description: { en: 'person, company, or any other object', fr: "person, company ou tout autre objet" } }],
      options: [
        { name: 'stale-days', description: { en: 'stale after this many days without a change (default 180)', fr: 'obsolète après ce nombre de jours sans modification (180 par défaut)' } },
        { name: 'json', value: false, description: { en: 'print the figures as JSON', fr: 'afficher les chiffres en JSON' } },
      ],
    },
  ],
  navigation: [
    { id: 'imports', label: { en: 'Imports', fr: 'Imports' }, path: 'imports', icon: 'upload' },
    { id: 'quality', label: { en: 'Data quality', fr: 'Qualité des données' }, path: 'quality', icon: 'gauge' },
  ],
});
