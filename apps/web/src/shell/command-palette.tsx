import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useDeferredValue, useEffect, useRef, useState } from 'react';
import { api, unwrap } from '../api/client';
import { useObjects } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { Icon } from './icons';
import { recentRecords } from './recent-records';

/** Ctrl/Cmd-K: search across every object I may read, or jump back to a recent record. */
export function CommandPalette({ onClose }: { onClose: () => void }) {
  const { t, l } = useI18n();
  const navigate = useNavigate();
  const objects = useObjects();
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query.trim());
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const search = useQuery({
    queryKey: ['search', deferred],
    queryFn: async () => (await unwrap(api.GET('/api/v1/search', { params: { query: { q: deferred, limit: 20 } } }))).data,
    enabled: deferred.length >= 2,
  });
  const hits = deferred.length >= 2 ? (search.data ?? []).map((hit) => ({ object: hit.object, id: hit.id, label: hit.label ?? hit.id })) : recentRecords();
  const objectOf = (name: string) => objects.data?.find((object) => object.name === name);
  const open = (hit: { object: string; id: string }) => {
    onClose();
    void navigate({ to: '/objects/$object/$id', params: { object: hit.object, id: hit.id } });
  };
  return (
    <div className="palette" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div className="palette-box" role="dialog" aria-modal="true" aria-label={t('nav.search')}>
        <input
          ref={input}
          className="palette-input"
          placeholder={t('search.placeholder')}
          value={query}
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-results"
          aria-activedescendant={hits[active] ? `hit-${hits[active].id}` : undefined}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') onClose();
            if (event.key === 'ArrowDown') setActive((index) => Math.min(index + 1, hits.length - 1));
            if (event.key === 'ArrowUp') setActive((index) => Math.max(index - 1, 0));
            if (event.key === 'Enter' && hits[active]) open(hits[active]);
          }}
        />
        <div className="palette-results" id="palette-results" role="listbox">
          {deferred.length < 2 ? <div className="palette-group">{hits.length ? t('search.recent') : t('search.hint')}</div> : null}
          {deferred.length >= 2 && search.isSuccess && hits.length === 0 ? <div className="palette-empty">{t('search.empty', { query: deferred })}</div> : null}
          {hits.map((hit, index) => {
            const object = objectOf(hit.object);
            return (
              <button key={hit.id} id={`hit-${hit.id}`} type="button" role="option" aria-selected={index === active} className="r-menu-item" onMouseEnter={() => setActive(index)} onClick={() => open(hit)}>
                <Icon name={object?.icon} />
                <span>{hit.label}</span>
                <span className="r-muted" style={{ marginLeft: 'auto', fontSize: 12 }}>{object ? l(object.labels.singular) : hit.object}</span>
              </button>
            );
          })}
        </div>
      </div>
    </div>
  );
}
