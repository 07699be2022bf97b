import path from 'node:path';
import type { Database } from '@rapport/db';
import { ACCESS_CHANNEL, AccessResolver } from './access/access-resolver';
import { MemberService } from './access/member-service';
import { RoleService } from './access/role-service';
import { TeamService } from './access/team-service';
import { ShareService } from './records/share-service';
import { ViewService } from './views/view-service';
import { SecretBox } from './identity/secret-box';
import { MfaService } from './identity/mfa-service';
import { PasswordResetService } from './identity/password-reset';
import { SsoService, type SsoOptions } from './identity/sso-service';
import { WorkspaceService } from './identity/workspace-service';
import { NotificationService } from './notifications/notification-service';
import { FileService } from './files/file-service';
import { purgeExpiredTrash, type PurgeReport } from './records/trash-purge';
import { InvitationService } from './access/invitation-service';
import { MailSender, type MailSenderOptions } from './mail/mail-sender';
import { type DispatcherOptions, EventDispatcher } from './events/dispatcher';
import { IDENTITY_CHANNEL, IdentityService } from './identity/identity-service';
import type { ObjectDeclaration } from './metadata/declare';
import type { ObjectDefinition } from './metadata/types';
import type { DeclaredField } from './metadata/declared-fields';
import { METADATA_CHANNEL, MetadataService } from './metadata/metadata-service';
import { MetadataRegistry } from './metadata/registry';
import { coreObjects } from './objects';
import { RecordService } from './records/record-service';

export interface CoreOptions {
  database: Database;
  /** Objects declared in code, beside the core's company and person. */
  declarations?: () => readonly ObjectDeclaration[];
  /** Objects declared by enabled plugins (stored in custom_record). */
  pluginObjects?: () => readonly ObjectDefinition[];
  /** Fields enabled plugins add to other objects (stored in `custom`). */
  pluginFields?: () => readonly DeclaredField[];
  dispatcher?: DispatcherOptions;
  /** SMTP default (RAPPORT_SMTP_URL) and retry policy of the mail sender. */
  mail?: MailSenderOptions;
  /** Where users reach the server: links in emails point there (a function when known only once listening). */
  publicUrl?: string | (() => string);
  /** Where attached files are kept (the data folder's files/). */
  filesDir?: string;
  /** Single sign-on with an OpenID Connect provider. */
  sso?: SsoOptions;
  /** Encrypts the secrets kept in the database (the server's key); a key for this process only if absent. */
  secrets?: SecretBox;
}

export interface Core {
  database: Database;
  registry: MetadataRegistry;
  records: RecordService;
  metadata: MetadataService;
  identity: IdentityService;
  /** Turns an actor into its rights (`await core.access.resolve(actor)`). */
  access: AccessResolver;
  roles: RoleService;
  mfa: MfaService;
  teams: TeamService;
  members: MemberService;
  shares: ShareService;
  views: ViewService;
  events: EventDispatcher;
  mail: MailSender;
  invitations: InvitationService;
  passwordResets: PasswordResetService;
  sso: SsoService;
  workspaces: WorkspaceService;
  notifications: NotificationService;
  files: FileService;
  /** Encrypts secrets kept in the database with the server's key (mail passwords, MFA seeds, plugins' secrets). */
  secrets: SecretBox;
  /**
   * Erases the records in the trash for longer than their workspace's trash period (`trashDays`, 30 by
   * default), and their files' bytes; the server runs it every hour.
   */
  purgeTrash(now?: Date): Promise<PurgeReport>;
  /** Starts listening for metadata changes of other servers, delivering events and sending mail. */
  start(options?: { dispatch?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  const { database } = options;
  const secrets = options.secrets ?? SecretBox.ephemeral();
  const registry = new MetadataRegistry(() => [...coreObjects, ...(options.declarations?.() ?? [])], () => options.pluginObjects?.() ?? [], () => options.pluginFields?.() ?? []);
  const access = new AccessResolver(database);
  const events = new EventDispatcher(database, options.dispatcher);
  const identity = new IdentityService(database, access);
  const records = new RecordService(database, registry, access);
  const mail = new MailSender(database, options.mail, secrets);
  const publicUrl = () => (typeof options.publicUrl === 'function' ? options.publicUrl() : (options.publicUrl ?? 'http://localhost:3000')).replace(/\/$/, '');
  const unlisteners: (() => Promise<void>)[] = [];
  const files = new FileService(database, records, options.filesDir ?? path.resolve('data', 'files'));
  return {
    database,
    registry,
    records,
    metadata: new MetadataService(database, registry, access),
    identity,
    access,
    roles: new RoleService(database, registry, access),
    mfa: new MfaService(database, identity, secrets),
    teams: new TeamService(database, access),
    members: new MemberService(database, access, identity),
    shares: new ShareService(database, registry, access, records),
    views: new ViewService(database, access, records),
    events,
    mail,
    invitations: new InvitationService(database, access, identity, publicUrl),
    passwordResets: new PasswordResetService(database, identity, publicUrl),
    sso: new SsoService(database, identity, access, options.sso, publicUrl),
    workspaces: new WorkspaceService(database),
    notifications: new NotificationService(database, access, records),
    files,
    secrets,
    async purgeTrash(now) {
      const report = await purgeExpiredTrash(database, registry, now);
      files.forget(report.files);
      return report;
    },
    async start(startOptions = {}) {
      unlisteners.push(await database.listen(METADATA_CHANNEL, (workspaceId) => registry.invalidate(workspaceId || undefined)));
      unlisteners.push(await database.listen(IDENTITY_CHANNEL, () => identity.forgetCachedCredentials()));
      unlisteners.push(await database.listen(ACCESS_CHANNEL, () => access.forget()));
      if (startOptions.dispatch !== false) {
        await events.start();
        await mail.start();
      }
    },
    async stop() {
      await events.stop();
      await mail.stop();
      for (const unlisten of unlisteners.splice(0)) await unlisten();
      await records.statistics.idle();
    },
  };
}
