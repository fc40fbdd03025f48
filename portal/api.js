// The HTTP API (shared/api/openapi.ts) as the portal uses it: configuration,
// the session's token on every request (auth-session.js: sign-in through the
// hosted UI, Cognito in AWS and the local OpenID provider locally) and the routes.

import * as session from './auth-session.js';

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
let onUnauthorized = () => {};

/** `/config.json` beside the portal: `{ auth: 'cognito', apiUrl, cognito: { domain, clientId, tokenUse }, localUsers? }`. */
export async function loadConfig() {
  const response = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store' });
  if (!response.ok) throw new ApiError(`config.json: HTTP ${response.status}`, { status: response.status });
  config = await response.json();
  config.apiUrl = (config.apiUrl ?? '').replace(/\/+$/, '');
  session.useCognito(config.cognito);
  return config;
}

export const getConfig = () => config;
export { getSession, restoreSession, signIn, signOut } from './auth-session.js';
/** Back from the hosted UI: exchanges `?code=` for tokens; true when it signed someone in. */
export { finishSignIn as completeCognitoSignIn } from './auth-session.js';

/** What happens when a session really ends (the API refused it and renewing did not help): app.js shows the sign-in. */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

const apiUrl = (path) => `${config.apiUrl}${path}`;

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

async function send(path, { method, body, auth, accept }) {
  const headers = { accept };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = auth ? await session.currentToken() : undefined;
  if (token) headers.authorization = `Bearer ${token}`;
  try {
    return await fetch(apiUrl(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError('', { status: 0 });
  }
}

/**
 * A JSON request to the API. A 401 renews the tokens and tries once more, so an
 * expired token goes unnoticed; only when that fails has the session ended.
 */
async function request(path, { method = 'GET', body, auth = true, accept = 'application/json' } = {}) {
  const options = { method, body, auth, accept };
  let response = await send(path, options);
  if (response.status === 401 && auth && session.getSession()?.refreshToken) {
    const renewed = await session.renew().then(() => true, () => false);
    if (renewed) response = await send(path, options);
  }
  if (!response.ok) {
    const error = await errorOf(response);
    if (response.status === 401 && auth) {
      session.endSession();
      onUnauthorized(error);
    }
    throw error;
  }
  return accept === 'application/json' ? response.json() : response;
}

const id = (partnership) => encodeURIComponent(partnership);

export const listPartnerships = () => request('/partnerships');
export const getStatement = (partnership, month) => request(`/partnerships/${id(partnership)}/statements/${encodeURIComponent(month)}`);
export const getContract = (partnership) => request(`/partnerships/${id(partnership)}/contract`);
export const runScenario = (partnership, body) => request(`/partnerships/${id(partnership)}/scenarios`, { method: 'POST', body });
export const getReports = (partnership) => request(`/partnerships/${id(partnership)}/reports`);

/** Weekly hours per participant; with `threshold`, who is below it. */
export function getHours(partnership, { threshold } = {}) {
  const query = new URLSearchParams();
  if (threshold !== undefined) query.set('threshold', String(threshold));
  return request(`/partnerships/${id(partnership)}/hours${query.size ? `?${query}` : ''}`);
}

/**
 * A file the API makes (an export), saved by the browser: fetched with the token,
 * named as the API's Content-Disposition says (else the path's last part).
 */
export async function downloadFile(path) {
  const response = await request(path, { accept: '*/*' });
  const blob = await response.blob();
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1];
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = named ?? path.split('?')[0].split('/').pop();
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
