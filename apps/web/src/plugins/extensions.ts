import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api, unwrap, type components } from '../api/client';
import { keys } from '../api/queries';

export type PluginExtension = components['schemas']['PluginExtension'];

/** The enabled plugins' navigation and web modules, for any signed-in user; refetched when a plugin is enabled or disabled. */
export function useExtensions() {
  return useQuery({ queryKey: keys.extensions, queryFn: async () => (await unwrap(api.GET('/api/v1/ui/extensions'))).plugins, staleTime: 60_000 });
}

/**
 * Follows the server's plugin changes (`/api/v1/ui/events`): a plugin enabled, disabled, upgraded or
 * reloaded (`rapport dev`) shows up in open pages, its new web module swapped in, without a reload.
 * Once per shell; the browser reconnects by itself after a network blip or a server restart.
 */
export function useExtensionEvents(): void {
  const client = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/ui/events');
    // A fetch still on its way may have read the plugins before the change, and a first fetch in flight
    // is not fetched again when invalidated: drop it, then ask again.
    const refetch = async () => {
      await client.cancelQueries({ queryKey: keys.extensions });
      await client.invalidateQueries({ queryKey: keys.extensions });
    };
    source.addEventListener('extensions', () => void refetch());
    // Back after a lost connection: what changed meanwhile was not heard.
    source.addEventListener('open', () => void refetch());
    return () => source.close();
  }, [client]);
}
