import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { Configuration } from 'openid-client';
import type { Database } from '@rapport/db';
import { writeAudit } from '../access/access-audit';
import type { AccessResolver } from '../access/access-resolver';
import { newId } from '../ids';
import { ProblemError, problems } from '../problems';
import { appUser, workspaceMember } from '../schema/identity';
import { oidcLogin } from '../schema/mail';
import { workspace } from '../schema/workspace';
import type { IdentityService, SessionInfo } from './identity-service';
import { hashToken } from './secrets';

export interface SsoOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** The role a person gets when they first sign in (just-in-time membership). */
  defaultRole: string;
}

const LOGIN_MINUTES = 10;
const client = () => import('openid-client');

/** Only paths of this server: an attacker's returnTo must not turn sign-in into an open redirect. */
function safeReturnTo(value: string | undefined): string {
  return value && /^\/(?![/\\])/.test(value) ? value.slice(0, 500) : '/';
}

/**
 * Single sign-on with an OpenID Connect provider: authorization code flow with PKCE, state and
 * nonce; the provider's verified email identifies the user, who is created and made a member of
 * the default workspace with the default role on first sign-in.
 */
export class SsoService {
  private configuration: Promise<Configuration> | null = null;

  constructor(
    private readonly database: Database,
    private readonly identity: IdentityService,
    private readonly resolver: AccessResolver,
    private readonly options: SsoOptions | undefined,
    private readonly publicUrl: () => string,
  ) {}

  get enabled(): boolean {
    return Boolean(this.options);
  }

  private get redirectUri(): string {
    return this.publicCallbackBase();
  }

  /** The callback as the provider knows it (the public URL, whatever the proxy in front). */
  publicCallbackBase(): string {
    return `${this.publicUrl()}/api/v1/auth/sso/callback`;
  }

  private async config(): Promise<Configuration> {
    const options = this.settings();
    this.configuration ??= (async () => {
      const oidc = await client();
      const issuer = new URL(options.issuer);
      // Plain HTTP only to a provider on this machine (development, tests); anywhere else, HTTPS.
      const local = issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
      return oidc.discovery(issuer, options.clientId, options.clientSecret, undefined, local ? { execute: [oidc.allowInsecureRequests] } : undefined);
    })().catch((error: unknown) => {
      this.configuration = null;
      throw new ProblemError({ status: 502, slug: 'sso-unavailable', title: 'Single sign-on unavailable', detail: `The identity provider could not be reached: ${(error as Error).message}` });
    });
    return this.configuration;
  }

  private settings(): SsoOptions {
    if (!this.options) throw problems.notFound('Single sign-on is not configured on this server (RAPPORT_OIDC_ISSUER)');
    return this.options;
  }

  /** Where to send the browser: the provider's authorization URL, with this sign-in's checks stored. */
  async start(returnTo?: string): Promise<URL> {
    const config = await this.config();
    const oidc = await client();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    await this.database.db.insert(oidcLogin).values({ stateHash: hashToken(state), codeVerifier, nonce, returnTo: safeReturnTo(returnTo), expiresAt: new Date(Date.now() + LOGIN_MINUTES * 60_000) });
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
  }

  /** The provider sent the browser back: checks everything, finds or creates the user, opens a session. */
  async finish(callbackUrl: URL, context: { ip?: string } = {}): Promise<{ session: { token: string; info: SessionInfo }; returnTo: string }> {
    const options = this.settings();
    const state = callbackUrl.searchParams.get('state');
    const failed = (detail: string) => new ProblemError({ status: 401, slug: 'sso-failed', title: 'Single sign-on failed', detail });
    if (!state) throw failed('The provider did not send the sign-in state back');
    const [login] = await this.database.db
      .delete(oidcLogin)
      .where(and(eq(oidcLogin.stateHash, hashToken(state)), gt(oidcLogin.expiresAt, new Date())))
      .returning();
    if (!login) throw failed('This sign-in expired or was already used: start again');
    const oidc = await client();
    let claims: Record<string, unknown> | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(await this.config(), callbackUrl, { pkceCodeVerifier: login.codeVerifier, expectedState: state, expectedNonce: login.nonce, idTokenExpected: true });
      claims = tokens.claims() as Record<string, unknown> | undefined;
      // Providers that follow the spec strictly put scope claims (email, name) in userinfo only.
      if (claims && typeof claims.email !== 'string') {
        claims = { ...claims, ...(await oidc.fetchUserInfo(await this.config(), tokens.access_token, String(claims.sub))) };
      }
    } catch (error) {
      throw failed(`The provider's answer was refused: ${(error as Error).message}`);
    }
    const email = typeof claims?.email === 'string' ? claims.email.toLowerCase() : null;
    if (!email) throw failed('The provider did not give an email address (scope "email")');
    if (claims?.email_verified === false) throw failed('The provider has not verified this email address');
    const name = typeof claims?.name === 'string' && claims.name.trim() ? claims.name.trim() : email;

    const { user, workspaceId, role } = await this.database.db.transaction(async (tx) => {
      let [user] = await tx.select().from(appUser).where(eq(appUser.email, email));
      if (user?.deactivatedAt) throw problems.forbidden('This account is deactivated');
      if (!user) {
        [user] = await tx.insert(appUser).values({ id: newId(), email, name, passwordHash: null }).returning();
      }
      const [membership] = await tx
        .select()
        .from(workspaceMember)
        .where(and(eq(workspaceMember.userId, user!.id), isNull(workspaceMember.deactivatedAt)))
        .orderBy(asc(workspaceMember.createdAt))
        .limit(1);
      if (membership) return { user: user!, workspaceId: membership.workspaceId, role: membership.role };
      const [deactivated] = await tx.select().from(workspaceMember).where(eq(workspaceMember.userId, user!.id)).limit(1);
      if (deactivated) throw problems.forbidden('This membership is deactivated');
      // Just-in-time membership of the default workspace, with the configured role.
      const [space] = await tx.select({ id: workspace.id }).from(workspace).orderBy(asc(workspace.createdAt)).limit(1);
      if (!space) throw problems.forbidden('There is no workspace to join yet');
      if (!(await this.resolver.roleDefinition(tx, space.id, options.defaultRole))) throw problems.forbidden(`The default SSO role "${options.defaultRole}" does not exist`);
      await tx.insert(workspaceMember).values({ workspaceId: space.id, userId: user!.id, role: options.defaultRole });
      await writeAudit(tx, { workspaceId: space.id, action: 'auth.sso', userId: user!.id, ip: context.ip, detail: { joined: true, role: options.defaultRole, issuer: options.issuer } });
      return { user: user!, workspaceId: space.id, role: options.defaultRole };
    });
    const session = await this.identity.openSession(user, workspaceId, role, { ip: context.ip, method: 'sso' });
    return { session, returnTo: login.returnTo };
  }
}
