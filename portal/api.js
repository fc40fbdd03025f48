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

/** `path?query` with the parameters that are set. */
function withQuery(path, parameters) {
  const query = new URLSearchParams(Object.entries(parameters).filter(([, value]) => value !== undefined && value !== '').map(([key, value]) => [key, String(value)]));
  return query.size ? `${path}?${query}` : path;
}

/**
 * Every page of a paged route (the API's lists come in pages under 1 MB, each
 * naming the next with `nextCursor`), merged: the list fields (`lists`) joined,
 * the rest from the first page.
 */
async function allPages(path, parameters, lists) {
  const first = await request(withQuery(path, parameters));
  const merged = { ...first };
  let cursor = first.nextCursor;
  while (cursor) {
    const page = await request(withQuery(path, { ...parameters, cursor }));
    for (const list of lists) merged[list] = [...merged[list], ...page[list]];
    cursor = page.nextCursor;
  }
  return { ...merged, nextCursor: null };
}

/** One page of the partnerships: `{ partnerships, total, nextCursor }`, searched (`q`), sorted (`sort`, `order`), from `cursor`. */
export const listPartnerships = ({ q, sort, order, cursor, limit } = {}) => request(withQuery('/partnerships', { q, sort, order, cursor, limit }));
/** Every partnership the user may see, in name order (the drop-downs of the holder's pages: small entries, a few pages at most). */
export const listAllPartnerships = () => allPages('/partnerships', {}, ['partnerships']);
/** A partnership's name, municipality and every statement month. */
export const getStatementMonths = (partnership) => allPages(`/partnerships/${id(partnership)}/statements`, {}, ['months']);
export const getStatement = (partnership, month) => request(`/partnerships/${id(partnership)}/statements/${encodeURIComponent(month)}`);
export const getContract = (partnership) => request(`/partnerships/${id(partnership)}/contract`);
export const runScenario = (partnership, body) => request(`/partnerships/${id(partnership)}/scenarios`, { method: 'POST', body });
/** Every version of the partnership's contracts, rosters and reports; with `month` and `source`, only those reports. */
export const getReports = (partnership, { month, source } = {}) => allPages(`/partnerships/${id(partnership)}/reports`, { month, source }, ['inputs', 'reports']);

/**
 * Weekly hours per participant in the weeks `from`–`to` (without them: the API's
 * default window, the last 13 weeks with reports), with who is below `threshold`,
 * every page of participants merged.
 */
export function getHours(partnership, { threshold, from, to } = {}) {
  return allPages(`/partnerships/${id(partnership)}/hours`, { threshold, from, to }, ['weeks', 'participants', 'roster']);
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
  // only this month's and source's versions: the poll stays one small page however many reports there are
  const before = await getReports(partnership, { month, source });
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
    const { reports } = await getReports(partnership, { month, source });
    const fresh = reports.filter((r) => r.key === grant.key && !seen.has(versionId(r)));
    if (fresh.length) {
      fresh.sort((a, b) => String(b.processedAt).localeCompare(String(a.processedAt)));
      return { key: grant.key, report: fresh[0] };
    }
  }
  return { key: grant.key, report: undefined };
}
