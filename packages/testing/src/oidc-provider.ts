import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Registers the relying party's callback (known once its server listens) and starts answering. */
  serve(redirectUri: string): Promise<void>;
  /**
   * Plays a fresh browser on the provider's side: follows redirects and submits its development
   * login (as `login`) and consent forms, until the provider sends the browser to `until`.
   */
  signIn(authorizationUrl: string, login: string, until: string): Promise<URL>;
  close(): Promise<void>;
}

/** A real OpenID Connect provider (oidc-provider) on a random local port, with made-up accounts. */
export async function startIdentityProvider(accounts: Record<string, { email: string; name: string; emailVerified?: boolean }>): Promise<TestIdentityProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'rapport';
  const clientSecret = 'a-client-secret-for-tests';
  const cookies = new Map<string, string>();
  const remember = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      cookies.set(name!, value.join('='));
    }
  };
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

  return {
    issuer,
    clientId,
    clientSecret,
    async serve(redirectUri) {
      const { default: Provider } = await import('oidc-provider');
      const provider = new Provider(issuer, {
        clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post' }],
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        cookies: { keys: ['test-cookie-key'] },
        features: { devInteractions: { enabled: true } },
        async findAccount(_ctx, id) {
          const account = accounts[id];
          if (!account) return undefined;
          return { accountId: id, claims: async () => ({ sub: id, email: account.email, email_verified: account.emailVerified ?? true, name: account.name }) };
        },
      });
      server.on('request', provider.callback());
    },
    async signIn(authorizationUrl, login, until) {
      cookies.clear(); // a fresh browser: no provider session from an earlier sign-in
      let url = authorizationUrl;
      for (let step = 0; step < 20; step++) {
        if (url.startsWith(until)) return new URL(url);
        const response = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader() } });
        remember(response);
        const location = response.headers.get('location');
        if (location) {
          url = new URL(location, url).href;
          continue;
        }
        const page = await response.text();
        const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
        const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
        if (!prompt || !action) throw new Error(`the provider showed no form at ${url} (${response.status}): ${page.slice(0, 300)}`);
        const form = new URLSearchParams(prompt === 'login' ? { prompt, login, password: 'any' } : { prompt });
        const submitted = await fetch(new URL(action, url), { method: 'POST', redirect: 'manual', headers: { cookie: cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, body: form });
        remember(submitted);
        url = new URL(submitted.headers.get('location')!, url).href;
      }
      throw new Error('the provider did not send the browser back');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
