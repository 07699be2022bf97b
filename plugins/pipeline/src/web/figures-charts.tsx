import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/*
 * The figures' charts, in their own chunk: recharts loads with the dashboard, not with the board or
 * the home page. Colours come from the shell's theme variables, so dark mode follows.
 */

export interface BarSeries {
  key: string;
  label: string;
  colour: string;
}

export function BarsChart({ rows, series, format, label, height = 220, stacked = false, counts = false }: { rows: Record<string, string | number>[]; series: BarSeries[]; format: (value: number) => string; label: string; height?: number; stacked?: boolean; counts?: boolean }) {
  return (
    <figure style={{ margin: 0 }} aria-label={label}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis dataKey="name" tick={{ fontSize: 12, fill: 'var(--text-muted)' }} stroke="var(--border)" />
          <YAxis allowDecimals={!counts} tickFormatter={format} tick={{ fontSize: 12, fill: 'var(--text-muted)' }} stroke="var(--border)" width={80} />
          <Tooltip formatter={(value) => format(Number(value))} contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' }} />
          {series.length > 1 || stacked ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
          {series.map((item) => <Bar key={item.key} dataKey={item.key} name={item.label} fill={item.colour} radius={stacked ? 0 : [3, 3, 0, 0]} stackId={stacked ? 'all' : undefined} isAnimationActive={false} />)}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
