import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { loadSigningKeys, rotateSigningKeys, type SigningKey } from './oidc-keys.ts';
import { cognitoClaims, findLocalUser, localUsers, signInPage } from './oidc-users.ts';

/*
 * The local stand-in for the Cognito user pool and its hosted UI: oidc-provider
 * on loopback with Cognito's paths (/oauth2/authorize, /oauth2/token,
 * /oauth2/revoke, /logout, /.well-known/jwks.json), one public client doing the
 * authorization code flow with PKCE, RS256 ID and access tokens with Cognito's
 * claims, and refresh tokens that do not rotate (as Cognito's). Nothing here is
 * deployed.
 */

/** The portal's client id (Cognito: the app client's id). */
export const LOCAL_CLIENT_ID = 'pbr-portal';
/**
 * The resource access tokens are for. oidc-provider's JWT access tokens need an
 * `aud`; Cognito's carry none, only `client_id`, which passes API Gateway's
 * audience check. With `aud` = the client id this one passes the local check the
 * same way, so it is `token_use` that refuses an access token at the API.
 */
const LOCAL_API_RESOURCE = 'urn:pbr:api';
const SCOPE = 'openid email profile';

/** Token lifetimes in seconds; Cognito's in infra/api.ts: 1 h ID and access tokens, a 12 h refresh token. */
export interface TokenLifetimes {
  idToken: number;
  refreshToken: number;
}

/** infra/api.ts's lifetimes, or PBR_ID_TOKEN_TTL / PBR_REFRESH_TOKEN_TTL (seconds): short ones let tests see a renewal. */
export function tokenLifetimesFrom(env: NodeJS.ProcessEnv = process.env): TokenLifetimes {
  const seconds = (value: string | undefined, fallback: number) => (value && Number(value) > 0 ? Math.floor(Number(value)) : fallback);
  return { idToken: seconds(env.PBR_ID_TOKEN_TTL, 3600), refreshToken: seconds(env.PBR_REFRESH_TOKEN_TTL, 12 * 3600) };
}

export interface LocalOidcProviderOptions {
  /** Preferred port; a free one when it is taken. */
  port: number;
  /** Where the signing keys are kept (0600). */
  keysFile: string;
  /** The municipalities of the loaded contracts: one user each. */
  municipalities: () => Promise<string[]>;
  lifetimes: TokenLifetimes;
  listen: (server: Server, port: number) => Promise<AddressInfo>;
}

