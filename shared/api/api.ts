import { gzipSync } from 'node:zlib';
import type { HoursStore } from '../ingest/ports.ts';
import { reportKey } from '../uploads/report-key.ts';
import type { Logger } from '../logger.ts';
import type { PartnershipStore, PartnershipSummary } from '../partnerships/ports.ts';
import { scrubDigitRuns } from '../cpr-numbers.ts';
import { formatStatementCsv } from '../statements/statement-format.ts';
import type { StatementSummaryReader } from '../statements/statement-summary.ts';
import { callerFromClaims, sameMunicipality, type Caller } from './caller.ts';
import { hoursExportQuery, hoursFile, statementFile, type ExportFormat } from './exports.ts';
import { hoursPage, hoursQuery, weeksWithin, type HoursWindowStore } from './hours-page.ts';
import { monthsPage, partnershipEntries, partnershipsPage, partnershipsQuery, reportsQuery, statementsQuery, versionsPage } from './listings.ts';
import { openApiDocument } from './openapi.ts';
import { ApiError, BODY_TOO_LARGE, decodePathParams, MAX_BODY_BYTES, monthParam, parseJsonBody, parseQuery, partnershipParam, uploadBody } from './request.ts';
import { runScenario, scenarioBody } from './scenario.ts';

/** An HTTP request after authentication (claims verified by API Gateway or the local server). */
export interface ApiRequest {
  method: string;
  path: string;
  query: Record<string, string | undefined>;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  body?: string;
  /** Verified token claims; undefined without a token. */
  claims?: Record<string, unknown>;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** A binary file (XLSX), base64 in `body`: API Gateway and the local server send the bytes. */
  isBase64Encoded?: boolean;
}

