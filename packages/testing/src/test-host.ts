import { createClient, type RapportClient } from '@rapport/client';
import type { Actor } from '@rapport/core';
import type { DriverName } from '@rapport/db';
import type { PluginModule } from '@rapport/server';
import { createTestServer, type TestServer } from './test-server';

/** A member of the test workspace with a role of your choice, and their own API key. */
export interface TestUser {
  id: string;
  email: string;
  token: string;
  /** The typed client, acting as this user. */
  client: RapportClient;
  /** fetch as this user (paths under the server, `json` sent as the body). */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

export interface TestHost extends TestServer {
  /** The typed client, acting as the workspace's admin. */
  client: RapportClient;
  /** A new member with this role (`sales_rep`, `read_only`, a role you created…). */
  user(role: string, name?: string): Promise<TestUser>;
  /** Enables a plugin through the API (refusals throw with the server's reason). */
  enable(pluginId: string): Promise<void>;
  disable(pluginId: string): Promise<void>;
}

let users = 0;

/**
 * What a plugin's tests need: a real Rapport server in process on a fresh database (PGlite, or the
 * PostgreSQL server when `db` or the test project says so) with the plugins given, users with chosen
 * roles, and typed clients. Every built-in plugin's tests run on it.
 */
export async function createTestHost(options: { plugins: PluginModule[]; db?: DriverName }): Promise<TestHost> {
  const server = await createTestServer({ plugins: options.plugins, driver: options.db });
  const change = async (pluginId: string, action: 'enable' | 'disable') => {
    const response = await server.request(`/api/v1/plugins/${pluginId}/${action}`, { method: 'POST' });
    if (!response.ok) throw new Error(`${action} ${pluginId}: ${response.status} ${await response.text()}`);
  };
  return {
    ...server,
    client: createClient({ baseUrl: server.url, apiKey: server.apiKey }),
    async user(role, name = `${role} ${++users}`) {
      const email = `user${++users}-${Date.now()}@test.rapport`;
      const { user } = await server.core.identity.createUser(server.admin.workspaceId, { email, name, role, password: 'a long enough password' });
      const actor: Actor = { kind: 'user', id: user.id, userId: user.id, workspaceId: server.admin.workspaceId };
      const { token } = await server.core.identity.createApiKey(actor, { name: `${name} (tests)` });
      return {
        id: user.id,
        email,
        token,
        client: createClient({ baseUrl: server.url, apiKey: token }),
        request: (path, init = {}) => server.request(path, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } }),
      };
    },
    enable: (pluginId) => change(pluginId, 'enable'),
    disable: (pluginId) => change(pluginId, 'disable'),
  };
}
