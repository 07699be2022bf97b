import type { PluginServerContext } from '@rapport/sdk/server';
import { HEADLINE_METRICS, METRIC_LABELS } from './metric-labels';
import { DEFAULT_STALE_DAYS, measure, type QualityMetrics } from './metrics';

const share = (count: number, total: number) => (total === 0 ? '0' : ((count / total) * 100).toFixed(1));

/** The figures as a table for a terminal. */
export function qualityText(object: string, metrics: QualityMetrics): string {
  const lines = [`${object}: ${metrics.total} records (stale: not changed for ${metrics.staleDays} days)`];
  for (const key of HEADLINE_METRICS) {
    const label = METRIC_LABELS[key].en.toLowerCase();
    const value = metrics[key];
    lines.push(`  ${label.padEnd(24)} ${value === null ? 'not measured' : `${String(value).padStart(8)}  ${share(value, metrics.total).padStart(5)} %`}`);
  }
  lines.push('  completeness');
  for (const field of [...metrics.fields].sort((a, b) => a.filled - b.filled)) lines.push(`    ${field.name.padEnd(22)} ${share(field.filled, metrics.total).padStart(5)} %${field.invalid ? `  (${field.invalid} invalid)` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** `rapport data-ops quality <object> [--stale-days N] [--json]`: the figures now, as the key's user may see them. */
export function registerQualityCommand(ctx: PluginServerContext): void {
  ctx.commands.handle('quality', async ({ args, options }, { records }) => {
    const staleDays = options['stale-days'] === undefined ? DEFAULT_STALE_DAYS : Number(options['stale-days']);
    if (!Number.isInteger(staleDays) || staleDays < 1 || staleDays > 3650) return { text: `--stale-days must be a whole number of days from 1 to 3650, not ${String(options['stale-days'])}\n`, exitCode: 2 };
    const metrics = await measure(records, args.object!, { staleDays });
    return options.json ? { data: metrics } : { text: qualityText(args.object!, metrics), data: metrics };
  });
}
