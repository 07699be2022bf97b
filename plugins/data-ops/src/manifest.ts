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
  navigation: [
    { id: 'imports', label: { en: 'Imports', fr: 'Imports' }, path: 'imports', icon: 'upload' },
    { id: 'quality', label: { en: 'Data quality', fr: 'Qualité des données' }, path: 'quality', icon: 'gauge' },
  ],
});
