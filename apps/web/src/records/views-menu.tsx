import { Button, Dialog, Field, Input, Popover, Select, useToast } from '@rapport/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Bookmark, Check } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { api, fieldErrors, unwrap, type components } from '../api/client';
import { useMe, type ObjectDefinition } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { fromApiFilter, fromApiSort, toApiFilter, toApiSort, type ListState } from './list-state';

export type SavedView = components['schemas']['View'];

/** Saved views of a list (server-side: mine, my team's, the workspace's), and saving the current one. */
/** `viewId` (the list's `?view=` search parameter) opens that view, so that a view's link can be shared. */
export function ViewsMenu({ object, state, onLoad, viewId, onViewChange }: { object: ObjectDefinition; state: ListState; onLoad: (state: ListState) => void; viewId?: string; onViewChange: (id: string | undefined) => void }) {
  const { t, l } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const [current, setCurrent] = useState<SavedView | null>(null);
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<SavedView['visibility']>('private');
  const [teamId, setTeamId] = useState<string>('');
  const me = useMe();
  const teams = useQuery({ queryKey: ['teams'], queryFn: async () => (await unwrap(api.GET('/api/v1/teams'))).data, retry: false });
  const myTeams = (teams.data ?? []).filter((team) => me.data?.user && team.members.includes(me.data.user.id));
  const queryKey = ['views', object.name];
  const views = useQuery({ queryKey, queryFn: async () => (await unwrap(api.GET('/api/v1/views', { params: { query: { object: object.name } } }))).data });
  const save = useMutation({
    mutationFn: async (asNew: boolean) => {
      const body = { name, columns: state.columns, filter: toApiFilter(state, object) ?? null, sort: toApiSort(state.sort) ?? null, visibility, teamId: visibility === 'team' ? teamId || null : null };
      if (!asNew && current) return unwrap(api.PATCH('/api/v1/views/{id}', { params: { path: { id: current.id } }, body }));
      return unwrap(api.POST('/api/v1/views', { body: { object: object.name, ...body } }));
    },
    onSuccess: (view) => {
      setCurrent(view);
      onViewChange(view.id);
      setSaving(false);
      toast(t('views.saved'));
      void client.invalidateQueries({ queryKey });
    },
  });
  const load = (view: SavedView | null, navigate = true) => {
    setCurrent(view);
    if (navigate) onViewChange(view?.id);
    onLoad(view ? { columns: view.columns, sort: fromApiSort(view.sort), ...fromApiFilter(view.filter) } : { columns: [], conditions: [], match: 'and', sort: [] });
  };
  // Opens the view the URL names once the views are loaded; the latest load and view through refs,
  // so that the effect runs only when the URL or the list of views changes.
  const latest = useRef({ load, current });
  latest.current = { load, current };
  useEffect(() => {
    const wanted = viewId ? views.data?.find((view) => view.id === viewId) : undefined;
    if (wanted && wanted.id !== latest.current.current?.id) latest.current.load(wanted, false);
  }, [viewId, views.data]);
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
            <button type="button" className="r-menu-item" onClick={() => { setName(current?.name ?? ''); setVisibility(current?.visibility ?? 'private'); setTeamId(current?.teamId ?? ''); save.reset(); setSaving(true); close(); }}>
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
            {myTeams.length ? <option value="team">{t('views.visibility.team')}</option> : null}
            <option value="workspace">{t('views.visibility.workspace')}</option>
          </Select>
        </Field>
        {visibility === 'team' ? (
          <Field label={t('views.visibility.team')} error={errors.teamId}>
            <Select value={teamId} onChange={(event) => setTeamId(event.target.value)}>
              <option value="" />
              {myTeams.map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
            </Select>
          </Field>
        ) : null}
      </Dialog>
    </>
  );
}
