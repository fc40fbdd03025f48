import { z } from 'zod';
import type { HoursStore } from '../ingest/ports.ts';
import { reportKey } from '../ingest/report-key.ts';
import type { Logger } from '../logger.ts';
import type { PartnershipStore, PartnershipSummary } from '../partnerships/ports.ts';
import { applyOverrides, ContractError, parseContract } from '../simulation/contract.ts';
import { simulate } from '../simulation/simulate.ts';
import { formatStatementCsv } from '../simulation/statement-format.ts';
import { statementInput } from '../statements/recalculate-statement.ts';
import { previousMonth } from '../statements/schedule.ts';
import { ACTIVITIES } from '../timesheets/vocabulary.ts';
import { MONTH_LABEL } from '../weeks/iso-week.ts';
import { activeCentiHours, paidCentiHours, type WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import { callerFromClaims, sameMunicipality, type Caller } from './caller.ts';
import { openApiDocument } from './openapi.ts';

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
}

export interface ApiDependencies {
  hours: HoursStore;
  partnerships: PartnershipStore;
  /** A presigned PUT for a report key. */
  presignUpload(key: string, contentType: string): Promise<{ url: string; expiresIn: number }>;
  log: Logger;
  now?: () => Date;
}

/** A refusal with a message a person can act on. */
export class ApiError extends Error {
  readonly status: number;
  readonly problems?: string[];
  constructor(status: number, message: string, problems?: string[]) {
    super(message);
    this.status = status;
    this.problems = problems;
  }
}

const json = (status: number, value: unknown): ApiResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(value),
});

export const DEFAULT_THRESHOLD = 15;
const MAX_RUNS = 5000;
const month = z.string().regex(MONTH_LABEL, { error: 'must be a month YYYY-MM' });
const CONTENT_TYPES = { csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

function parseBody<S extends z.ZodType>(schema: S, body: string | undefined): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(body || '{}');
  } catch {
    throw new ApiError(400, 'the request body is not JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ApiError(400, 'the request body is not valid', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`));
  }
  return parsed.data;
}

type Handler = (request: ApiRequest, caller: Caller, params: string[], deps: ApiDependencies) => Promise<ApiResponse>;
interface Route {
  method: string;
  pattern: RegExp;
  /** The OpenAPI path, so a test can check both agree. */
  path: string;
  holderOnly?: boolean;
  handle: Handler;
}

/** The partnership if the caller may see it; 404 otherwise, so existence is never revealed. */
async function visiblePartnership(caller: Caller, id: string, deps: ApiDependencies): Promise<PartnershipSummary> {
  const found = (await deps.partnerships.partnerships()).find((p) => p.partnership === id);
  if (!found || (caller.role === 'municipality' && !sameMunicipality(found.municipality, caller.municipality))) {
    throw new ApiError(404, `no partnership "${id}"`);
  }
  return found;
}

const hours = (centi: number) => centi / 100;

/** Weekly hours with the monitoring flag of the source programme: too few active hours lately. */
function hoursView(weeks: WeeklyHours[], threshold: number) {
  const rows = weeks.map((w) => ({
    participant: w.participant,
    week: w.week,
    activeHours: hours(activeCentiHours(w)),
    paidHours: hours(paidCentiHours(w)),
    hours: Object.fromEntries(ACTIVITIES.map((a, i) => [a, hours(w.centiHours[i]!)])),
    estimated: w.estimated,
  }));
  const byParticipant = new Map<string, typeof rows>();
  for (const row of rows) byParticipant.set(row.participant, [...(byParticipant.get(row.participant) ?? []), row]);
  const participants = [...byParticipant].map(([participant, list]) => {
    const lastWeeks = list.filter((r) => Object.values(r.hours).some((h) => h > 0)).slice(-2).map(({ week, activeHours }) => ({ week, activeHours }));
    return { participant, lastWeeks, belowThreshold: lastWeeks.length > 0 && lastWeeks.every((w) => w.activeHours < threshold) };
  });
  return { weeks: rows, participants };
}

