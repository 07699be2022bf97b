import { defineWeb } from '@rapport/sdk/web';
import { Board } from './web/board';
import { FiguresPage } from './web/figures-page';
import { PipelineSettings } from './web/pipeline-settings';
import { SalesWidget } from './web/sales-widget';
import { StageHistory } from './web/stage-history';

export default defineWeb({ id: 'pipeline' }, {
  pages: { '': Board, figures: FiguresPage },
  slots: {
    'record.panel/v1': [{ id: 'stage-history', title: { en: 'Stage history', fr: 'Historique des étapes' }, objects: ['opportunity'], component: StageHistory }],
    'dashboard.widget/v1': [{ id: 'sales', title: { en: 'Sales this year', fr: 'Ventes de l’année' }, component: SalesWidget }],
    'settings.page/v1': [{ id: 'pipelines', title: { en: 'Pipelines', fr: 'Pipelines' }, component: PipelineSettings }],
  },
});
