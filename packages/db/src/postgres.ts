import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { type Database, type Db, QueryListeners } from './database';

export interface PostgresOptions {
  url: string;
  /** Connections in the pool. */
  max?: number;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres';
  }
}

/**
 * drizzle runs its queries through `unsafe()` unprepared, which costs postgres.js a second round
 * trip per query (to describe the parameters). Prepared statements are cached per connection by
 * their text, and connections are recycled (max_lifetime), which bounds that cache.
 */
function preparedByDefault(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (query: string, parameters?: unknown[], options?: Record<string, unknown>) =>
          target.unsafe(query, parameters as never, { ...options, prepare: true });
      }
      return Reflect.get(target, property, receiver);
    },
  });
}

export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const client = postgres(options.url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: 'rapport' },
  });
  await client`select 1`;
  const listeners = new QueryListeners();
  const db = drizzle({ client: preparedByDefault(client), logger: listeners.logger }) as unknown as Db;
  return {
    driver: 'postgres',
    db,
    location: redactUrl(options.url),
    onQuery: (listener) => listeners.add(listener),
    listen: async (channel, onNotify) => {
      const subscription = await client.listen(channel, onNotify);
      return () => subscription.unlisten();
    },
    close: () => client.end({ timeout: 5 }),
  };
}
