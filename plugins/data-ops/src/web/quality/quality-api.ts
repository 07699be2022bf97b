import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRapport } from '@rapport/sdk/web';
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

/** The headline metrics, in the order the dashboard shows them. */
export const HEADLINES: { metric: Exclude<MetricName, 'completeness'>; label: Text; hint: Text }[] = [
  { metric: 'duplicates', label: { en: 'Duplicates', fr: 'Doublons' }, hint: { en: 'Records sharing an email, phone or web domain with another', fr: 'Fiches partageant un e-mail, un téléphone ou un domaine avec une autre' } },
  { metric: 'invalidEmails', label: { en: 'Invalid emails', fr: 'E-mails invalides' }, hint: { en: 'Not an email address', fr: 'Pas une adresse e-mail' } },
  { metric: 'invalidPhones', label: { en: 'Invalid phones', fr: 'Téléphones invalides' }, hint: { en: 'Not in international format (E.164)', fr: 'Pas au format international (E.164)' } },
  { metric: 'withoutEmail', label: { en: 'Without email', fr: 'Sans e-mail' }, hint: { en: 'No email address at all', fr: 'Aucune adresse e-mail' } },
  { metric: 'placeholderEmails', label: { en: 'Placeholder emails', fr: 'E-mails factices' }, hint: { en: 'noreply@…, test@…, …@example.com', fr: 'noreply@…, test@…, …@example.com' } },
  { metric: 'inactive', label: { en: 'No activity for 30 days', fr: 'Sans activité depuis 30 jours' }, hint: { en: 'Needs the Activities plugin', fr: 'Nécessite le module Activités' } },
  { metric: 'stale', label: { en: 'Stale', fr: 'Obsolètes' }, hint: { en: 'Not changed for the chosen period', fr: 'Pas modifiées depuis la période choisie' } },
  { metric: 'invalidValues', label: { en: 'Invalid values', fr: 'Valeurs invalides' }, hint: { en: 'Values the fields’ rules refuse today', fr: 'Valeurs que les règles des champs refusent aujourd’hui' } },
];

export const METRIC_LABELS: Record<MetricName, Text> = {
  ...(Object.fromEntries(HEADLINES.map((headline) => [headline.metric, headline.label])) as Record<Exclude<MetricName, 'completeness'>, Text>),
  completeness: { en: 'Completeness of a field', fr: 'Complétude d’un champ' },
};

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
