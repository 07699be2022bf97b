import type { MetricName } from './metrics';

type Text = { en: string; fr: string };
export type HeadlineMetric = Exclude<MetricName, 'completeness'>;

/** The headline figures, in the order the dashboard, the chart and the CLI show them. */
export const HEADLINE_METRICS: HeadlineMetric[] = ['duplicates', 'invalidEmails', 'invalidPhones', 'withoutEmail', 'placeholderEmails', 'inactive', 'stale', 'invalidValues'];

/** Each metric's name, for the dashboard, the alerts' notifications and the CLI alike. */
export const METRIC_LABELS: Record<MetricName, Text> = {
  duplicates: { en: 'Duplicates', fr: 'Doublons' },
  invalidEmails: { en: 'Invalid emails', fr: 'E-mails invalides' },
  invalidPhones: { en: 'Invalid phones', fr: 'Téléphones invalides' },
  withoutEmail: { en: 'Without email', fr: 'Sans e-mail' },
  placeholderEmails: { en: 'Placeholder emails', fr: 'E-mails factices' },
  inactive: { en: 'No activity for 30 days', fr: 'Sans activité depuis 30 jours' },
  stale: { en: 'Stale records', fr: 'Fiches obsolètes' },
  invalidValues: { en: 'Invalid values', fr: 'Valeurs invalides' },
  completeness: { en: 'Completeness', fr: 'Complétude' },
};

/** What each headline counts, in a sentence. */
export const METRIC_HINTS: Record<HeadlineMetric, Text> = {
  duplicates: { en: 'Records sharing an email, phone or web domain with another', fr: 'Fiches partageant un e-mail, un téléphone ou un domaine avec une autre' },
  invalidEmails: { en: 'Not an email address', fr: 'Pas une adresse e-mail' },
  invalidPhones: { en: 'Not in international format (E.164)', fr: 'Pas au format international (E.164)' },
  withoutEmail: { en: 'No email address at all', fr: 'Aucune adresse e-mail' },
  placeholderEmails: { en: 'noreply@…, test@…, …@example.com', fr: 'noreply@…, test@…, …@example.com' },
  inactive: { en: 'Needs the Activities plugin', fr: 'Nécessite le module Activités' },
  stale: { en: 'Not changed for the chosen period', fr: 'Pas modifiées depuis la période choisie' },
  invalidValues: { en: 'Values the fields’ rules refuse today', fr: 'Valeurs que les règles des champs refusent aujourd’hui' },
};