export interface ApiDependencies {
  /** The hours, read by month range for the hours route's window. */
  hours: HoursStore & HoursWindowStore;
  /** Partnerships, with the statement summaries the partnership list reads in one query. */
  partnerships: PartnershipStore & StatementSummaryReader;
  /** A presigned PUT for a report key. */
  presignUpload(key: string, contentType: string): Promise<{ url: string; expiresIn: number }>;
  log: Logger;
  now?: () => Date;
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const json = (status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse => ({ status, headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(value) });

const CONTENT_TYPES = { csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

type Handler = (request: ApiRequest, caller: Caller, params: string[], deps: ApiDependencies) => Promise<ApiResponse>;
interface Route {
  method: string;
  pattern: RegExp;
  /** The OpenAPI path, so a test can check both agree. */
  path: string;
  holderOnly?: boolean;
  handle: Handler;
}

/**
 * The partnership if the caller may see it; 404 otherwise, so existence is never
 * revealed. An id that is not an identifier is a 400 that never repeats it.
 */
async function visiblePartnership(caller: Caller, id: string, deps: ApiDependencies): Promise<PartnershipSummary> {
  partnershipParam(id);
  const found = (await deps.partnerships.partnerships()).find((p) => p.partnership === id);
  if (!found || (caller.role === 'municipality' && !sameMunicipality(found.municipality, caller.municipality))) {
    throw new ApiError(404, `no partnership "${id}"`);
  }
  return found;
}

/** The stored statement of a month the caller may see; 404 when there is none (or the partnership is hidden). */
async function storedStatement(caller: Caller, id: string, asOf: string, deps: ApiDependencies) {
  await visiblePartnership(caller, id, deps);
  monthParam(asOf);
  const stored = await deps.partnerships.statement(id, asOf);
  if (!stored) throw new ApiError(404, `no statement for ${id} as of ${asOf}; statements are recalculated on the 1st of each month`);
  return stored;
}

const EXPORTS: ExportFormat[] = ['xlsx', 'csv'];

/** The statement and the weekly hours as files (exports.ts), one route per format, with the access rules of their JSON routes. */
const exportRoutes = EXPORTS.flatMap((format): Route[] => [
  {
    method: 'GET',
    pattern: new RegExp(`^/partnerships/([^/]+)/statements/([^/]+)/export\\.${format}$`),
    path: `/partnerships/{id}/statements/{month}/export.${format}`,
    async handle(_request, caller, [id, asOf], deps) {
      const stored = await storedStatement(caller, id!, asOf!, deps);
      return { status: 200, ...(await statementFile(id!, asOf!, stored, format)) };
    },
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/partnerships/([^/]+)/hours\\.${format}$`),
    path: `/partnerships/{id}/hours.${format}`,
    holderOnly: true,
    async handle(request, caller, [id], deps) {
      await visiblePartnership(caller, id!, deps);
      const range = parseQuery(hoursExportQuery, request.query);
      return { status: 200, ...(await hoursFile(id!, await weeksWithin(id!, range, deps.hours), range, format)) };
    },
  },
]);

const routes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/partnerships$/,
    path: '/partnerships',
    // Searched, sorted and paged, each with its newest statement's headline: two queries whatever the number of partnerships.
    async handle(request, caller, _params, deps) {
      const query = parseQuery(partnershipsQuery, request.query);
      const all = await deps.partnerships.partnerships();
      const visible = all.filter((p) => caller.role === 'holder' || sameMunicipality(p.municipality, caller.municipality));
      return json(200, partnershipsPage(await partnershipEntries(visible, deps.partnerships), query));
    },
  },
  {
    method: 'GET',
    pattern: /^\/partnerships\/([^/]+)\/statements$/,
    path: '/partnerships/{id}/statements',
    async handle(request, caller, [id], deps) {
      const { name, municipality } = await visiblePartnership(caller, id!, deps);
      const { cursor, limit } = parseQuery(statementsQuery, request.query);
      return json(200, { partnership: id, name, municipality, ...monthsPage(await deps.partnerships.statementMonths(id!), cursor, limit) });
    },
  },
  {
    method: 'GET',
    pattern: /^\/partnerships\/([^/]+)\/contract$/,
    path: '/partnerships/{id}/contract',
    // The contract in use beside its statements, so a finance officer reads fee, prices, caps and refusion on the page.
    async handle(_request, caller, [id], deps) {
      await visiblePartnership(caller, id!, deps);
      const [contract, version] = await Promise.all([deps.partnerships.contract(id!), deps.partnerships.currentInput(id!, 'contract')]);
      if (!contract) throw new ApiError(404, `no contract for ${id}`);
      return json(200, { partnership: id, version: version ?? null, contract });
    },
  },
  {
    method: 'GET',
    pattern: /^\/partnerships\/([^/]+)\/statements\/([^/]+)$/,
    path: '/partnerships/{id}/statements/{month}',
    async handle(request, caller, [id, asOf], deps) {
      const stored = await storedStatement(caller, id!, asOf!, deps);
      if (request.headers.accept?.includes('text/csv')) {
        return {
          status: 200,
          headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${id}-${asOf}.csv"` },
          body: formatStatementCsv(stored.statement),
        };
      }
      // The evidence and the efterregulering beside the figures (spec 8); absent on statements stored before them.
      return json(200, { ...stored.statement, manifest: stored.manifest, adjustments: stored.adjustments });
    },
  },
  {
    method: 'GET',
    pattern: /^\/partnerships\/([^/]+)\/hours$/,
    path: '/partnerships/{id}/hours',
    holderOnly: true,
    async handle(request, caller, [id], deps) {
      await visiblePartnership(caller, id!, deps);
      const query = parseQuery(hoursQuery, request.query);
      return json(200, await hoursPage(id!, query, deps.hours, await deps.partnerships.roster(id!)));
    },
  },
  {
    method: 'GET',
    pattern: /^\/partnerships\/([^/]+)\/reports$/,
    path: '/partnerships/{id}/reports',
    async handle(request, caller, [id], deps) {
      await visiblePartnership(caller, id!, deps);
      const query = parseQuery(reportsQuery, request.query);
      const [reports, inputs] = await Promise.all([deps.hours.reportStatuses(id!), deps.partnerships.inputStatuses(id!)]);
      return json(200, { partnership: id, ...versionsPage(reports, inputs, query) });
    },
  },
  {
    method: 'POST',
    pattern: /^\/partnerships\/([^/]+)\/uploads$/,
    path: '/partnerships/{id}/uploads',
    holderOnly: true,
    async handle(request, caller, [id], deps) {
      await visiblePartnership(caller, id!, deps);
      const body = parseJsonBody(uploadBody, request.body);
      const key = reportKey({ partnership: id!, month: body.month, source: body.source }, body.format);
      const contentType = CONTENT_TYPES[body.format];
      const { url, expiresIn } = await deps.presignUpload(key, contentType);
      return json(201, { url, key, method: 'PUT', expiresIn, headers: { 'content-type': contentType } });
    },
  },
  {
    method: 'POST',
    pattern: /^\/partnerships\/([^/]+)\/scenarios$/,
    path: '/partnerships/{id}/scenarios',
    async handle(request, caller, [id], deps) {
      await visiblePartnership(caller, id!, deps);
      const body = parseJsonBody(scenarioBody, request.body);
      return { status: 200, headers: JSON_TYPE, body: await runScenario(id!, body, deps) };
    },
  },
  ...exportRoutes,
];

