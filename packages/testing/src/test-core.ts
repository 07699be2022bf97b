import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Actor, bootstrap, type Core, type CoreOptions, createCore } from '@rapport/core';
import type { DriverName } from '@rapport/db';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestCore {
  core: Core;
  /** The bootstrap admin, acting as a user. */
  admin: Actor;
  workspaceId: string;
  testDatabase: TestDatabase;
  close(): Promise<void>;
}

/** A core over a fresh database, with its workspace and admin, the dispatcher not started. */
export async function createTestCore(options: { driver?: DriverName } & Omit<CoreOptions, 'database'> = {}): Promise<TestCore> {
  const testDatabase = await createTestDatabase(options.driver);
  const filesDir = options.filesDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-files-'));
  const core = createCore({ ...options, filesDir, database: testDatabase.database });
  const { workspaceId } = await bootstrap(core, { adminEmail: 'admin@example.com', adminPassword: 'correct horse battery' });
  const [user] = await core.identity.listUsers(workspaceId);
  const admin: Actor = { kind: 'user', id: user!.id, userId: user!.id, workspaceId, role: 'admin' };
  return {
    core,
    admin,
    workspaceId,
    testDatabase,
    async close() {
      await core.stop();
      await testDatabase.close();
      if (!options.filesDir) fs.rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
