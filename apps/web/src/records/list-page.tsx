import { Alert, Button, EmptyState, useToast } from '@rapport/ui';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { PencilLine, Plus, Trash2 } from 'lucide-react';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import { keys, useObject, useObjects, usePermissions } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { ErrorPanel, NotFound } from '../shell/error-screen';
import { Loading } from '../shell/loading';
import { ColumnsMenu, FilterMenu, SortMenu } from './list-controls';
import { emptyState, toApiFilter, toApiSort, type ListState } from './list-state';
import { RecordGrid } from './record-grid';
import { PluginSlot } from '../plugins/plugin-slot';
import { ViewsMenu } from './views-menu';

const BulkEditDialog = lazy(() => import('./bulk-edit-dialog').then((module) => ({ default: module.BulkEditDialog })));
const CreateRecordDialog = lazy(() => import('./create-record-dialog').then((module) => ({ default: module.CreateRecordDialog })));
const PAGE_SIZE = 100;

export function ListPage() {
  const { object: name } = useParams({ from: '/app/objects/$object' });
  const objects = useObjects();
  const object = useObject(name);
  if (objects.isLoading) return <Loading />;
  if (objects.error) return <ErrorPanel error={objects.error} onRetry={() => void objects.refetch()} />;
  if (!object) return <NotFound />;
  return <ObjectList key={object.name} objectName={object.name} />;
}

function ObjectList({ objectName }: { objectName: string }) {
  const { t, l } = useI18n();
  const object = useObject(objectName)!;
  const permissions = usePermissions(objectName);
  const toast = useToast();
  const client = useQueryClient();
  const [state, setState] = useState<ListState>(() => emptyState(object));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [creating, setCreating] = useState(false);
  const [bulkEditing, setBulkEditing] = useState(false);
  const { view: viewId } = useSearch({ from: '/app/objects/$object' });
  const navigate = useNavigate();
  // Columns the role no longer lets me read disappear (the server leaves them out of the metadata).
  const columns = useMemo(() => state.columns.filter((column) => object.fields.some((field) => field.name === column)), [state.columns, object]);
  const filter = toApiFilter(state, object);
  const sort = toApiSort(state.sort);
  const expand = columns.filter((column) => object.fields.find((field) => field.name === column)?.relation?.kind === 'manyToOne');
  const queryKey = useMemo(() => [...keys.records(objectName), 'list', { filter, sort, columns, expand }] as const, [objectName, filter, sort, columns, expand]);
  const list = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => api.records(objectName).list({ filter, sort, limit: PAGE_SIZE, cursor: pageParam, fields: [...new Set(['id', object.labelField, ...columns])], expand }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => (page.pageInfo.hasMore ? page.pageInfo.nextCursor ?? undefined : undefined),
  });
  useEffect(() => setSelected(new Set()), [filter && JSON.stringify(filter), sort]);
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);
  const needMore = useCallback(() => {
    if (list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  }, [list]);
  const deleteSelected = async () => {
    if (!window.confirm(t('list.deleteConfirm', { count: selected.size }))) return;
    const failures: string[] = [];
    for (const id of selected) await api.records(objectName).delete(id).catch((error: Error) => failures.push(error.message));
    setSelected(new Set());
    await client.invalidateQueries({ queryKey: keys.records(objectName) });
    if (failures.length) toast(failures[0]!, 'danger');
  };
  const plural = l(object.labels.plural);
  const filtered = state.conditions.length > 0;
  return (
    <div className="page" style={{ paddingBottom: 0 }}>
      <div className="page-header">
        <h1>{plural}</h1>
        <ViewsMenu object={object} state={state} viewId={viewId} onViewChange={(id) => void navigate({ to: '/objects/$object', params: { object: objectName }, search: id ? { view: id } : {}, replace: true })} onLoad={(next) => setState({ ...next, columns: next.columns.length ? next.columns : emptyState(object).columns })} />
        {permissions?.create ? (
          <Button variant="primary" icon={<Plus size={15} />} onClick={() => setCreating(true)}>
            {t('list.new', { object: l(object.labels.singular).toLowerCase() })}
          </Button>
        ) : null}
      </div>
      <div className="toolbar">
        <FilterMenu object={object} state={state} onApply={(next) => setState((current) => ({ ...current, ...next }))} />
        <SortMenu object={object} sort={state.sort} onChange={(next) => setState((current) => ({ ...current, sort: next }))} />
        <span style={{ flex: 1 }} />
        {list.data ? <span className="r-muted" aria-live="polite">{t('list.count', { count: rows.length })}{list.hasNextPage ? ` · ${t('list.more')}` : ''}</span> : null}
        <ColumnsMenu object={object} columns={columns} onChange={(next) => setState((current) => ({ ...current, columns: next }))} />
        <PluginSlot name="list.action/v1" object={objectName} props={{ object: objectName, selectedIds: [...selected], query: { filter, sort, columns } }} />
      </div>
      {selected.size > 0 ? (
        <div className="bulk-bar" role="region" aria-label={t('list.selected', { count: selected.size })}>
          <strong>{t('list.selected', { count: selected.size })}</strong>
          {permissions && permissions.update !== 'none' ? <Button size="sm" icon={<PencilLine size={14} />} onClick={() => setBulkEditing(true)}>{t('list.editSelected')}</Button> : null}
          {permissions && permissions.delete !== 'none' ? <Button size="sm" variant="danger" icon={<Trash2 size={14} />} onClick={() => void deleteSelected()}>{t('list.deleteSelected')}</Button> : null}
          <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>{t('list.clearSelection')}</Button>
        </div>
      ) : null}
      {list.error ? (
        list.error && rows.length ? <Alert>{String((list.error as Error).message)}</Alert> : <ErrorPanel error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isLoading ? (
        <Loading />
      ) : rows.length === 0 ? (
        filtered ? (
          <EmptyState title={t('list.noMatch.title')} action={<Button onClick={() => setState((current) => ({ ...current, conditions: [] }))}>{t('list.clearFilters')}</Button>}>{t('list.noMatch.body')}</EmptyState>
        ) : (
          <EmptyState title={t('list.empty.title', { objects: plural.toLowerCase() })} action={permissions?.create ? <Button variant="primary" icon={<Plus size={15} />} onClick={() => setCreating(true)}>{t('list.new', { object: l(object.labels.singular).toLowerCase() })}</Button> : undefined}>
            {t('list.empty.body')}
          </EmptyState>
        )
      ) : (
        <RecordGrid object={object} columns={columns} rows={rows} sort={state.sort} onSort={(next) => setState((current) => ({ ...current, sort: next }))} selected={selected} onSelect={setSelected} permissions={permissions} hasMore={Boolean(list.hasNextPage)} onNeedMore={needMore} queryKey={queryKey} />
      )}
      {bulkEditing ? (
        <Suspense fallback={null}>
          <BulkEditDialog
            object={object}
            ids={[...selected]}
            onClose={() => setBulkEditing(false)}
            onDone={(count) => {
              toast(t('list.bulkDone', { count }));
              setSelected(new Set());
              void client.invalidateQueries({ queryKey: keys.records(objectName) });
            }}
          />
        </Suspense>
      ) : null}
      {creating ? (
        <Suspense fallback={null}>
          <CreateRecordDialog object={object} onClose={() => setCreating(false)} onCreated={() => void client.invalidateQueries({ queryKey: keys.records(objectName) })} />
        </Suspense>
      ) : null}
    </div>
  );
}
