// Cognito's hosted UI as the portal speaks to it: the authorization code flow
// with PKCE, the refresh grant, revocation and logout, on Cognito's paths
// (/oauth2/authorize, /oauth2/token, /oauth2/revoke, /logout). The local stack's
// OpenID provider answers the same paths, so one config shape serves both:
// config.cognito = { domain, clientId, scope?, redirectUri?, logoutUri?, tokenUse: 'id'|'access' }.

const PKCE_KEY = 'pbr.pkce';

const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const endpoint = (cognito, path) => `${cognito.domain.replace(/\/+$/, '')}${path}`;

/** Where the hosted UI sends the browser back: this page, without query or hash. */
export const redirectUriOf = (cognito) => cognito.redirectUri ?? `${location.origin}${location.pathname}`;

/** A refused sign-in or token request, with the OAuth error code (`invalid_grant`: the refresh token is gone). */
export class AuthError extends Error {
  constructor(message, { status = 0, code } = {}) {
    super(message);
    this.name = 'AuthError';
    this.status = status;
    this.code = code;
  }
}

/**
 * Leaves for the hosted UI; the PKCE verifier, the state and the route to come
 * back to wait in sessionStorage. `loginHint` and `prompt` are standard OpenID
 * parameters (the local role picker names its user with them).
 */
export async function startSignIn(cognito, { loginHint, prompt } = {}) {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, hash: location.hash }));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: cognito.clientId,
    redirect_uri: redirectUriOf(cognito),
    scope: cognito.scope ?? 'openid email profile',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  if (loginHint) params.set('login_hint', loginHint);
  if (prompt) params.set('prompt', prompt);
  location.assign(`${endpoint(cognito, '/oauth2/authorize')}?${params}`);
}

async function tokenRequest(cognito, form) {
  let response;
  try {
    response = await fetch(endpoint(cognito, '/oauth2/token'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  } catch {
    throw new AuthError('', { status: 0 });
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new AuthError(body.error_description ?? `HTTP ${response.status}`, { status: response.status, code: body.error });
  return body;
}

/**
 * Back from the hosted UI with `?code=`: checks the state, puts the saved route
 * back in the address bar, and exchanges the code for tokens. Undefined when the
 * address carries no code.
 */
export async function finishSignIn(cognito) {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const failure = params.get('error');
  if (!code && !failure) return undefined;
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null');
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', `${location.pathname}${saved?.hash ?? ''}`);
  if (failure) throw new AuthError(params.get('error_description') ?? failure, { code: failure });
  if (!saved || saved.state !== params.get('state')) throw new AuthError('Sign-in state mismatch; please sign in again.');
  return tokenRequest(cognito, { grant_type: 'authorization_code', client_id: cognito.clientId, code, redirect_uri: redirectUriOf(cognito), code_verifier: saved.verifier });
}

/** New ID and access tokens for a refresh token (Cognito answers no new refresh token). */
export const refreshTokens = (cognito, refreshToken) => tokenRequest(cognito, { grant_type: 'refresh_token', client_id: cognito.clientId, refresh_token: refreshToken });

/** Revokes the refresh token (and the tokens issued with it); sent even while the page leaves. */
export function revoke(cognito, refreshToken) {
  return fetch(endpoint(cognito, '/oauth2/revoke'), { method: 'POST', keepalive: true, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: refreshToken, client_id: cognito.clientId }) }).catch(() => {});
}

/** Cognito's logout: ends the hosted UI's session and comes back to `logoutUri` (this page). */
export const logoutUrl = (cognito) =>
  `${endpoint(cognito, '/logout')}?${new URLSearchParams({ client_id: cognito.clientId, logout_uri: cognito.logoutUri ?? redirectUriOf(cognito) })}`;