/** Answers larger than this are gzipped for clients that accept it. */
export const COMPRESS_FROM_BYTES = 32 * 1024;

/**
 * A large answer gzipped (base64, as API Gateway sends binary bodies) when the
 * client accepts gzip, as every browser and fetch does: a 500-participant
 * statement's JSON (1.2 MB, its evidence) or Danish CSV (1.9 MB) travels as a
 * tenth of that, well within Lambda's 6 MB answer, which their plain form also
 * keeps under half of.
 */
function compressed(request: ApiRequest, response: ApiResponse): ApiResponse {
  if (!/\bgzip\b/.test(request.headers['accept-encoding'] ?? '') || response.body.length < COMPRESS_FROM_BYTES) return response;
  const bytes = response.isBase64Encoded ? Buffer.from(response.body, 'base64') : Buffer.from(response.body, 'utf8');
  if (bytes.length < COMPRESS_FROM_BYTES) return response;
  return { ...response, headers: { ...response.headers, 'content-encoding': 'gzip', vary: 'accept-encoding' }, body: gzipSync(bytes).toString('base64'), isBase64Encoded: true };
}

/** Routes as OpenAPI paths with their methods, for the test that keeps the document true. */
export const ROUTES = routes.map(({ method, path, holderOnly }) => ({ method, path, holderOnly: holderOnly ?? false }));

/**
 * Answers one API request: size limit, authentication, then the route's access
 * rule (holder-only routes → 403; partnerships of other municipalities → 404),
 * then the route. Every answer is JSON with a message; bad input is a 4xx that
 * never repeats a value that could be a CPR number, and a 500 means a bug (logged
 * with the route, never the raw path).
 */
export async function handleApiRequest(request: ApiRequest, deps: ApiDependencies): Promise<ApiResponse> {
  let route: Route | undefined;
  try {
    if (request.body !== undefined && Buffer.byteLength(request.body) > MAX_BODY_BYTES) {
      throw new ApiError(413, BODY_TOO_LARGE);
    }
    if (request.method === 'GET' && request.path === '/openapi.json') return json(200, openApiDocument);
    const match = routes.map((candidate) => ({ route: candidate, params: candidate.pattern.exec(request.path) })).find(({ params }) => params);
    if (!match) throw new ApiError(404, 'no such resource (see /openapi.json for the paths of this API)');
    route = match.route;
    if (route.method !== request.method) throw new ApiError(405, `use ${route.method} here`, undefined, { allow: route.method });
    if (!request.claims) throw new ApiError(401, 'sign in: this request needs a bearer token');
    // API Gateway's JWT authorizer checks issuer, audience and expiry but not Cognito's token_use: an access token passes its audience check.
    if (request.claims.token_use !== undefined && request.claims.token_use !== 'id') throw new ApiError(401, 'sign in with an ID token: access tokens are not accepted here');
    const caller = callerFromClaims(request.claims);
    if (!caller) throw new ApiError(403, 'your account has no role in the portal: ask the project holder to add you to the holder or a municipality group');
    if (route.holderOnly && caller.role !== 'holder') throw new ApiError(403, 'only the project holder may do this');
    return compressed(request, await route.handle(request, caller, decodePathParams(match.params!.slice(1)), deps));
  } catch (error) {
    if (error instanceof ApiError) return json(error.status, { message: error.message, ...(error.problems ? { problems: error.problems } : {}) }, error.headers);
    deps.log.error('API request failed', {
      method: request.method,
      route: route?.path ?? '(none)',
      error: scrubDigitRuns(error instanceof Error ? (error.stack ?? error.message) : String(error)),
    });
    return json(500, { message: 'something went wrong on our side; try again, and tell the project holder if it persists' });
  }
}
