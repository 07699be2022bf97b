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
    // The planner's default (4) prices a random page read as on a spinning disk: an import's lookup of 500
    // emails in a 100k-row table became a scan of the table (24 ms instead of 3). 1.1 is PostgreSQL's own
    // advice for SSDs and data held in memory, which is where a CRM's working set lives.
    connection: { application_name: 'rapport', random_page_cost: '1.1' },
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
    async executeRaw(text, values) {
      // Statements without parameters may be a script with its own BEGIN/COMMIT: postgres.js allows
      // those only on a connection of their own.
      let result;
      if (!values || values.length === 0) {
        const reserved = await client.reserve();
        try {
          result = await reserved.unsafe(text);
        } finally {
          reserved.release();
        }
      } else {
        // As node-postgres would send them: undefined as null, plain objects as JSON text.
        const prepared = values.map((value) => (value === undefined ? null : value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value) ? JSON.stringify(value) : value));
        result = await client.unsafe(text, prepared as never[]);
      }
      // Several statements answer one result each: the last one is the answer.
      const last = (result.length > 0 && Array.isArray(result[0]) ? result[result.length - 1] : result) as unknown as Record<string, unknown>[] & { count?: number };
      return { rows: [...last], rowCount: last.count ?? last.length };
    },
    close: () => client.end({ timeout: 5 }),
  };
}
