import { ContactGenerator } from './data';
import { json, sleep } from './http';
import type { ServerProcess } from './ipc';

export const BATCH = 1000;

export interface SeedReport {
  people: number;
  companies: number;
  requests: number;
  seconds: number;
  peoplePerSecond: number;
  /** Time the event dispatcher took, after the last batch, to deliver the events the writes left. */
  drainSeconds: number;
  vacuumSeconds: number;
}

const log = (message: string) => process.stdout.write(`  [seed] ${message}\n`);

/**
 * Seeds `people` contacts through the real path: the metadata API adds the indexed custom field
 * `score`, then the batch API (1,000 records a request, `concurrency` requests in flight) creates
 * the companies and the people, with validation, audit, events, search entries and field mirrors.
 */
export async function seedContacts(server: ServerProcess, token: string, people: number, concurrency: number): Promise<SeedReport> {
  const base = `${server.url}/api/v1`;
  const started = performance.now();
  await json(`${base}/metadata/objects/person/fields`, token, {
    method: 'POST',
    body: { name: 'score', type: 'number', labels: { en: 'Score' }, indexed: true },
  });

  const generator = new ContactGenerator();
  const companyCount = Math.max(1, Math.round(people / 20));
  const companies: { id: string; domain: string }[] = [];
  let requests = 1;
  for (let start = 0; start < companyCount; start += BATCH) {
    const records = Array.from({ length: Math.min(BATCH, companyCount - start) }, (_, offset) => generator.company(start + offset));
    const answer = await json<{ data: { id: string; domain: string }[] }>(`${base}/records/company/batch`, token, { method: 'POST', body: { operation: 'create', records } });
    companies.push(...answer.data.map((record) => ({ id: record.id, domain: record.domain })));
    requests++;
  }
  log(`${companyCount} companies in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // Batches are generated in order (the generator is deterministic), sent `concurrency` at a time.
  const batches = Math.ceil(people / BATCH);
  let next = 0;
  let done = 0;
  let lastReport = performance.now();
  const peopleStarted = performance.now();
  const makeBatch = (batch: number) =>
    Array.from({ length: Math.min(BATCH, people - batch * BATCH) }, (_, offset) => {
      const index = batch * BATCH + offset;
      return generator.person(index, index % 7 === 6 ? null : companies[index % companies.length]!);
    });
  const worker = async () => {
    while (next < batches) {
      const batch = next++;
      const records = makeBatch(batch);
      await json(`${base}/records/person/batch`, token, { method: 'POST', body: { operation: 'create', records } });
      requests++;
      done += records.length;
      if (performance.now() - lastReport > 15_000 || done === people) {
        lastReport = performance.now();
        const seconds = (performance.now() - peopleStarted) / 1000;
        log(`${done.toLocaleString('en')} / ${people.toLocaleString('en')} people, ${(done / seconds).toFixed(0)} a second`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  const seconds = (performance.now() - started) / 1000;

  // The writes left one outbox event per record: let the server's dispatcher deliver them (as it
  // would after an import), so that the measurements do not run beside that work.
  const drainStarted = performance.now();
  const deadline = Date.now() + Math.max(600_000, people * 5);
  for (;;) {
    const [row] = await server.query<{ pending: number }>('select count(*)::int as pending from outbox_event where delivered_at is null');
    if (!row || row.pending === 0) break;
    if (Date.now() > deadline) throw new Error(`the dispatcher still has ${row.pending} events to deliver; giving up`);
    log(`waiting for the dispatcher: ${row.pending.toLocaleString('en')} events to deliver`);
    await sleep(row.pending > 5000 ? 10_000 : 1000);
  }
  const drainSeconds = (performance.now() - drainStarted) / 1000;

  // What autovacuum would have done by the time a real install is read from: statistics, visibility map.
  const vacuumStarted = performance.now();
  await server.query('vacuum analyze');
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1000;
  return {
    people,
    companies: companyCount,
    requests,
    seconds: Math.round(seconds * 10) / 10,
    peoplePerSecond: Math.round(people / seconds),
    drainSeconds: Math.round(drainSeconds * 10) / 10,
    vacuumSeconds: Math.round(vacuumSeconds * 10) / 10,
  };
}
