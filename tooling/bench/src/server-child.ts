import { type SQL, sql } from 'drizzle-orm';
import { rows } from '@rapport/db';
import { createApiKey, loadConfig, startServer } from '@rapport/server';
import type { ChildReply, ChildRequest } from './ipc';

/*
 * The real Rapport server, as `pnpm start` runs it (startServer(loadConfig(env))), in a process of
 * its own so that the load generator does not share its event loop. Configured from the environment
 * the parent passes; answers the parent's requests over IPC (captured SQL, sample queries).
 */

/** A captured statement (`$1`, `$2`… in order, as drizzle numbers them) with its parameters, to run again. */
function withParams(text: string, params: unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  parts.forEach((part, index) => {
    if (index % 2 === 0) chunks.push(sql.raw(part));
    // One parameter each, arrays too (`= any($2::uuid[])`): a bare array in drizzle's sql`` becomes a list.
    else chunks.push(sql`${sql.param(params[Number(part) - 1])}`);
  });
  return sql.join(chunks);
}

/**
 * Record-level rules need owners: the seeded people (all the admin's) are spread evenly over sales
 * reps. A fixture step, done in SQL on this run's copy of the template (the seed itself went
 * through the API); the reps are made through the core like any user.
 */
async function setupReps(running: Awaited<ReturnType<typeof startServer>>, count: number): Promise<{ token: string; owned: number }> {
  const { core } = running;
  const workspace = (await core.identity.defaultWorkspace())!;
  const reps: string[] = [];
  for (let index = 0; index < count; index++) {
    const { user } = await core.identity.createUser(workspace.id, { email: `rep${index}-${Date.now()}@bench.rapport.local`, name: `Rep ${index}`, role: 'sales_rep', password: 'Tuile-Verte-9481-perf' });
    reps.push(user.id);
  }
  await running.database.db.execute(
    sql`update person set owner_id = (${sql.param(reps)}::uuid[])[1 + abs(hashtext(id::text)) % ${count}] where workspace_id = ${workspace.id}`,
  );
  await running.database.db.execute(sql`analyze person`);
  const [{ owned }] = await rows<{ owned: number }>(running.database.db, sql`select count(*)::int as owned from person where owner_id = ${reps[0]} and deleted_at is null`);
  const { token } = await core.identity.createApiKey({ kind: 'user', id: reps[0]!, userId: reps[0]!, workspaceId: workspace.id }, { name: 'bench rep' });
  return { token, owned: owned! };
}

async function main() {
  const running = await startServer(loadConfig(process.env));
  const { token } = await createApiKey(running.core, { name: `bench-${Date.now()}` });
  let captured: { query: string; params: unknown[] }[] | null = null;
  running.database.onQuery((query, params) => {
    if (captured && captured.length < 1000) captured.push({ query, params: [...params] });
  });

  const reply = (message: ChildReply) => process.send!(message);
  process.on('message', async (message: ChildRequest) => {
    try {
      switch (message.type) {
        case 'capture-start':
          captured = [];
          reply({ type: 'ok', id: message.id });
          break;
        case 'capture-stop':
          reply({ type: 'captured', id: message.id, queries: captured ?? [] });
          captured = null;
          break;
        case 'query':
          reply({ type: 'rows', id: message.id, rows: await rows(running.database.db, withParams(message.sql, message.params ?? [])) });
          break;
        case 'setup-reps':
          reply({ type: 'rep', id: message.id, ...(await setupReps(running, message.reps)) });
          break;
        case 'heap':
          (globalThis as { gc?: () => void }).gc?.();
          reply({ type: 'heap', id: message.id, heapMb: Math.round((process.memoryUsage().heapUsed / 1e6) * 10) / 10 });
          break;
        case 'close':
          await running.close();
          process.send!({ type: 'ok', id: message.id } satisfies ChildReply, () => process.exit(0));
          break;
      }
    } catch (error) {
      reply({ type: 'error', id: message.id, message: (error as Error).stack ?? String(error) });
    }
  });
  reply({ type: 'ready', url: running.url, token, pid: process.pid, driver: running.database.driver });
}

main().catch((error: Error) => {
  process.stderr.write(`bench server child: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
