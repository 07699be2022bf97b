import { useQuery } from '@tanstack/react-query';
import { useRapport } from '@rapport/sdk/web';
import type { ExchangeRate } from '../exchange-rates';
import type { Pipeline } from '../pipelines';

/** An amount in a currency, rounded to whole units, in the reader's language. */
export const money = (locale: string, amountMinor: number, currency: string) => {
  try {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amountMinor / 10 ** digits);
  } catch {
    return `${amountMinor} ${currency}`;
  }
};

/** A problem+json answer as one line: the first field and its rule, or the detail. */
export async function json<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as T & { detail?: string; title?: string; errors?: { field: string; message: string }[] };
  if (!response.ok) throw new Error(body?.errors?.[0] ? `${body.errors[0].field}: ${body.errors[0].message}` : (body?.detail ?? body?.title ?? String(response.status)));
  return body;
}

export interface BoardConfig {
  rottingDays: number;
  pipelines: Pipeline[];
  exchangeRates: ExchangeRate[];
}

export interface StageOption {
  value: string;
  labels: { en: string; fr?: string };
}

type OptionFields = { fields: { name: string; options?: StageOption[] }[] };

/** A select field's options of an object (their names in both languages), from one fetch of its metadata per object. */
export function useFieldOptions(object: string, enabled = true) {
  const { fetch } = useRapport();
  const metadata = useQuery({ queryKey: ['pipeline', 'metadata', object], queryFn: async () => json<OptionFields>(await fetch(`/api/v1/metadata/objects/${object}`)), enabled });
  return { optionsOf: (field: string): StageOption[] => metadata.data?.fields.find((candidate) => candidate.name === field)?.options ?? [], isLoading: metadata.isLoading, error: metadata.error };
}

/** The pipelines, rotting and rates (any reader of deals), and the stage field's options (their names). */
export function useBoardConfig() {
  const { fetch } = useRapport();
  const config = useQuery({ queryKey: ['pipeline', 'board'], queryFn: async () => json<BoardConfig>(await fetch('/api/v1/plugins/pipeline/board')) });
  const opportunity = useFieldOptions('opportunity');
  return { config: config.data, options: opportunity.optionsOf('stage'), isLoading: config.isLoading || opportunity.isLoading, error: config.error ?? opportunity.error };
}

/** Members of the workspace, to show owners by name (and their managers, for the hierarchy's figures). */
export function useMembers() {
  const { fetch } = useRapport();
  return useQuery({ queryKey: ['pipeline', 'users'], queryFn: async () => (await json<{ data: { id: string; name: string; managerId?: string | null }[] }>(await fetch('/api/v1/users'))).data });
}

/** The workspace's currency: the one totals and figures are shown in. */
export function useWorkspaceCurrency(): { currency: string; isLoading: boolean } {
  const { fetch } = useRapport();
  const workspace = useQuery({ queryKey: ['pipeline', 'workspace'], queryFn: async () => (await fetch('/api/v1/settings/workspace')).json() as Promise<{ currency?: string }> });
  return { currency: workspace.data?.currency ?? 'EUR', isLoading: workspace.isLoading };
}
