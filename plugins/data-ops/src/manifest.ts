import { defineManifest } from '@rapport/sdk/manifest';

export default defineManifest({
  id: 'data-ops',
  version: '0.1.0',
  displayName: { en: 'Data operations', fr: 'Opérations sur les données' },
  description: { en: 'Export any list to CSV or Excel', fr: 'Exporter toute liste en CSV ou Excel' },
  engines: { rapport: '^1.0.0' },
});
