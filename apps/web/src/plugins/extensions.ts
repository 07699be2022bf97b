import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type components } from '../api/client';
import { keys } from '../api/queries';

export type PluginExtension = components['schemas']['PluginExtension'];

/** The enabled plugins' navigation and web modules, for any signed-in user; refetched when a plugin is enabled or disabled. */
export function useExtensions() {
  return useQuery({ queryKey: keys.extensions, queryFn: async () => (await unwrap(api.GET('/api/v1/ui/extensions'))).plugins, staleTime: 60_000 });
}
