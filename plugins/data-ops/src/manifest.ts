import { defineManifest } from '@rapport/sdk/manifest';

export default defineManifest({
  id: 'data-ops',
  version: '0.1.0',
  displayName: { en: 'Data operations', fr: 'Opérations sur les données' },
  description: { en: 'Import from CSV or Excel with mapping, cleaning and duplicates; export any list', fr: 'Importer depuis CSV ou Excel avec correspondance, nettoyage et doublons ; exporter toute liste' },
  engines: { rapport: '^1.0.0' },
  // Imports run and are undone in the background, as whoever started them; a check resumes runs whose server died.
  jobs: [{ name: 'import-run' }, { name: 'import-undo' }, { name: 'import-resume', cron: '* * * * *' }],
  navigation: [{ id: 'imports', label: { en: 'Imports', fr: 'Imports' }, path: 'imports', icon: 'upload' }],
});
