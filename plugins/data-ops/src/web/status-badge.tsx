import { Badge } from '@rapport/ui';
import { useRapport } from '@rapport/sdk/web';
import type { ImportView } from './import-api';

const LABELS: Record<ImportView['status'], { en: string; fr: string; tone?: 'success' | 'danger' | 'accent' | 'warning' }> = {
  uploading: { en: 'Uploading', fr: 'Envoi', tone: 'accent' },
  ready: { en: 'To map', fr: 'À paramétrer', tone: 'warning' },
  running: { en: 'Importing', fr: 'Import en cours', tone: 'accent' },
  done: { en: 'Done', fr: 'Terminé', tone: 'success' },
  failed: { en: 'Failed', fr: 'Échoué', tone: 'danger' },
  undoing: { en: 'Undoing', fr: 'Annulation', tone: 'accent' },
  undone: { en: 'Undone', fr: 'Annulé' },
};

export function StatusBadge({ status }: { status: ImportView['status'] }) {
  const { t } = useRapport();
  const label = LABELS[status];
  return <Badge tone={label.tone}>{t(label)}</Badge>;
}
