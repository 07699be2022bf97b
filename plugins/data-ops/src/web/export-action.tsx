import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useRapport, type ListActionProps } from '@rapport/sdk/web';

/** "Export" on every list: the selected records if any, else the whole list as filtered and sorted, with its columns. */
export function ExportAction({ object, selectedIds, query }: ListActionProps) {
  const { fetch, t, locale } = useRapport();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Only for roles with the export right (the server refuses the others all the same).
  const me = useQuery({ queryKey: ['me'], queryFn: async () => (await (await fetch('/api/v1/me')).json()) as { permissions?: { export?: boolean } }, staleTime: 60_000 });
  // French spreadsheets split columns on semicolons.
  const delimiter = locale === 'fr' ? ';' : ',';
  const run = async (format: 'csv' | 'xlsx') => {
    setOpen(false);
    setError(null);
    const body = { format, lang: locale, delimiter, fields: query.columns, sort: query.sort, ...(query.filter ? { filter: query.filter } : {}), ...(selectedIds.length ? { ids: selectedIds } : {}) };
    if (!selectedIds.length) {
      // The whole list streams straight to a file.
      const params = new URLSearchParams({ format, lang: locale, delimiter, fields: query.columns.join(',') });
      if (query.sort) params.set('sort', query.sort);
      if (query.filter) params.set('filter', JSON.stringify(query.filter));
      window.location.assign(`/api/v1/plugins/data-ops/export/${object}?${params}`);
      return;
    }
    const response = await fetch(`/api/v1/plugins/data-ops/export/${object}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) {
      const problem = (await response.json().catch(() => null)) as { detail?: string; title?: string } | null;
      return setError(problem?.detail ?? problem?.title ?? String(response.status));
    }
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `${object}.${format}`;
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement('a'), { href: url, download: name });
    link.click();
    URL.revokeObjectURL(url);
  };
  if (!me.data?.permissions?.export) return null;
  const label = selectedIds.length ? t({ en: `Export ${selectedIds.length}`, fr: `Exporter ${selectedIds.length}` }) : t({ en: 'Export', fr: 'Exporter' });
  return (
    <span style={{ position: 'relative', display: 'inline-block' }}>
      <button type="button" className="r-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {label}
      </button>
      {open ? (
        <span className="r-popover r-menu" style={{ top: 'calc(100% + 4px)', right: 0, minWidth: 180 }}>
          <button type="button" className="r-menu-item" onClick={() => void run('csv')}>CSV</button>
          <button type="button" className="r-menu-item" onClick={() => void run('xlsx')}>Excel (.xlsx)</button>
        </span>
      ) : null}
      {error ? <span className="r-alert" role="alert" style={{ position: 'absolute', top: 'calc(100% + 4px)', right: 0, minWidth: 240, zIndex: 30 }}>{error}</span> : null}
    </span>
  );
}
