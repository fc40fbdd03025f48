import { z } from 'zod';
import { identifierProblem } from '../identifiers.ts';
import { identifierField } from '../simulation/contract.ts';
import { quoteSafely, safeToRepeat } from '../cpr-numbers.ts';
import { dayNumber, weekIndexOfDay, weekLabel } from '../weeks/iso-week.ts';

/*
 * Reading an API request without trusting it: path parameters, query strings and
 * JSON bodies are checked before any route uses them, and every refusal is a 4xx
 * whose message names the field and never repeats a value that could be a CPR
 * number (spec 2.4). A 5xx is left for bugs.
 */

/** Largest request body (bytes), in the local server and the Lambda handler alike (API Gateway would pass 10 MB). */
export const MAX_BODY_BYTES = 64 * 1024;
/** The answer to a body over MAX_BODY_BYTES (413). */
export const BODY_TOO_LARGE = `the request body is larger than ${MAX_BODY_BYTES / 1024} KiB`;
/** Deepest JSON nesting a body may have: the deepest valid body (a what-if replacing refusion steps) has 4. */
export const MAX_JSON_DEPTH = 16;

/** A refusal with a message a person can act on. */
export class ApiError extends Error {
  readonly status: number;
  readonly problems?: string[];
  readonly headers?: Record<string, string>;
  constructor(status: number, message: string, problems?: string[], headers?: Record<string, string>) {
    super(message);
    this.status = status;
    this.problems = problems;
    this.headers = headers;
  }
}

/** A field path for a message: keys that are not safe to repeat (record keys are user input) are replaced. */
export function fieldPath(path: readonly PropertyKey[], root: string): string {
  if (path.length === 0) return root;
  return path.map((part) => (typeof part === 'string' && !safeToRepeat(part) ? '(a field)' : String(part))).join('.');
}

/** `field: reason` for each zod issue; unknown keys are named only when that is safe. */
export function issueProblems(issues: readonly z.core.$ZodIssue[], root: string): string[] {
  return issues.flatMap((issue) => {
    const where = fieldPath(issue.path, root);
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${where}: unknown field ${quoteSafely(key)}`);
    return [`${where}: ${issue.message}`];
  });
}

/**
 * Nesting depth of JSON text, counted without parsing and given up as soon as it
 * passes `limit` (V8 parses deep JSON fine, but everything that walks the value
 * afterwards recurses).
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** The body (already within MAX_BODY_BYTES) parsed as JSON and checked against a (strict) schema; 400 otherwise. */
export function parseJsonBody<S extends z.ZodType>(schema: S, body: string | undefined): z.infer<S> {
  const text = body === undefined || body.trim() === '' ? '{}' : body;
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw new ApiError(400, `the request body is nested more than ${MAX_JSON_DEPTH} levels deep`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'the request body is not JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(400, 'the request body is not valid', issueProblems(parsed.error.issues, 'body'));
  return parsed.data;
}

/** The query checked against a (strict) schema; 400 naming each bad or unknown parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: Record<string, string | undefined>): z.infer<S> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) throw new ApiError(400, 'the query is not valid', issueProblems(parsed.error.issues, 'query'));
  return parsed.data;
}

/** Path parameters as written in the URL, decoded; a malformed `%` escape is a 400. */
export function decodePathParams(raw: readonly string[]): string[] {
  return raw.map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new ApiError(400, 'the path has a malformed %-escape');
    }
  });
}

/** A partnership id from the path: a 400 naming the rule (never the value) when it is not an identifier. */
export function partnershipParam(id: string): string {
  const problem = identifierProblem('partnership', id);
  if (problem) throw new ApiError(400, `the partnership in the path is not valid: ${problem}`);
  return id;
}

/** `YYYY-MM` months the week arithmetic (monthRange) supports: 1970-01 to 2149-12; a test keeps the two in step. */
export const SUPPORTED_MONTH = /^(19[7-9]\d|20\d\d|21[0-4]\d)-(0[1-9]|1[0-2])$/;
export const supportedMonth = (month: string): boolean => SUPPORTED_MONTH.test(month);
/** An ISO week label `YYYY-Www` as a query value, in the years months are supported (1970–2149). */
export const ISO_WEEK = /^(19[7-9]\d|20\d\d|21[0-4]\d)-W(0[1-9]|[1-4]\d|5[0-3])$/;
/** True for a label that names a week: W53 exists only in long ISO years. */
const namesAWeek = (label: string): boolean => weekLabel(weekIndexOfDay(dayNumber(Number(label.slice(0, 4)), 1, 4)) + Number(label.slice(6)) - 1) === label;
/** Largest monitoring threshold of the hours route: hours in a week. */
export const MAX_THRESHOLD = 168;
/** The hours route's threshold when the query names none. */
export const DEFAULT_THRESHOLD = 15;

/** The refusal for a month that is malformed or outside the supported years. */
export const MONTH_PROBLEM = 'must be a month YYYY-MM from 1970-01 to 2149-12';

/*
 * The schemas requests are validated with. The OpenAPI document (openapi.ts) is
 * generated from them (z.toJSONSchema), so `.meta()` here is what the document
 * says beyond the rules themselves: descriptions, examples, and the shape of a rule
 * that only a refinement checks.
 */

/** A `YYYY-MM` field of a body or query (and, documented alike, of a path). */
export const monthField = z
  .string({ error: MONTH_PROBLEM })
  .regex(SUPPORTED_MONTH, { error: MONTH_PROBLEM })
  .meta({ description: 'YYYY-MM, 1970-01 to 2149-12', examples: ['2022-09'] });

/** What the documents say of an identifier: the rule identifierProblem checks (shared/identifiers.ts). */
export const IDENTIFIER_DOC = {
  pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
  maxLength: 63,
  description: 'An id (spec 2.4): a–z, 0–9 and "-", and no run of 6 or more digits (it could be a CPR number). Anything else is a 400 that does not repeat it.',
};

/** A partnership id (documented: the path parameter checked by partnershipParam with the same rule). */
export const partnershipIdField = identifierField('partnership').meta({ ...IDENTIFIER_DOC, examples: ['koege'] });

/** An ISO week query value. */
export const isoWeekField = z
  .string({ error: 'must be an ISO week YYYY-Www' })
  .regex(ISO_WEEK, { error: 'must be an ISO week YYYY-Www from 1970 to 2149' })
  .refine(namesAWeek, { error: 'names no week: W53 exists only in years with 53 ISO weeks' })
  .meta({ examples: ['2024-W02'] });

/** The weeks of the hours routes: from–to, either end open. */
export const weekRangeQuery = z
  .object({
    from: isoWeekField.optional().meta({ description: 'First week (YYYY-Www), included' }),
    to: isoWeekField.optional().meta({ description: 'Last week (YYYY-Www), included' }),
  })
  .strict();

/** The body of POST /partnerships/{id}/uploads. */
export const uploadBody = z
  .object({
    month: monthField,
    source: identifierField('source').meta({ ...IDENTIFIER_DOC, examples: ['jobvejen'] }),
    format: z.enum(['csv', 'xlsx'], { error: 'must be csv or xlsx' }),
  })
  .strict();

/** A month from the path; 400 otherwise. */
export function monthParam(month: string): string {
  if (!supportedMonth(month)) throw new ApiError(400, `the month in the path ${MONTH_PROBLEM}`);
  return month;
}
