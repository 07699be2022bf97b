export interface Row {
  metric: string;
  value: number | null;
  unit: string;
  /** `<= x` or `>= x`; none for figures shown for information. */
  target?: { op: '<=' | '>='; value: number };
  note?: string;
}

export type Verdict = 'PASS' | 'FAIL' | 'n/a' | '';

export function verdict(row: Row): Verdict {
  if (!row.target) return '';
  if (row.value === null || Number.isNaN(row.value)) return 'n/a';
  return (row.target.op === '<=' ? row.value <= row.target.value : row.value >= row.target.value) ? 'PASS' : 'FAIL';
}

export function format(value: number | null, unit: string): string {
  if (value === null || Number.isNaN(value)) return '—';
  const digits = unit === 'ms' ? (value < 10 ? 2 : value < 100 ? 1 : 0) : unit === '×' ? 2 : unit === 'MB' ? 1 : 0;
  const text = value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit === '×' ? `${text}×` : unit ? `${text} ${unit}` : text;
}

export function table(rows: Row[]): string {
  const cells = rows.map((row) => [
    row.metric,
    format(row.value, row.unit),
    row.target ? `${row.target.op} ${format(row.target.value, row.unit)}` : '',
    verdict(row),
    row.note ?? '',
  ]);
  const header = ['metric', 'value', 'target', 'result', 'note'];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column]!.length)));
  const line = (values: string[]) =>
    values
      .map((value, column) => (column === 1 ? value.padStart(widths[column]!) : value.padEnd(widths[column]!)))
      .join(' │ ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('─┼─');
  return [line(header), rule, ...cells.map(line)].join('\n');
}
