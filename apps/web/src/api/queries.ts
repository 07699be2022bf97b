import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type components } from './client';

export type ObjectDefinition = components['schemas']['ObjectDefinition'];
export type FieldDefinition = components['schemas']['FieldDefinition'];
export type Me = components['schemas']['Me'];
export type ObjectPermissions = Me['permissions']['objects'][string];

export const keys = {
  me: ['me'] as const,
  objects: ['metadata', 'objects'] as const,
  records: (object: string) => ['records', object] as const,
  record: (object: string, id: string) => ['records', object, 'one', id] as const,
  notifications: ['notifications'] as const,
  extensions: ['ui', 'extensions'] as const,
  users: ['users'] as const,
};

export function useMe() {
  return useQuery({ queryKey: keys.me, queryFn: () => unwrap(api.GET('/api/v1/me')), staleTime: 60_000, retry: false });
}

/** The objects of my workspace that my role lets me see, with their fields (hidden ones left out by the server). */
export function useObjects() {
  return useQuery({ queryKey: keys.objects, queryFn: async () => (await unwrap(api.GET('/api/v1/metadata/objects'))).data, staleTime: 5 * 60_000 });
}

export function useObject(name: string): ObjectDefinition | undefined {
  return useObjects().data?.find((object) => object.name === name);
}

export function usePermissions(object: string): ObjectPermissions | undefined {
  return useMe().data?.permissions.objects[object];
}

export function useRefreshMetadata() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: keys.objects }), client.invalidateQueries({ queryKey: keys.me })]);
}

/** Members of my workspace by id: owners and timeline authors are shown by name, not by id. */
export function useUserNames(): (id: unknown) => string | undefined {
  const users = useQuery({ queryKey: keys.users, queryFn: async () => (await unwrap(api.GET('/api/v1/users'))).data, staleTime: 5 * 60_000 });
  return (id) => users.data?.find((user) => user.id === id)?.name;
}
