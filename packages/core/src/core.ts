import type { Database } from '@rapport/db';
import { type AccessPolicy, allowWorkspaceMembers } from './access/policy';
import { type DispatcherOptions, EventDispatcher } from './events/dispatcher';
import { IDENTITY_CHANNEL, IdentityService } from './identity/identity-service';
import type { ObjectDeclaration } from './metadata/declare';
import { METADATA_CHANNEL, MetadataService } from './metadata/metadata-service';
import { MetadataRegistry } from './metadata/registry';
import { coreObjects } from './objects';
import { RecordService } from './records/record-service';

export interface CoreOptions {
  database: Database;
  /** Objects declared by plugins, beside the core's company and person. */
  declarations?: () => readonly ObjectDeclaration[];
  policy?: AccessPolicy;
  dispatcher?: DispatcherOptions;
}

export interface Core {
  database: Database;
  registry: MetadataRegistry;
  records: RecordService;
  metadata: MetadataService;
  identity: IdentityService;
  events: EventDispatcher;
  /** Starts listening for metadata changes of other servers and delivering events. */
  start(options?: { dispatch?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  const { database } = options;
  const registry = new MetadataRegistry(() => [...coreObjects, ...(options.declarations?.() ?? [])]);
  const policy = options.policy ?? allowWorkspaceMembers;
  const events = new EventDispatcher(database, options.dispatcher);
  const identity = new IdentityService(database);
  const unlisteners: (() => Promise<void>)[] = [];
  return {
    database,
    registry,
    records: new RecordService(database, registry, policy),
    metadata: new MetadataService(database, registry),
    identity,
    events,
    async start(startOptions = {}) {
      unlisteners.push(await database.listen(METADATA_CHANNEL, (workspaceId) => registry.invalidate(workspaceId || undefined)));
      unlisteners.push(await database.listen(IDENTITY_CHANNEL, () => identity.forgetCachedCredentials()));
      if (startOptions.dispatch !== false) await events.start();
    },
    async stop() {
      await events.stop();
      for (const unlisten of unlisteners.splice(0)) await unlisten();
    },
  };
}
