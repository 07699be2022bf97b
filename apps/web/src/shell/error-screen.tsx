import { Button } from '@rapport/ui';
import { Link, type ErrorComponentProps } from '@tanstack/react-router';
import { WifiOff } from 'lucide-react';
import { ApiProblem, isNetworkError } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** A failure never leaves a blank page: it says what happened and offers a retry. */
export function ErrorScreen({ error, reset }: ErrorComponentProps) {
  return <ErrorPanel error={error} onRetry={reset} />;
}

export function ErrorPanel({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const offline = isNetworkError(error);
  return (
    <div className="r-empty" role="alert">
      {offline ? <WifiOff size={28} /> : null}
      <h2>{offline ? t('app.offline.title') : t('app.error.title')}</h2>
      <p style={{ margin: 0 }}>{offline ? t('app.offline.body') : error instanceof ApiProblem ? error.detail ?? error.title : String((error as Error)?.message ?? error)}</p>
      {onRetry ? <Button variant="primary" onClick={onRetry}>{t('app.retry')}</Button> : null}
    </div>
  );
}

export function NotFound() {
  const { t } = useI18n();
  return (
    <div className="r-empty">
      <h2>{t('app.notFound')}</h2>
      <Link to="/">{t('app.backHome')}</Link>
    </div>
  );
}
