import { Spinner } from '@rapport/ui';
import { useI18n } from '../i18n/i18n';

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="r-empty">
      <Spinner label={t('app.loading')} />
    </div>
  );
}
