// The HTTP API (shared/api/openapi.ts) as the portal uses it: configuration,
// sign-in (dev tokens locally, Cognito's hosted UI in AWS) and the routes.

const TOKEN_KEY = 'pbr.session';

/** An error a person can act on: the API's `{message, problems?}`, or a network failure. */
class ApiError extends Error {
  constructor(message, { status = 0, problems = [] } = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problems = problems;
  }
}

let config;
let session;
let onUnauthorized = () => {};

/** `/config.json` beside the portal: `{ auth: 'dev'|'cognito', apiUrl, cognito? }`. */
export async function loadConfig() {
  const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
  if (!response.ok) throw new ApiError(`config.json: HTTP ${response.status}`, { status: response.status });
  config = await response.json();
  config.apiUrl = (config.apiUrl ?? '').replace(/\/+$/, '');
  return config;
}

export const getConfig = () => config;
export const getSession = () => session;
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

const apiUrl = (path) => `${config.apiUrl}${path}`;

function decodeClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      [...atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '='))].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
    );
    return JSON.parse(json);
  } catch {
    return {};
  }
}

/** Who the token says the caller is: project holder, or a municipality user. */
function sessionFromToken(token, hint = {}) {
  const claims = decodeClaims(token);
  const groups = [].concat(claims['cognito:groups'] ?? []);
  const role = hint.role ?? claims.role ?? claims['custom:role'] ?? (groups.includes('holder') ? 'holder' : 'municipality');
  const municipality = hint.municipality ?? claims.municipality ?? claims['custom:municipality'];
  return { token, role: role === 'holder' ? 'holder' : 'municipality', municipality, expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined };
}

function store(next) {
  session = next;
  try {
    if (next) sessionStorage.setItem(TOKEN_KEY, JSON.stringify(next));
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage unavailable: the session lasts as long as the page */
  }
}

/** The session kept from an earlier page load, unless it has expired. */
export function restoreSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(TOKEN_KEY) ?? 'null');
    if (saved?.token && (!saved.expiresAt || saved.expiresAt > Date.now())) session = saved;
    else store(undefined);
  } catch {
    store(undefined);
  }
  return session;
}

export function signOut() {
  store(undefined);
  if (config?.auth === 'cognito' && config.cognito?.domain) {
    const { domain, clientId } = config.cognito;
    const logoutUri = config.cognito.logoutUri ?? redirectUri();
    location.assign(`${domain.replace(/\/+$/, '')}/logout?client_id=${encodeURIComponent(clientId)}&logout_uri=${encodeURIComponent(logoutUri)}`);
    return true;
  }
  return false;
}

/** Local stack only: `GET /dev/token?role=…`. */
export async function signInDev(role, municipality) {
  const query = role === 'holder' ? 'role=holder' : `role=municipality&municipality=${encodeURIComponent(municipality)}`;
  const body = await request(`/dev/token?${query}`, { auth: false });
  store(sessionFromToken(body.token, { role, municipality: role === 'holder' ? undefined : municipality }));
  return session;
}

// ---- Cognito hosted UI, authorization code with PKCE ----
// config.cognito: { domain: 'https://….auth.eu-north-1.amazoncognito.com', clientId, scope?, redirectUri?, logoutUri?, tokenUse?: 'id'|'access' }

const redirectUri = () => config.cognito?.redirectUri ?? `${location.origin}${location.pathname}`;
const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export async function signInCognito() {
  const { domain, clientId, scope = 'openid email profile' } = config.cognito ?? {};
  if (!domain || !clientId) throw new ApiError('config.json: cognito.domain and cognito.clientId are required');
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem('pbr.pkce', JSON.stringify({ verifier, state, hash: location.hash }));
  const params = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri(), scope, state, code_challenge: challenge, code_challenge_method: 'S256' });
  location.assign(`${domain.replace(/\/+$/, '')}/oauth2/authorize?${params}`);
}

