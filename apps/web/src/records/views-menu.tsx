import { Button, Dialog, Field, Input, Popover, Select, useToast } from '@rapport/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Bookmark, Check } from 'lucide-react';
import { useState } from 'react';
import { ApiProblem, apiFetch, fieldErrors } from '../api/client';
import type { ObjectDefinition } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { fromApiFilter, fromApiSort, toApiFilter, toApiSort, type ListState } from './list-state';

export interface SavedView {
  id: string;
  object: string;
  name: string;
  columns: string[];
  filter: unknown;
  sort: string | null;
  visibility: 'private' | 'team' | 'workspace';
  teamId?: string | null;
  ownerId: string;
}

async function json<T>(response: Response): Promise<T> {
  const body = response.status === 204 ? undefined : await response.json().catch(() => undefined);
  if (!response.ok) throw new ApiProblem(response.status, body, response.statusText);
  return body as T;
}

/** Saved views of a list (server-side: mine, my team's, the workspace's), and saving the current one. */
export function ViewsMenu({ object, state, onLoad }: { object: ObjectDefinition; state: ListState; onLoad: (state: ListState) => void }) {
  const { t, l } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const [current, setCurrent] = useState<SavedView | null>(null);
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<SavedView['visibility']>('private');
  const queryKey = ['views', object.name];
  const views = useQuery({ queryKey, queryFn: async () => (await json<{ data: SavedView[] }>(await apiFetch(`/api/v1/views?object=${encodeURIComponent(object.name)}`))).data });
  const save = useMutation({
    mutationFn: async (asNew: boolean) => {
      const body = { object: object.name, name, columns: state.columns, filter: toApiFilter(state, object) ?? null, sort: toApiSort(state.sort) ?? null, visibility };
      const update = !asNew && current;
      return json<SavedView>(await apiFetch(update ? `/api/v1/views/${current.id}` : '/api/v1/views', { method: update ? 'PATCH' : 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(update ? { name, columns: body.columns, filter: body.filter, sort: body.sort, visibility } : body) }));
    },
    onSuccess: (view) => {
      setCurrent(view);
      setSaving(false);
      toast(t('views.saved'));
      void client.invalidateQueries({ queryKey });
    },
  });
  const load = (view: SavedView | null) => {
    setCurrent(view);
    onLoad(view ? { columns: view.columns, sort: fromApiSort(view.sort), ...fromApiFilter(view.filter) } : { columns: [], conditions: [], match: 'and', sort: [] });
  };
  const errors = fieldErrors(save.error);
  return (
    <>
      <Popover trigger={(props) => <Button icon={<Bookmark size={15} />} {...props}>{current?.name ?? t('views.all', { objects: l(object.labels.plural).toLowerCase() })}</Button>}>
        {(close) => (
          <div className="r-menu" style={{ minWidth: 260 }} aria-label={t('views.views')}>
            <button type="button" className="r-menu-item" onClick={() => { load(null); close(); }}>
              {current ? <span style={{ width: 15 }} /> : <Check size={15} />} {t('views.all', { objects: l(object.labels.plural).toLowerCase() })}
            </button>
            {views.data?.map((view) => (
              <button key={view.id} type="button" className="r-menu-item" onClick={() => { load(view); close(); }}>
                {current?.id === view.id ? <Check size={15} /> : <span style={{ width: 15 }} />} {view.name}
                <span className="r-muted" style={{ marginLeft: 'auto', fontSize: 12 }}>{t(`views.visibility.${view.visibility}`)}</span>
              </button>
            ))}
            <hr style={{ border: 0, borderTop: '1px solid var(--border)', width: '100%' }} />
            <button type="button" className="r-menu-item" onClick={() => { setName(current?.name ?? ''); setVisibility(current?.visibility ?? 'private'); save.reset(); setSaving(true); close(); }}>
              {t('views.save')}
            </button>
          </div>
        )}
      </Popover>
      <Dialog
        open={saving}
        title={t('views.save')}
        closeLabel={t('common.close')}
        onClose={() => setSaving(false)}
        onSubmit={() => save.mutate(!current)}
        footer={
          <>
            {current ? <Button onClick={() => save.mutate(true)}>{t('views.saveAs')}</Button> : null}
            <Button type="submit" variant="primary" disabled={save.isPending}>{current ? t('views.update', { name: current.name }) : t('common.save')}</Button>
          </>
        }
      >
        {save.error && !Object.keys(errors).length ? <div className="r-alert" role="alert">{(save.error as Error).message}</div> : null}
        <Field label={t('views.name')} error={errors.name} required>
          <Input autoFocus value={name} onChange={(event) => setName(event.target.value)} />
        </Field>
        <Field label={t('views.visibility')} error={errors.visibility ?? errors.teamId}>
          <Select value={visibility} onChange={(event) => setVisibility(event.target.value as SavedView['visibility'])}>
            <option value="private">{t('views.visibility.private')}</option>
            <option value="workspace">{t('views.visibility.workspace')}</option>
          </Select>
        </Field>
      </Dialog>
    </>
  );
}
