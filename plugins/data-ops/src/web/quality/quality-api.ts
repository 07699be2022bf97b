import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRapport } from '@rapport/sdk/web';
import { HEADLINE_METRICS, METRIC_HINTS, METRIC_LABELS } from '../../quality/metric-labels';
import type { MetricName, QualityMetrics } from '../../quality/metrics';
import { API, json } from '../import-api';

export type { MetricName, QualityMetrics };
export type Scope = 'none' | 'own' | 'team' | 'all';
type Text = { en: string; fr?: string };

export interface LiveQuality {
  object: string;
  scope: Scope;
  metrics: QualityMetrics;
  tracking: { since: string } | null;
}

export interface QualityAlert {
  id: string;
  object: string;
  metric: MetricName;
  field: string | null;
  direction: 'above' | 'below';
  unit: 'count' | 'percent';
  threshold: number;
  breached: boolean | null;
  lastValue: number | null;
  lastCheckedAt: string | null;
}

export interface ObjectFields {
  name: string;
  labels: { singular: Text; plural: Text };
  fields: { name: string; labels: Text }[];
}

/** The headline metrics, with their names and what they count. */
export const HEADLINES = HEADLINE_METRICS.map((metric) => ({ metric, label: METRIC_LABELS[metric], hint: METRIC_HINTS[metric] }));
export { METRIC_LABELS };

export function useLiveQuality(object: string, staleDays: number) {
  const { fetch } = useRapport();
  return useQuery({ queryKey: ['data-ops', 'quality', object, staleDays], queryFn: async () => json<LiveQuality>(await fetch(`${API}/quality/${object}?staleDays=${staleDays}`)), refetchOnMount: 'always' });
}

export function useHistory(object: string, enabled: boolean) {
  const { fetch } = useRapport();
  return useQuery({
    queryKey: ['data-ops', 'quality-history', object],
    queryFn: async () => (await json<{ data: { day: string; takenAt: string; metrics: QualityMetrics }[] }>(await fetch(`${API}/quality/${object}/history?days=90`))).data,
    enabled,
  });
}

export function useAlerts() {
  const { fetch } = useRapport();
  return useQuery({ queryKey: ['data-ops', 'quality-alerts'], queryFn: async () => (await json<{ data: QualityAlert[] }>(await fetch(`${API}/quality-alerts`))).data });
}

export function useObjectList() {
  const { fetch } = useRapport();
  return useQuery({
    queryKey: ['metadata', 'objects'],
    queryFn: async () => (await json<{ data: { name: string; labels: { plural: Text } }[] }>(await fetch('/api/v1/metadata/objects'))).data,
    staleTime: 5 * 60_000,
  });
}

export function useObjectFields(object: string) {
  const { fetch } = useRapport();
  return useQuery({ queryKey: ['metadata', 'object', object], queryFn: async () => json<ObjectFields>(await fetch(`/api/v1/metadata/objects/${object}`)), staleTime: 5 * 60_000 });
}

/** Reloads what a change (a measure, the tracking, an alert) alters. */
export function useQualityRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['data-ops'] });
}