/** On the way back from the hosted UI: exchanges `?code=` for tokens. Returns true when it signed in. */
export async function completeCognitoSignIn() {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (config?.auth !== 'cognito' || !code) return false;
  const saved = JSON.parse(sessionStorage.getItem('pbr.pkce') ?? 'null');
  sessionStorage.removeItem('pbr.pkce');
  history.replaceState(null, '', `${location.pathname}${saved?.hash ?? ''}`);
  if (!saved || saved.state !== params.get('state')) throw new ApiError('Sign-in state mismatch; please sign in again.');
  const { domain, clientId, tokenUse = 'id' } = config.cognito;
  const response = await fetch(`${domain.replace(/\/+$/, '')}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: redirectUri(), code_verifier: saved.verifier }),
  });
  if (!response.ok) throw new ApiError(`Sign-in failed (HTTP ${response.status}).`, { status: response.status });
  const tokens = await response.json();
  store(sessionFromToken(tokenUse === 'access' ? tokens.access_token : tokens.id_token));
  return true;
}

// ---- requests ----

async function errorOf(response) {
  let body;
  try {
    body = await response.json();
  } catch {
    /* not JSON */
  }
  const message = typeof body?.message === 'string' ? body.message : `HTTP ${response.status}`;
  return new ApiError(message, { status: response.status, problems: Array.isArray(body?.problems) ? body.problems : [] });
}

/** A JSON request to the API; 401 signs the user out (expired or forged token). */
async function request(path, { method = 'GET', body, auth = true, accept = 'application/json' } = {}) {
  const headers = { accept };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (auth && session?.token) headers.authorization = `Bearer ${session.token}`;
  let response;
  try {
    response = await fetch(apiUrl(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError('', { status: 0 });
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && auth) {
      store(undefined);
      onUnauthorized(error);
    }
    throw error;
  }
  return accept === 'application/json' ? response.json() : response;
}

const id = (partnership) => encodeURIComponent(partnership);

export const listPartnerships = () => request('/partnerships');
export const getStatement = (partnership, month) => request(`/partnerships/${id(partnership)}/statements/${encodeURIComponent(month)}`);
export const runScenario = (partnership, body) => request(`/partnerships/${id(partnership)}/scenarios`, { method: 'POST', body });
export const getReports = (partnership) => request(`/partnerships/${id(partnership)}/reports`);

/** Weekly hours per participant; with `threshold`, who is below it. */
export function getHours(partnership, { threshold } = {}) {
  const query = new URLSearchParams();
  if (threshold !== undefined) query.set('threshold', String(threshold));
  return request(`/partnerships/${id(partnership)}/hours${query.size ? `?${query}` : ''}`);
}

/** The statement as CSV (`Accept: text/csv`), saved by the browser as a file. */
export async function downloadStatementCsv(partnership, month) {
  const response = await request(`/partnerships/${id(partnership)}/statements/${encodeURIComponent(month)}`, { accept: 'text/csv' });
  const blob = await response.blob();
  const url = URL.createObjectURL(blob.type ? blob : new Blob([blob], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `opgoerelse-${partnership}-${month}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const versionId = (report) => report.sequencer ?? report.versionId ?? `${report.processedAt}|${report.rows}|${report.outcome}`;

/**
 * Uploads a timesheet: asks for a presigned PUT, sends the file, then polls the
 * reports until a new version of that key has been processed, and returns it.
 */
export async function uploadTimesheet({ partnership, month, source, file }, { onStep = () => {}, timeoutMs = 90_000, intervalMs = 1000 } = {}) {
  const format = /\.xlsx$/i.test(file.name) ? 'xlsx' : 'csv';
  onStep('request');
  const before = await getReports(partnership);
  const grant = await request(`/partnerships/${id(partnership)}/uploads`, { method: 'POST', body: { month, source, format } });
  const seen = new Set(before.reports.filter((r) => r.key === grant.key).map(versionId));
  onStep('put');
  let put;
  try {
    put = await fetch(grant.url, { method: grant.method ?? 'PUT', headers: grant.headers ?? {}, body: file });
  } catch {
    throw new ApiError('', { status: 0 });
  }
  if (!put.ok) {
    const error = new ApiError('', { status: put.status });
    error.kind = 'put';
    throw error;
  }
  onStep('wait');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const { reports } = await getReports(partnership);
    const fresh = reports.filter((r) => r.key === grant.key && !seen.has(versionId(r)));
    if (fresh.length) {
      fresh.sort((a, b) => String(b.processedAt).localeCompare(String(a.processedAt)));
      return { key: grant.key, report: fresh[0], reports };
    }
  }
  return { key: grant.key, report: undefined };
}
