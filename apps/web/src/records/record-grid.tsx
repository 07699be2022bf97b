import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiProblem, api, type ApiRecord } from '../api/client';
import type { FieldDefinition, ObjectDefinition, ObjectPermissions } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { FieldInput } from './field-input';
import { FieldValue } from './field-value';
import type { SortKey } from './list-state';

const ROW_HEIGHT = 36;
const widthOf = (field: FieldDefinition) => (field.type === 'boolean' || field.type === 'rating' ? 110 : field.type === 'number' || field.type === 'date' ? 130 : field.type === 'longText' || field.type === 'address' ? 280 : 200);

interface Props {
  object: ObjectDefinition;
  columns: string[];
  rows: ApiRecord[];
  sort: SortKey[];
  onSort: (sort: SortKey[]) => void;
  selected: Set<string>;
  onSelect: (selected: Set<string>) => void;
  permissions: ObjectPermissions | undefined;
  hasMore: boolean;
  onNeedMore: () => void;
  queryKey: readonly unknown[];
}

/**
 * The generic grid of any object: columns from metadata, virtualized rows (only the visible ones are
 * in the DOM), server-side sorts, inline editing with the server's validation error on the cell.
 */
export function RecordGrid({ object, columns, rows, sort, onSort, selected, onSelect, permissions, hasMore, onNeedMore, queryKey }: Props) {
  const { t, l } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const fields = useMemo(() => columns.map((name) => object.fields.find((field) => field.name === name)).filter((field): field is FieldDefinition => Boolean(field)), [columns, object]);
  const [editing, setEditing] = useState<{ id: string; field: string; value: unknown; error?: string } | null>(null);
  const client = useQueryClient();
  const canEdit = (field: FieldDefinition) => !field.readOnly && permissions?.update !== 'none' && permissions?.fields[field.name] === 'write' && !(field.type === 'relation' && field.relation?.kind !== 'manyToOne') && field.type !== 'json';

  const save = async () => {
    if (!editing) return;
    const { id, field, value } = editing;
    try {
      const updated = (await api.records(object.name).update(id, { [field]: value })) as ApiRecord;
      client.setQueryData<InfiniteData<{ data: ApiRecord[] }>>(queryKey, (data) => data && { ...data, pages: data.pages.map((page) => ({ ...page, data: page.data.map((row) => (row.id === id ? { ...row, ...updated, [field]: updated[field] } : row)) })) });
      setEditing(null);
    } catch (error) {
      setEditing({ ...editing, error: error instanceof ApiProblem ? error.field(field)?.message ?? error.detail ?? error.title : String(error) });
    }
  };

  const columnDefs = useMemo<ColumnDef<ApiRecord>[]>(
    () => [
      {
        id: '__select',
        size: 40,
        header: () => <input type="checkbox" className="r-checkbox" aria-label={t('list.selectAll')} checked={rows.length > 0 && rows.every((row) => selected.has(row.id))} onChange={(event) => onSelect(event.target.checked ? new Set(rows.map((row) => row.id)) : new Set())} />,
        cell: ({ row }) => (
          <input
            type="checkbox"
            className="r-checkbox"
            aria-label={t('list.selectRow')}
            checked={selected.has(row.original.id)}
            onChange={(event) => {
              const next = new Set(selected);
              if (event.target.checked) next.add(row.original.id);
              else next.delete(row.original.id);
              onSelect(next);
            }}
          />
        ),
      },
      ...fields.map<ColumnDef<ApiRecord>>((field) => ({
        id: field.name,
        size: widthOf(field),
        header: () => {
          const current = sort.find((key) => key.field === field.name);
          const label = l(field.labels);
          if (!field.sortable) return <span>{label}</span>;
          return (
            <button type="button" className="grid-sort" onClick={() => onSort(current ? (current.desc ? [] : [{ field: field.name, desc: true }]) : [{ field: field.name, desc: false }])} aria-sort={current ? (current.desc ? 'descending' : 'ascending') : undefined}>
              {label}
              {current ? current.desc ? <ArrowDown size={13} /> : <ArrowUp size={13} /> : null}
            </button>
          );
        },
        cell: ({ row }) =>
          field.name === object.labelField ? (
            <Link to="/objects/$object/$id" params={{ object: object.name, id: row.original.id }} onClick={(event) => event.stopPropagation()}>
              {String(row.original[field.name] ?? '—')}
            </Link>
          ) : (
            <FieldValue field={field} value={row.original[field.name]} object={object.name} />
          ),
      })),
    ],
    [fields, sort, selected, rows, object, l, t, onSort, onSelect],
  );
  const table = useReactTable({ data: rows, columns: columnDefs, getCoreRowModel: getCoreRowModel(), getRowId: (row) => row.id });
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useEffect(() => {
    if (last && hasMore && last.index >= rows.length - 20) onNeedMore();
  }, [last?.index, hasMore, rows.length, onNeedMore]);
  const tableRows = table.getRowModel().rows;
  const totalWidth = table.getVisibleLeafColumns().reduce((sum, column) => sum + column.getSize(), 0);

  return (
    <div className="grid" ref={scroller} role="grid" aria-rowcount={rows.length} aria-label={l(object.labels.plural)}>
      <div className="grid-table" style={{ width: totalWidth }}>
        {table.getHeaderGroups().map((group) => (
          <div key={group.id} className="grid-row grid-head" role="row">
            {group.headers.map((header) => (
              <div key={header.id} className="grid-cell" role="columnheader" style={{ width: header.getSize() }}>
                {flexRender(header.column.columnDef.header, header.getContext())}
              </div>
            ))}
          </div>
        ))}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = tableRows[item.index]!;
            return (
              <div key={row.id} className="grid-row" role="row" aria-rowindex={item.index + 2} data-selected={selected.has(row.id)} style={{ position: 'absolute', top: 0, transform: `translateY(${item.start}px)`, width: totalWidth }}>
                {row.getVisibleCells().map((cell) => {
                  const field = fields.find((candidate) => candidate.name === cell.column.id);
                  const isEditing = field && editing?.id === row.id && editing.field === field.name;
                  const editable = field ? canEdit(field) : false;
                  return (
                    <div
                      key={cell.id}
                      className="grid-cell"
                      role="gridcell"
                      data-field={field?.name}
                      data-editable={editable}
                      data-error={isEditing && editing?.error ? true : undefined}
                      style={{ width: cell.column.getSize(), position: 'relative', overflow: isEditing ? 'visible' : undefined }}
                      tabIndex={editable ? 0 : undefined}
                      onDoubleClick={() => editable && field && setEditing({ id: row.id, field: field.name, value: row.original[field.name] })}
                      onKeyDown={(event) => {
                        if (!isEditing && editable && field && (event.key === 'Enter' || event.key === 'F2')) setEditing({ id: row.id, field: field.name, value: row.original[field.name] });
                      }}
                    >
                      {isEditing && field ? (
                        <>
                          <div style={{ width: '100%' }} onBlur={(event) => { if (!event.currentTarget.contains(event.relatedTarget as Node)) void save(); }}>
                            <FieldInput
                              field={field}
                              value={editing!.value}
                              autoFocus
                              invalid={Boolean(editing!.error)}
                              onChange={(value) => setEditing((current) => current && { ...current, value, error: undefined })}
                              onKeyDown={(event) => {
                                if (event.key === 'Enter') { event.preventDefault(); void save(); }
                                if (event.key === 'Escape') setEditing(null);
                              }}
                            />
                          </div>
                          {editing!.error ? <div className="cell-error" role="alert" style={{ top: ROW_HEIGHT, left: 0 }}>{editing!.error}</div> : null}
                        </>
                      ) : (
                        flexRender(cell.column.columnDef.cell, cell.getContext())
                      )}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
