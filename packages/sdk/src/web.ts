import { createContext, createElement, useContext, type ComponentType, type ReactNode } from 'react';
import type { PluginManifest } from './manifest';

export { recordTitle } from './record-title';

/*
 * The web side of a plugin: `defineWeb(manifest, { pages, slots })` in the plugin's `src/web.tsx`,
 * pre-built to an ES module that the shell loads with import(). React, react-dom, TanStack Query and
 * this module are shared with the shell through its import map: a plugin never bundles them.
 */

/** A text in English, optionally French (English is the fallback). */
export interface WebText {
  en: string;
  fr?: string;
}

/** What a plugin page receives: its path under `/p/<plugin>/` and the route's parameters. */
export interface PluginPageProps {
  path: string;
  params: Record<string, string>;
}

/** Record slots (`record.panel/v1`, `record.tab/v1`, `record.action/v1`): the record on screen, as the reader may see it. */
export interface RecordSlotProps {
  object: string;
  recordId: string;
  record: Record<string, unknown>;
}

/** `list.action/v1`: the list's object, the selected records (maybe none), and what the list shows. */
export interface ListActionProps {
  object: string;
  selectedIds: string[];
  /** The list's filter and sort as the records API takes them, and its columns in order. */
  query: { filter?: unknown; sort?: string; columns: string[] };
}

/** `field.renderer/v1`: one value of a field of the declared type. */
export interface FieldRendererProps {
  object: string;
  field: string;
  value: unknown;
}

/** `dashboard.widget/v1` and `settings.page/v1` take no props. */
export type EmptySlotProps = Record<string, never>;

interface Contribution<P> {
  /** Unique within the plugin and the slot. */
  id: string;
  title?: WebText;
  /** Objects it applies to (all if absent). */
  objects?: string[];
  component: ComponentType<P>;
}

/** The versioned extension points of the shell; a new version is a new name, never a changed one. */
export interface WebSlots {
  'record.panel/v1'?: Contribution<RecordSlotProps>[];
  'record.tab/v1'?: Contribution<RecordSlotProps>[];
  'record.action/v1'?: Contribution<RecordSlotProps>[];
  'list.action/v1'?: Contribution<ListActionProps>[];
  'dashboard.widget/v1'?: Contribution<EmptySlotProps>[];
  'settings.page/v1'?: Contribution<EmptySlotProps>[];
  'field.renderer/v1'?: (Contribution<FieldRendererProps> & { fieldType: string })[];
}

export interface PluginWeb {
  id: string;
  /** Sub-path (`''` for the plugin's home) → page; `:name` segments match any one segment, given in `params` (`imports/:id`). */
  pages: Record<string, ComponentType<PluginPageProps>>;
  slots: WebSlots;
}

/**
 * A plugin's web side: `export default defineWeb({ id: 'hello' }, { pages, slots })` in `src/web.tsx`.
 * Give the id rather than importing `./manifest` (which validates with server-side schemas); the shell
 * mounts the module only if the id is the plugin's.
 */
export function defineWeb(manifest: Pick<PluginManifest, 'id'>, definition: { pages?: PluginWeb['pages']; slots?: WebSlots }): PluginWeb {
  return { id: manifest.id, pages: definition.pages ?? {}, slots: definition.slots ?? {} };
}

/** What the shell gives plugin components. */
export interface RapportWeb {
  locale: 'en' | 'fr';
  /** Same-origin fetch with the session and its CSRF header: `fetch('/api/v1/plugins/hello/greetings')`. */
  fetch: (path: string, init?: RequestInit) => Promise<Response>;
  /** A `{ en, fr }` text in the reader's language. */
  t: (text: WebText) => string;
  navigate: (to: string) => void;
  /** Asks the shell to reload the records it shows (after the plugin changed some). */
  refresh: () => void;
  /**
   * A field's value as the shell shows it: days, moments, numbers and money in the reader's language,
   * phones grouped, options by their label, related records by name, a plugin's renderer for its type.
   * `<FieldValue object="person" field="phone" value={record.phone} />`
   */
  FieldValue: ComponentType<{ object: string; field: string; value: unknown }>;
  /** The shell's formatting in the reader's language, for text a plugin writes itself (labels, titles). */
  format: WebFormatters;
}

/** Days, moments, numbers and money (in minor units) as the shell writes them for the reader. */
export interface WebFormatters {
  /** `5 Dec 2026`, `5 déc. 2026` (an ISO day or instant) */
  date(value: string | Date): string;
  dateTime(value: string | Date): string;
  number(value: number): string;
  money(value: { amountMinor: number; currency: string }): string;
  /** `3 minutes ago`, `il y a 3 minutes` */
  relative(value: string | Date, now?: Date): string;
}

const RapportWebContext = createContext<RapportWeb | null>(null);

/** Used by the shell around every plugin component. */
export function RapportWebProvider({ value, children }: { value: RapportWeb; children?: ReactNode }) {
  return createElement(RapportWebContext.Provider, { value }, children);
}

export function useRapport(): RapportWeb {
  const context = useContext(RapportWebContext);
  if (!context) throw new Error('useRapport() is only available in components the Rapport shell renders');
  return context;
}
