import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '../api/client';
import { keys } from '../api/queries';

export interface NavigationItem {
  id: string;
  label: { en: string; fr?: string };
  path: string;
  icon?: string;
}
export interface PluginExtension {
  id: string;
  version: string;
  name: string;
  navigation: NavigationItem[];
  /** The URL of the plugin's pre-built web module, when it has one. */
  web: string | null;
}

/** The enabled plugins' navigation and web modules, for any signed-in user; refetched when a plugin is enabled or disabled. */
export function useExtensions() {
  return useQuery({
    queryKey: keys.extensions,
    queryFn: async (): Promise<PluginExtension[]> => {
      const response = await apiFetch('/api/v1/ui/extensions');
      if (!response.ok) return [];
      return ((await response.json()) as { plugins: PluginExtension[] }).plugins;
    },
    staleTime: 60_000,
  });
}
