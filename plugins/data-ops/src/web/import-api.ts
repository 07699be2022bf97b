import { useQuery } from '@tanstack/react-query';
import { useRapport } from '@rapport/sdk/web';

type Text = { en: string; fr?: string };

export interface ImportProgress {
  total: number;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  rejected: number;
  rowsPerSecond: number | null;
  etaSeconds: number | null;
}

export interface ImportSettings {
  mapping: (string | null)[];
  rules: Record<string, boolean>;
  defaultCountry: string;
  dateFormat: 'dmy' | 'mdy' | 'ymd';
  timeZone: string;
  currency: string;
  duplicates: { mode: 'skip' | 'update' | 'create'; fuzzy: boolean };
  missingRelations: 'create' | 'leaveEmpty';
  /** Who owns the records the import creates (the importer when absent). */
  ownerId?: string;
}

export interface ImportView {
  id: string;
  object: string;
  fileName: string;
  format: string;
  encoding: string | null;
  delimiter: string | null;
  headers: string[];
  status: 'uploading' | 'ready' | 'running' | 'done' | 'failed' | 'undoing' | 'undone';
  settings: ImportSettings;
  suggestions: { column: number; target: string | null; confidence: number }[];
  targets: { target: string; labels: Text; type: string }[];
  samples: string[][];
  progress: ImportProgress;
  error: string | null;
  createdAt: string;
}

export interface Preview {
  rows: { rowNo: number; values: Record<string, unknown>; errors: { field: string; message: string }[]; duplicate: { recordId: string; score: number; fields: string[] } | null }[];
  failing: { count: number; rows: { rowNo: number; reason: string }[] };
  missingRequired: { field: string; labels: Text }[];
}

export const API = '/api/v1/plugins/data-ops';

/** The body, or an Error with the problem's first field and message (or its detail). */
export async function json<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as (T & { detail?: string; errors?: { field: string; message: string }[] }) | null;
  if (!response.ok) throw new Error(body?.errors?.[0] ? `${body.errors[0].field}: ${body.errors[0].message}` : (body?.detail ?? String(response.status)));
  return body as T;
}

/** An import, polled every second while it runs or is being undone. */
export function useImport(id: string) {
  const { fetch } = useRapport();
  return useQuery({
    queryKey: ['data-ops', 'import', id],
    queryFn: async () => json<ImportView>(await fetch(`${API}/imports/${id}`)),
    refetchInterval: (query) => (query.state.data && ['running', 'undoing', 'uploading'].includes(query.state.data.status) ? 1000 : false),
  });
}