const routes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/partnerships$/,
    path: '/partnerships',
    async handle(_request, caller, _params, deps) {
      const all = await deps.partnerships.partnerships();
      const visible = all.filter((p) => caller.role === 'holder' || sameMunicipality(p.municipality, caller.municipality));
      const partnerships = await Promise.all(visible.map(async (p) => ({ ...p, statementMonths: await deps.partnerships.statementMonths(p.partnership) })));
      return json(200, { partnerships: partnerships.sort((a, b) => a.partnership.localeCompare(b.partnership)) });
    },
  },
  {
    method: 'GET',
    pattern: /^\/partnerships\/([^/]+)\/statements$/,
    path: '/partnerships/{id}/statements',
    async handle(_request, caller, [id], deps) {
      await visiblePartnership(caller, id!, deps);
      return json(200, { partnership: id, months: await deps.partnerships.statementMonths(id!) });
    },
  },
  {
    method: 'GET',
    pattern: /^\/partnerships\/([^/]+)\/statements\/([^/]+)$/,
    path: '/partnerships/{id}/statements/{month}',
    async handle(request, caller, [id, asOf], deps) {
      await visiblePartnership(caller, id!, deps);
      const stored = await deps.partnerships.statement(id!, asOf!);
      if (!stored) throw new ApiError(404, `no statement for ${id} as of ${asOf}; statements are recalculated on the 1st of each month`);
      if (request.headers.accept?.includes('text/csv')) {
        return {
          status: 200,
          headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${id}-${asOf}.csv"` },
          body: formatStatementCsv(stored.statement),
        };
      }
      return json(200, stored.statement);
    },
  },
  {
    method: 'GET',
    pattern: /^\/partnerships\/([^/]+)\/hours$/,
    path: '/partnerships/{id}/hours',
    holderOnly: true,
    async handle(request, caller, [id], deps) {
      await visiblePartnership(caller, id!, deps);
      const query = z
        .object({
          from: z.string().regex(/^\d{4}-W\d{2}$/, { error: 'must be an ISO week YYYY-Www' }).optional(),
          to: z.string().regex(/^\d{4}-W\d{2}$/, { error: 'must be an ISO week YYYY-Www' }).optional(),
          threshold: z.coerce.number({ error: 'must be a number' }).nonnegative({ error: 'must not be negative' }).default(DEFAULT_THRESHOLD),
        })
        .safeParse(request.query);
      if (!query.success) throw new ApiError(400, 'invalid query', query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
      const { from, to, threshold } = query.data;
      const weeks = (await deps.hours.weeklyHours(id!)).filter((w) => (!from || w.week >= from) && (!to || w.week <= to));
      return json(200, { partnership: id, threshold, from: from ?? null, to: to ?? null, ...hoursView(weeks, threshold) });
    },
  },
  {
    method: 'GET',
    pattern: /^\/partnerships\/([^/]+)\/reports$/,
    path: '/partnerships/{id}/reports',
    async handle(_request, caller, [id], deps) {
      await visiblePartnership(caller, id!, deps);
      const [reports, inputs] = await Promise.all([deps.hours.reportStatuses(id!), deps.partnerships.inputStatuses(id!)]);
      return json(200, { partnership: id, reports, inputs });
    },
  },
  {
    method: 'POST',
    pattern: /^\/partnerships\/([^/]+)\/uploads$/,
    path: '/partnerships/{id}/uploads',
    holderOnly: true,
    async handle(request, caller, [id], deps) {
      await visiblePartnership(caller, id!, deps);
      const body = parseBody(z.object({ month, source: z.string().min(1, { error: 'must not be empty' }), format: z.enum(['csv', 'xlsx'], { error: 'must be csv or xlsx' }) }), request.body);
      let key: string;
      try {
        key = reportKey({ partnership: id!, month: body.month, source: body.source }, body.format);
      } catch (error) {
        throw new ApiError(400, (error as Error).message);
      }
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
      const body = parseBody(
        z.object({
          asOf: month.optional(),
          set: z.record(z.string(), z.unknown()).default({}),
          runs: z.number().int().min(0).max(MAX_RUNS, { error: `at most ${MAX_RUNS}` }).default(1000),
          seed: z.number().int().min(0).default(1),
        }),
        request.body,
      );
      const stored = await deps.partnerships.contract(id!);
      if (!stored) throw new ApiError(404, `partnership "${id}" has no valid contract`);
      let contract;
      try {
        contract = parseContract(applyOverrides(stored, Object.entries(body.set).map(([path, value]) => `${path}=${JSON.stringify(value)}`)), 'scenario');
      } catch (error) {
        if (error instanceof ContractError) throw new ApiError(400, 'the scenario makes the contract invalid', error.problems);
        throw error;
      }
      const asOf = body.asOf ?? (await deps.partnerships.statementMonths(id!)).at(-1) ?? previousMonth(deps.now?.() ?? new Date());
      const statement = simulate(await statementInput(id!, contract, asOf, deps), { runs: body.runs, seed: body.seed });
      return json(200, statement);
    },
  },
];

/** Routes as OpenAPI paths with their methods, for the test that keeps the document true. */
export const ROUTES = routes.map(({ method, path, holderOnly }) => ({ method, path, holderOnly: holderOnly ?? false }));

/**
 * Answers one API request: authentication, then the route's access rule
 * (holder-only routes → 403; partnerships of other municipalities → 404), then
 * the route. Every error is JSON with a message.
 */
export async function handleApiRequest(request: ApiRequest, deps: ApiDependencies): Promise<ApiResponse> {
  try {
    if (request.method === 'GET' && request.path === '/openapi.json') return json(200, openApiDocument);
    const match = routes.map((route) => ({ route, params: route.pattern.exec(request.path) })).find(({ params }) => params);
    if (!match) throw new ApiError(404, `no such resource: ${request.method} ${request.path} (see /openapi.json)`);
    const { route, params } = match;
    if (route.method !== request.method) throw new ApiError(405, `${request.method} is not allowed here; use ${route.method}`);
    if (!request.claims) throw new ApiError(401, 'sign in: this request needs a bearer token');
    const caller = callerFromClaims(request.claims);
    if (!caller) throw new ApiError(403, 'your account has no role in the portal: ask the project holder to add you to the holder or a municipality group');
    if (route.holderOnly && caller.role !== 'holder') throw new ApiError(403, 'only the project holder may do this');
    return await route.handle(request, caller, params!.slice(1).map(decodeURIComponent), deps);
  } catch (error) {
    if (error instanceof ApiError) return json(error.status, { message: error.message, ...(error.problems ? { problems: error.problems } : {}) });
    deps.log.error('API request failed', { method: request.method, path: request.path, error: String(error) });
    return json(500, { message: 'something went wrong on our side; try again, and tell the project holder if it persists' });
  }
}
