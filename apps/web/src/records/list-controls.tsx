import { Button, DateInput, Input, Popover, Select } from '@rapport/ui';
import { ArrowDown, ArrowUp, Columns3, Filter, Plus, SortAsc, Trash2 } from 'lucide-react';
import { useState } from 'react';
import type { ObjectDefinition } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '@rapport/i18n';
import type { Condition, ListState, SortKey } from './list-state';

const opKey = (op: string) => `op.${op}` as MessageKey;

/** The filter builder: every operator the API accepts for each field, "all" or "any" of the conditions. */
export function FilterMenu({ object, state, onApply }: { object: ObjectDefinition; state: ListState; onApply: (next: Pick<ListState, 'conditions' | 'match'>) => void }) {
  const { t, l } = useI18n();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<Condition[]>(state.conditions);
  const [match, setMatch] = useState(state.match);
  // The label field first; ids are for machines.
  const filterable = object.fields.filter((field) => field.operators.length > 0 && field.name !== 'id').sort((a, b) => Number(b.name === object.labelField) - Number(a.name === object.labelField));
  const operatorsOf = (name: string) => {
    const operators = filterable.find((field) => field.name === name)?.operators ?? [];
    return operators.flatMap((op) => (op === 'isNull' ? ['isNull', 'isNotNull'] : [op]));
  };
  const update = (index: number, patch: Partial<Condition>) => setDraft((current) => current.map((condition, at) => (at === index ? { ...condition, ...patch } : condition)));
  const count = state.conditions.length;
  return (
    <Popover
      open={open}
      onOpenChange={(next) => {
        if (next) {
          setDraft(state.conditions.length ? state.conditions : [{ field: filterable[0]?.name ?? '', op: operatorsOf(filterable[0]?.name ?? '')[0] ?? 'eq', value: '' }]);
          setMatch(state.match);
        }
        setOpen(next);
      }}
      trigger={(props) => (
        <Button icon={<Filter size={15} />} {...props} variant={count ? 'primary' : 'default'}>
          {count ? t('list.filters', { count }) : t('list.filter')}
        </Button>
      )}
    >
      <form
        className="panel-stack"
        onSubmit={(event) => {
          event.preventDefault();
          onApply({ conditions: draft, match });
          setOpen(false);
        }}
      >
        <label style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
          {t('filter.match')}
          <Select value={match} onChange={(event) => setMatch(event.target.value as 'and' | 'or')} style={{ width: 'auto' }} aria-label={t('filter.match')}>
            <option value="and">{t('filter.all')}</option>
            <option value="or">{t('filter.any')}</option>
          </Select>
        </label>
        {draft.map((condition, index) => (
          <div className="filter-row" key={index}>
            <Select aria-label={t('filter.field')} value={condition.field} onChange={(event) => update(index, { field: event.target.value, op: operatorsOf(event.target.value)[0] ?? 'eq', value: '' })}>
              {filterable.map((field) => <option key={field.name} value={field.name}>{l(field.labels)}</option>)}
            </Select>
            <Select aria-label={t('filter.operator')} value={condition.op} onChange={(event) => update(index, { op: event.target.value })}>
              {operatorsOf(condition.field).map((op) => <option key={op} value={op}>{t(opKey(op))}</option>)}
            </Select>
            {condition.op === 'isNull' || condition.op === 'isNotNull' ? <span /> : <ValueInput object={object} condition={condition} onChange={(value) => update(index, { value })} />}
            <Button variant="ghost" iconOnly icon={<Trash2 size={15} />} onClick={() => setDraft((current) => current.filter((_, at) => at !== index))}>{t('filter.remove')}</Button>
          </div>
        ))}
        <div style={{ display: 'flex', gap: 8 }}>
          <Button size="sm" variant="ghost" icon={<Plus size={14} />} onClick={() => setDraft((current) => [...current, { field: filterable[0]?.name ?? '', op: operatorsOf(filterable[0]?.name ?? '')[0] ?? 'eq', value: '' }])}>{t('filter.add')}</Button>
          <span style={{ flex: 1 }} />
          <Button size="sm" onClick={() => { onApply({ conditions: [], match: 'and' }); setOpen(false); }}>{t('filter.clear')}</Button>
          <Button size="sm" type="submit" variant="primary">{t('filter.apply')}</Button>
        </div>
      </form>
    </Popover>
  );
}

