import { defineWeb } from '@rapport/sdk/web';
import { Duplicates } from './web/duplicates-panel';
import { ExportAction } from './web/export-action';
import { ImportPage } from './web/import-page';
import { ImportsPage } from './web/imports-page';
import { MergePage } from './web/merge-page';
import { QualityPage } from './web/quality/quality-page';

export default defineWeb({ id: 'data-ops' }, {
  pages: { imports: ImportsPage, 'imports/:id': ImportPage, 'merge/:object/:ids': MergePage, quality: QualityPage, 'quality/:object': QualityPage },
  slots: {
    'list.action/v1': [{ id: 'export', component: ExportAction }],
    'record.panel/v1': [{ id: 'duplicates', title: { en: 'Duplicates and merges', fr: 'Doublons et fusions' }, component: Duplicates }],
  },
});
