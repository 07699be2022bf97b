import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, importPluginFolder, type TestHost, type TestUser } from '@rapport/testing';
import { run } from '../src/index';

type Json = any;
const root = fileURLToPath(new URL('../../..', import.meta.url));
const COMMANDS = '/api/v1/plugins/data-ops/commands';

describeDb("plugins' CLI commands: rapport <plugin> <command>, run by the server as the key's user", () => {
  let host: TestHost;
  let rep: TestUser;
  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(root, 'plugins/data-ops'))] });
    await host.enable('data-ops');
    rep = await host.user('sales_rep');
    await host.client.records('person').create({ lastName: 'Admin’s', email: 'twin@commands.test' });
    await host.client.records('person').create({ lastName: 'Twin', email: 'TWIN@commands.test' });
    await rep.client.records('person').create({ lastName: 'Rep’s own' });
  });
  afterAll(() => host?.close());

  const cli = async (args: string[], key = host.apiKey) => {
    let stdout = '';
    let stderr = '';
    const code = await run(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), env: { RAPPORT_URL: host.url, RAPPORT_API_KEY: key } });
    return { code, stdout, stderr };
  };

  it('runs a command with its arguments and options, printing its text or its data as JSON', async () => {
    const text = await cli(['data-ops', 'quality', 'person']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^person: 3 records \(stale: not changed for 180 days\)$/m);
    expect(text.stdout).toMatch(/^ {2}duplicates +2 +66\.7 %$/m);
    const json = await cli(['data-ops', 'quality', 'person', '--json', '--stale-days=30']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ total: 3, duplicates: 2, staleDays: 30 });
  });

  it("acts as the key's user: a rep measures only the records they may read", async () => {
    const mine = await cli(['data-ops', 'quality', 'person', '--json'], rep.token);
    expect(JSON.parse(mine.stdout)).toMatchObject({ total: 1, duplicates: 0 });
  });

  it('lists the commands, and answers a wrong call with one line and a non-zero exit code', async () => {
    const listed = await cli(['data-ops', '--help']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('rapport data-ops quality <object> [--stale-days <value>] [--json]');
    expect((await cli(['data-ops'])).code).toBe(2);
    const cases: [string[], RegExp][] = [
      [['data-ops', 'quality'], /args\.object: is required/],
      [['data-ops', 'quality', 'person', 'extra'], /takes at most 1 argument/],
      [['data-ops', 'quality', 'person', '--nope', 'x'], /options\.nope: is not an option of quality \(--stale-days, --json\)/],
      [['data-ops', 'quality', 'person', '--stale-days'], /--stale-days takes a value/],
      [['data-ops', 'nonsense'], /the plugin data-ops has no command "nonsense": quality/],
      [['no-such-plugin', 'x'], /no enabled plugin "no-such-plugin"/],
      [['data-ops', 'quality', 'nothing'], /nothing/],
    ];
    for (const [args, reason] of cases) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr, args.join(' ')).toMatch(reason);
    }
    // The command's own exit code and message.
    const bad = await cli(['data-ops', 'quality', 'person', '--stale-days', '0']);
    expect(bad).toMatchObject({ code: 2, stdout: '--stale-days must be a whole number of days from 1 to 3650, not 0\n' });
  });

  it('checks the request against the declaration over HTTP too: 422 problems naming the field', async () => {
    const listed = (await (await host.request(COMMANDS)).json()) as Json;
    expect(listed.data.map((command: Json) => command.name)).toEqual(['quality']);
    const post = (body: unknown) => host.request(`${COMMANDS}/quality`, { method: 'POST', json: body });
    for (const [body, field] of [
      [{ args: [] }, 'args.object'],
      [{ args: ['person'], options: { json: 'yes' } }, 'options.json'],
      [{ args: ['person'], options: { 'stale-days': true } }, 'options.stale-days'],
      [{ args: [1] }, 'args'],
      [{ args: ['person'], extra: 1 }, 'extra'],
      ['not an object', 'body'],
    ] as [unknown, string][]) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(((await response.json()) as Json).errors[0].field).toBe(field);
    }
    expect((await host.request(`${COMMANDS}/nope`, { method: 'POST', json: {} })).status).toBe(404);
    const ok = (await (await post({ args: ["person"], options: { json: true } })).json()) as Json;
    expect(ok).toMatchObject({ text: '', exitCode: 0, data: { total: 3 } });
  });
});