function ValueInput({ object, condition, onChange }: { object: ObjectDefinition; condition: Condition; onChange: (value: string) => void }) {
  const { t, l, locale } = useI18n();
  const field = object.fields.find((candidate) => candidate.name === condition.field);
  if (field?.type === 'boolean') {
    return (
      <Select aria-label={t('filter.value')} value={condition.value} onChange={(event) => onChange(event.target.value)}>
        <option value="" />
        <option value="true">{t('common.yes')}</option>
        <option value="false">{t('common.no')}</option>
      </Select>
    );
  }
  if ((field?.type === 'select' || field?.type === 'multiSelect') && condition.op !== 'in') {
    return (
      <Select aria-label={t('filter.value')} value={condition.value} onChange={(event) => onChange(event.target.value)}>
        <option value="" />
        {field.options?.map((option) => <option key={option.value} value={option.value}>{l(option.labels)}</option>)}
      </Select>
    );
  }
  if (field?.type === 'date' && condition.op !== 'in') return <DateInput aria-label={t('filter.value')} locale={locale} value={condition.value || null} onChange={(day) => onChange(day ?? '')} />;
  const type = field?.type === 'number' || field?.type === 'rating' ? 'number' : 'text';
  return <Input aria-label={t('filter.value')} type={condition.op === 'in' ? 'text' : type} placeholder={condition.op === 'in' ? t('filter.inHint') : undefined} value={condition.value} onChange={(event) => onChange(event.target.value)} />;
}

export function SortMenu({ object, sort, onChange }: { object: ObjectDefinition; sort: SortKey[]; onChange: (sort: SortKey[]) => void }) {
  const { t, l } = useI18n();
  const sortable = object.fields.filter((field) => field.sortable);
  return (
    <Popover trigger={(props) => <Button icon={<SortAsc size={15} />} {...props} variant={sort.length ? 'primary' : 'default'}>{t('list.sort')}</Button>}>
      <div className="panel-stack" style={{ minWidth: 380 }}>
        {sort.length === 0 ? <span className="r-muted">{t('sort.none')}</span> : null}
        {sort.map((key, index) => (
          <div key={index} style={{ display: 'grid', gridTemplateColumns: '1fr 140px 32px', gap: 6 }}>
            <Select aria-label={t('sort.by')} value={key.field} onChange={(event) => onChange(sort.map((item, at) => (at === index ? { ...item, field: event.target.value } : item)))}>
              {sortable.map((field) => <option key={field.name} value={field.name}>{l(field.labels)}</option>)}
            </Select>
            <Select aria-label={t('sort.by')} value={key.desc ? 'desc' : 'asc'} onChange={(event) => onChange(sort.map((item, at) => (at === index ? { ...item, desc: event.target.value === 'desc' } : item)))}>
              <option value="asc">{t('sort.asc')}</option>
              <option value="desc">{t('sort.desc')}</option>
            </Select>
            <Button variant="ghost" iconOnly icon={<Trash2 size={15} />} onClick={() => onChange(sort.filter((_, at) => at !== index))}>{t('filter.remove')}</Button>
          </div>
        ))}
        <div>
          <Button size="sm" variant="ghost" icon={<Plus size={14} />} onClick={() => onChange([...sort, { field: sortable.find((field) => !sort.some((key) => key.field === field.name))?.name ?? sortable[0]!.name, desc: false }])}>{t('sort.add')}</Button>
        </div>
      </div>
    </Popover>
  );
}

export function ColumnsMenu({ object, columns, onChange }: { object: ObjectDefinition; columns: string[]; onChange: (columns: string[]) => void }) {
  const { t, l } = useI18n();
  const move = (name: string, by: number) => {
    const index = columns.indexOf(name);
    const next = [...columns];
    next.splice(index, 1);
    next.splice(Math.max(0, Math.min(next.length, index + by)), 0, name);
    onChange(next);
  };
  const ordered = [...columns.map((name) => object.fields.find((field) => field.name === name)!).filter(Boolean), ...object.fields.filter((field) => !columns.includes(field.name) && field.relation?.kind !== 'oneToMany')];
  return (
    <Popover align="end" trigger={(props) => <Button icon={<Columns3 size={15} />} {...props}>{t('list.columns')}</Button>}>
      <div className="r-menu" style={{ maxHeight: 360, overflow: 'auto', minWidth: 260 }} aria-label={t('columns.show')}>
        {ordered.map((field) => {
          const shown = columns.includes(field.name);
          return (
            <div key={field.name} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
              <label className="r-menu-item" style={{ flex: 1 }}>
                <input type="checkbox" className="r-checkbox" checked={shown} onChange={() => onChange(shown ? columns.filter((name) => name !== field.name) : [...columns, field.name])} />
                {l(field.labels)}
              </label>
              {shown ? (
                <>
                  <Button size="sm" variant="ghost" iconOnly icon={<ArrowUp size={13} />} onClick={() => move(field.name, -1)}>{`${t('columns.up')}: ${l(field.labels)}`}</Button>
                  <Button size="sm" variant="ghost" iconOnly icon={<ArrowDown size={13} />} onClick={() => move(field.name, 1)}>{`${t('columns.down')}: ${l(field.labels)}`}</Button>
                </>
              ) : null}
            </div>
          );
        })}
      </div>
    </Popover>
  );
}
