// The signed-in session: the tokens from the hosted UI (Cognito in AWS, the local
// stack's OpenID provider locally), who they say the user is, and a working day
// of silent renewal with the refresh token before the ID token expires.

import * as auth from './auth.js';

const SESSION_KEY = 'pbr.session';
/** Renew this long before expiry (or after four fifths of a shorter lifetime). */
const RENEW_AHEAD_MS = 60_000;

let cognito;
let session;
let renewTimer;
let renewing;
const signedInListeners = [];
const endedListeners = [];

/** The hosted UI's part of config.json; call once the config is loaded. */
export function useCognito(config) {
  cognito = config;
}

export const getSession = () => session;

/** Called with the new session after every sign-in (not after a renewal). */
export const whenSignedIn = (listener) => void signedInListeners.push(listener);
/** Called with the ended session's subject when it ends on its own (not on sign-out). */
export const whenSessionEnds = (listener) => void endedListeners.push(listener);

function decodeClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '=')), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

/** Who the tokens say the user is: project holder, or a municipality user; the refresh token stays when the answer has none. */
function sessionOf(tokens, previous) {
  const token = cognito?.tokenUse === 'access' ? tokens.access_token : tokens.id_token;
  const claims = decodeClaims(token);
  const groups = [].concat(claims['cognito:groups'] ?? []);
  return {
    token,
    refreshToken: tokens.refresh_token ?? previous?.refreshToken,
    subject: claims.sub,
    role: groups.includes('holder') ? 'holder' : 'municipality',
    municipality: claims['custom:municipality'],
    issuedAt: typeof claims.iat === 'number' ? claims.iat * 1000 : Date.now(),
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
  };
}

function keep(next) {
  session = next;
  clearTimeout(renewTimer);
  try {
    if (next) sessionStorage.setItem(SESSION_KEY, JSON.stringify(next));
    else sessionStorage.removeItem(SESSION_KEY);
  } catch {
    /* storage unavailable: the session lasts as long as the page */
  }
  if (next?.refreshToken && next.expiresAt) {
    const ahead = Math.min(RENEW_AHEAD_MS, (next.expiresAt - next.issuedAt) / 5);
    // A failed renewal here is tried again by the next request, which decides whether the session ended.
    renewTimer = setTimeout(() => renew().catch(() => {}), Math.max(0, next.expiresAt - ahead - Date.now()));
  }
}

/** The session kept from an earlier page load: an expired token is fine while a refresh token can renew it. */
export function restoreSession() {
  if (session) return session; // just signed in
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
    keep(saved?.token && (saved.refreshToken || !saved.expiresAt || saved.expiresAt > Date.now()) ? saved : undefined);
  } catch {
    keep(undefined);
  }
  return session;
}

/** Renews the tokens with the refresh token, once however many callers ask at the same time. */
export function renew() {
  if (!session?.refreshToken) return Promise.reject(new auth.AuthError('no refresh token'));
  const from = session;
  renewing ??= auth
    .refreshTokens(cognito, from.refreshToken)
    .then((tokens) => {
      if (session === from) keep(sessionOf(tokens, from));
      return session;
    })
    .finally(() => (renewing = undefined));
  return renewing;
}

/** The token for the next request, renewed first when it is about to expire (a timer may not have run in a background tab). */
export async function currentToken() {
  if (session?.refreshToken && session.expiresAt && session.expiresAt - Date.now() < 10_000) await renew().catch(() => {});
  return session?.token;
}

/** The session is over (the API refused it and renewing failed): forget it, keeping what the user typed (whenSessionEnds). */
export function endSession() {
  const subject = session?.subject;
  keep(undefined);
  for (const listener of endedListeners) listener(subject);
}

/** Leaves for the hosted UI's sign-in; with `loginHint`, the local provider signs that seeded user in at once. */
export function signIn({ loginHint } = {}) {
  if (!cognito?.domain || !cognito.clientId) return Promise.reject(new auth.AuthError('config.json: cognito.domain and cognito.clientId are required'));
  return auth.startSignIn(cognito, loginHint ? { loginHint, prompt: 'login' } : {});
}

/** Back from the hosted UI: true when it signed someone in. */
export async function finishSignIn() {
  if (!cognito) return false;
  const tokens = await auth.finishSignIn(cognito);
  if (!tokens) return false;
  keep(sessionOf(tokens));
  for (const listener of signedInListeners) listener(session);
  return true;
}

/** Sign-out: revokes the refresh token and leaves through the hosted UI's logout, which comes back to the sign-in. */
export function signOut() {
  const ending = session;
  keep(undefined);
  if (!cognito?.domain) return false;
  if (ending?.refreshToken) auth.revoke(cognito, ending.refreshToken);
  location.assign(auth.logoutUrl(cognito));
  return true;
}
