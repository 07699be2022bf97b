import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import stylesheet from 'uplot/dist/uPlot.min.css';
import { useRapport } from '@rapport/sdk/web';
import { HEADLINES, type QualityMetrics } from './quality-api';

// `rapport plugin build` bundles a stylesheet as its text (the shell loads no plugin CSS file).
const styles = stylesheet as unknown as string;
const DAY = 86_400;
/** Counts: whole-number steps on the y axis. */
const COUNT_STEPS = Array.from({ length: 10 }, (_, power) => [1, 2, 5].map((step) => step * 10 ** power)).flat();
const COLORS = ['#d9480f', '#c2255c', '#7048e8', '#1971c2', '#0c8599', '#2f9e44', '#e8590c', '#495057'];

/** The daily figures of the headline metrics, one line each (uPlot: a canvas, a few kilobytes, loaded with this chart only). */
export default function HistoryChart({ history }: { history: { day: string; metrics: QualityMetrics }[] }) {
  const { t, locale } = useRapport();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const shown = HEADLINES.filter((headline) => history.some((entry) => entry.metrics[headline.metric] !== null));
    const data: uPlot.AlignedData = [
      history.map((entry) => Date.parse(`${entry.day}T00:00:00Z`) / 1000),
      ...shown.map((headline) => history.map((entry) => entry.metrics[headline.metric])),
    ];
    const dayFormat = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const days = data[0] as number[];
    const chart = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 260,
        legend: { live: false },
        series: [{}, ...shown.map((headline, index) => ({ label: t(headline.label), stroke: COLORS[index % COLORS.length], width: 2, points: { show: history.length < 40 } }))],
        axes: [{ incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY], space: 60, values: (_, ticks) => ticks.map((seconds) => dayFormat.format(new Date(seconds * 1000))) }, { size: 56, incrs: COUNT_STEPS }],
        // A day either side, so that a single day shows as a point in the middle rather than an empty axis.
        scales: { x: { time: false, range: [days[0]! - DAY, days.at(-1)! + DAY] } },
      },
      data,
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(320, element.clientWidth), height: 260 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [history, locale]); // t follows the locale
  return (
    <>
      <style>{styles}</style>
      <div ref={box} data-testid="quality-history-chart" role="img" aria-label={t({ en: 'Daily figures', fr: 'Chiffres par jour' })} />
    </>
  );
}
