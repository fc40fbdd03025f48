import { createHash, randomBytes } from 'node:crypto';
import { accountIdOf } from './oidc-users.ts';

/*
 * Signing in without a browser, the way the portal does in one: the
 * authorization code flow with PKCE against the local OpenID provider, naming
 * the seeded user with `login_hint`. `pbr token` and tests get their tokens here,
 * so every token the local API sees comes from the provider.
 */

/** What Cognito's token endpoint answers (the refresh grant answers no new refresh token). */
export interface TokenSet {
  id_token: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: string;
}

/** Where the provider and the portal are: `issuer`, `clientId` and the portal origin (`api`) from stack.json. */
export interface SignInTarget {
  issuer: string;
  clientId: string;
  api: string;
}

/** Follows the provider's redirects by hand, keeping its cookies, until one leads to the portal. */
async function followToPortal(start: string, portal: string): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < 10; hop++) {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (!location && response.ok && new URL(url).pathname.startsWith('/interaction/')) throw new Error('the local provider has no such user');
    if (!location) throw new Error(`the local sign-in stopped at ${new URL(url).pathname} (HTTP ${response.status}): ${(await response.text()).slice(0, 200)}`);
    await response.body?.cancel();
    const next = new URL(location, url);
    if (next.href.startsWith(`${portal}/`)) return next;
    url = next.href;
  }
  throw new Error('the local sign-in redirected too often');
}

/** Posts a form to the provider's token endpoint (`/oauth2/token`, as Cognito's). */
export async function tokenRequest(issuer: string, form: Record<string, string>): Promise<TokenSet> {
  const response = await fetch(`${issuer}/oauth2/token`, { method: 'POST', body: new URLSearchParams(form) });
  const body = (await response.json()) as TokenSet & { error?: string; error_description?: string };
  if (!response.ok) throw new Error(`the token endpoint refused: ${body.error} ${body.error_description ?? ''}`.trim());
  return body as TokenSet;
}

/** Signs the holder, or a municipality's user, in through the provider; resolves to Cognito's token set. */
export async function signInLocally(target: SignInTarget, role: 'holder' | 'municipality', municipality?: string): Promise<TokenSet> {
  if (role === 'municipality' && !municipality) throw new Error('a municipality user needs a municipality');
  const verifier = randomBytes(32).toString('base64url');
  const redirectUri = `${target.api}/`;
  const authorize = new URL(`${target.issuer}/oauth2/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: target.clientId,
    redirect_uri: redirectUri,
    scope: 'openid email profile',
    state: randomBytes(8).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    login_hint: accountIdOf(role, municipality),
  }).toString();
  const back = await followToPortal(authorize.href, target.api);
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`the local sign-in was refused: ${back.searchParams.get('error_description') ?? back.searchParams.get('error') ?? 'no code'}`);
  return tokenRequest(target.issuer, { grant_type: 'authorization_code', client_id: target.clientId, code, redirect_uri: redirectUri, code_verifier: verifier });
}