export interface LocalOidcProvider {
  /** `http://127.0.0.1:<port>`: the `iss` of its tokens and the hosted UI's domain. */
  issuer: string;
  clientId: string;
  jwksUri: string;
  /** Registers the portal's origin: redirect and sign-out targets, and CORS. Before any sign-in. */
  trustPortal(origin: string): void;
  /** Signs with a new key from now on; the previous key stays in the JWKS. */
  rotateSigningKey(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the provider; it answers 503 until trustPortal names the portal. */
export async function startLocalOidcProvider(options: LocalOidcProviderOptions): Promise<LocalOidcProvider> {
  let keys: SigningKey[] = await loadSigningKeys(options.keysFile);
  let portal: string | undefined;
  let provider: { instance: Provider; handle: ReturnType<Provider['callback']> } | undefined;
  const server = createServer((request, response) => {
    if (!provider) return void response.writeHead(503).end('the local sign-in is starting');
    route(provider, request, response).catch((error) => {
      process.stderr.write(`local OpenID provider: ${(error as Error).stack ?? error}\n`);
      if (!response.headersSent) response.writeHead(500).end('the local sign-in failed');
    });
  });
  const { port } = await options.listen(server, options.port);
  const issuer = `http://127.0.0.1:${port}`;
  // One in-memory store for every instance (a restart signs everyone out): a rebuilt provider keeps sessions, grants and refresh tokens.
  const adapter = createMemoryAdapter();
  const build = () => {
    const instance = createProvider(issuer, portal!, keys, adapter, options);
    provider = { instance, handle: instance.callback() };
  };
  const rotate = async () => {
    keys = await rotateSigningKeys(options.keysFile, keys);
    build();
  };

  async function route(current: NonNullable<typeof provider>, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', issuer);
    if (url.pathname === '/logout') return cognitoLogout(url, response);
    if (url.pathname.startsWith('/interaction/')) return interaction(current.instance, options.municipalities, request, response);
    // Local only, for tests and operators trying a rotation: `curl -X POST <issuer>/dev/rotate-signing-key`.
    if (request.method === 'POST' && url.pathname === '/dev/rotate-signing-key') return void (await rotate(), response.writeHead(204).end());
    current.handle(request, response);
  }

  return {
    issuer,
    clientId: LOCAL_CLIENT_ID,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    trustPortal(origin) {
      portal = origin;
      build();
    },
    rotateSigningKey: rotate,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function createProvider(issuer: string, portal: string, keys: SigningKey[], adapter: unknown, { municipalities, lifetimes }: LocalOidcProviderOptions): Provider {
  const redirects = [`${portal}/`, `${portal}/index.html`];
  const find = (accountId: string) => findLocalUser(accountId, municipalities);
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: LOCAL_CLIENT_ID,
        token_endpoint_auth_method: 'none', // a public client, like the portal's Cognito app client
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: redirects,
        post_logout_redirect_uris: redirects,
        require_auth_time: true,
      },
    ],
    adapter,
    jwks: { keys },
    scopes: SCOPE.split(' '),
    claims: { openid: ['sub', 'token_use', 'cognito:username', 'cognito:groups', 'custom:municipality'], email: ['email', 'email_verified'], profile: [] },
    conformIdTokenClaims: false, // Cognito's ID token carries the user's attributes in the code flow too
    async findAccount(_ctx: unknown, accountId: string) {
      const user = await find(accountId);
      return user && { accountId: user.accountId, claims: async () => cognitoClaims(user, 'id') };
    },
    async extraTokenClaims(_ctx: unknown, token: { kind: string; accountId?: string }) {
      const user = token.kind === 'AccessToken' && token.accountId ? await find(token.accountId) : undefined;
      return user && cognitoClaims(user, 'access');
    },
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: false, // Cognito's refresh token stays the same until it expires or is revoked
    pkce: { required: () => true },
    clientBasedCORS: (_ctx: unknown, origin: string) => origin === portal,
    features: {
      devInteractions: { enabled: false },
      // Cognito revokes a refresh token only for the client it was issued to.
      revocation: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) => token.clientId === client.clientId },
      rpInitiatedLogout: { enabled: true, logoutSource: confirmLogoutAtOnce },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => LOCAL_API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: SCOPE, audience: LOCAL_CLIENT_ID, accessTokenFormat: 'jwt', accessTokenTTL: lifetimes.idToken, jwt: { sign: { alg: 'RS256' } } }),
      },
    },
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
    routes: { authorization: '/oauth2/authorize', token: '/oauth2/token', revocation: '/oauth2/revoke', userinfo: '/oauth2/userInfo', jwks: '/.well-known/jwks.json', end_session: '/session/end' },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    ttl: { IdToken: lifetimes.idToken, AccessToken: lifetimes.idToken, RefreshToken: lifetimes.refreshToken, Session: lifetimes.refreshToken, Grant: lifetimes.refreshToken, Interaction: 600, AuthorizationCode: 300 },
    cookies: { keys: ['pbr-local-oidc'] },
  });
  return provider;
}

/** Cognito signs out without asking: the provider's logout form is sent at once, ending its session and revoking the grant. */
async function confirmLogoutAtOnce(ctx: { body: string }, form: string): Promise<void> {
  const submit = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
  ctx.body = `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Logger ud</title></head><body>${submit}<script>document.forms[0].submit()</script></body></html>`;
}

/** Cognito's `GET /logout?client_id=…&logout_uri=…`, as the provider's RP-initiated logout. */
function cognitoLogout(url: URL, response: ServerResponse): void {
  const target = new URLSearchParams({ client_id: url.searchParams.get('client_id') ?? '', post_logout_redirect_uri: url.searchParams.get('logout_uri') ?? '' });
  response.writeHead(302, { location: `/session/end?${target}` }).end();
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of request) {
    body += chunk;
    if (body.length > 10_000) break;
  }
  return new URLSearchParams(body);
}

/**
 * The sign-in step. A `login_hint` naming a seeded user (the portal's dev role
 * picker sends one) signs that user in at once; otherwise a page offers every
 * seeded user. Consent is implied: the portal is the pool's own client.
 */
async function interaction(provider: Provider, municipalities: () => Promise<string[]>, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(request, response);
  const chosen = request.method === 'POST' ? (await readForm(request)).get('account') : (details.params.login_hint ?? details.session?.accountId);
  const user = chosen ? await findLocalUser(chosen, municipalities) : undefined;
  if (!user) {
    const page = signInPage(`/interaction/${details.uid}`, await localUsers(municipalities), chosen ? `Ingen lokal bruger hedder "${chosen}".` : undefined);
    return void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
  }
  const grant = new provider.Grant({ accountId: user.accountId, clientId: LOCAL_CLIENT_ID });
  grant.addOIDCScope(SCOPE);
  grant.addResourceScope(LOCAL_API_RESOURCE, SCOPE);
  const grantId = await grant.save();
  await provider.interactionFinished(request, response, { login: { accountId: user.accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
}
