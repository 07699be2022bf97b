import { createContext, useContext, useMemo, type ComponentType, type ReactNode } from 'react';
import { usePluginModules } from './plugin-host';

interface Renderer {
  plugin: string;
  fieldType: string;
  objects?: string[];
  component: ComponentType<{ object: string; field: string; value: unknown }>;
}

const RenderersContext = createContext<Renderer[]>([]);

/** Enabled plugins' `field.renderer/v1` contributions, gathered once for every cell and field on screen. */
export function FieldRenderersProvider({ children }: { children: ReactNode }) {
  const modules = usePluginModules();
  const renderers = useMemo(
    () => modules.flatMap(({ plugin, web }) => ((web.slots['field.renderer/v1'] ?? []) as Omit<Renderer, 'plugin'>[]).map((renderer) => ({ ...renderer, plugin: plugin.id }))),
    [modules],
  );
  return <RenderersContext.Provider value={renderers}>{children}</RenderersContext.Provider>;
}

/** The plugin renderer for this field's type on this object, if an enabled plugin brings one. */
export function useFieldRenderer(object: string | undefined, fieldType: string): Renderer | undefined {
  return useContext(RenderersContext).find((renderer) => renderer.fieldType === fieldType && (!renderer.objects || (object !== undefined && renderer.objects.includes(object))));
}
