import { MAX_AMOUNT } from '../simulation/contract.ts';
import { ISO_WEEK, MAX_BODY_BYTES, MAX_JSON_DEPTH, MAX_THRESHOLD, SUPPORTED_MONTH } from './request.ts';
import { DATE_MARGIN_YEARS, DEFAULT_RUNS, MAX_OUTCOME_PAYMENTS, MAX_OVERRIDES, MAX_RESPONSE_BYTES, MAX_RUNS, MAX_SCENARIO_WORK, MAX_SEED, OVERRIDE_PATH } from './scenario.ts';

/**
 * The HTTP API's contract (OpenAPI 3.1), served at /openapi.json, with every
 * limit the API enforces (lengths, patterns, ranges, body size, the what-if
 * budget). A test walks every route the router knows and every path here, so the
 * two cannot drift; the API fuzz test generates its requests from this document.
 */
const error = { $ref: '#/components/responses/Error' };
/** Answers every operation may give to bad input besides its own. */
const refusals = { 400: error, 401: error, 404: error };
const identifier = {
  type: 'string',
  pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
  maxLength: 63,
  description: 'An id (spec 2.4): a–z, 0–9 and "-", and no run of 6 or more digits (it could be a CPR number). Anything else is a 400 that does not repeat it.',
};
const partnershipId = { name: 'id', in: 'path', required: true, schema: { ...identifier, examples: ['koege'] }, description: 'Partnership id, e.g. koege' };
const month = { type: 'string', pattern: SUPPORTED_MONTH.source, description: 'YYYY-MM, 1970-01 to 2149-12', examples: ['2022-09'] };
const isoWeek = { type: 'string', pattern: ISO_WEEK.source, examples: ['2024-W02'] };
const figures = {
  type: 'object',
  required: ['outcomePayments', 'grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'net'],
  properties: Object.fromEntries(['outcomePayments', 'grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'net'].map((k) => [k, { type: 'number', description: 'DKK, to the øre' }])),
};
const band = { type: 'object', required: ['p10', 'p50', 'p90'], properties: { p10: { type: 'number' }, p50: { type: 'number' }, p90: { type: 'number' } } };
const secured = { security: [{ bearer: [] }] };

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'PbR partnerships API',
    version: '1.0.0',
    description:
      'Simulated payment-by-results statements, weekly hours and timesheet uploads for Danish employment partnerships. ' +
      'A municipality user sees only its own municipality\'s partnerships (taken from the token, never the URL); other partnerships answer 404, exactly like partnerships that do not exist. ' +
      'Routes for the project holder only answer 403 to municipality users. A missing, expired or forged token gets 401. ' +
      `Limits: a request body of at most ${MAX_BODY_BYTES / 1024} KiB (413 otherwise), JSON nested at most ${MAX_JSON_DEPTH} levels, no unknown fields (400 naming the field). ` +
      `A what-if may move the contract dates at most ${DATE_MARGIN_YEARS} years beyond the stored contract's and ask for at most ${MAX_RUNS} runs; its work (participants × (weeks evaluated + runs × weeks projected) × (outcomes + 1)) ` +
      `must stay within ${MAX_SCENARIO_WORK / 1e6} million steps (a few seconds of CPU), its statement within ${MAX_OUTCOME_PAYMENTS} outcome payments and ${MAX_RESPONSE_BYTES / 1024 / 1024} MB, or it is refused with 422 saying what to change. ` +
      'Bad input is always a 4xx with a JSON message, never repeating a value that could be a CPR number.',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    responses: {
      Error: {
        description: 'An error a person can act on: `message`, and `problems` as `field: reason` where there are several',
        content: { 'application/json': { schema: { type: 'object', required: ['message'], properties: { message: { type: 'string' }, problems: { type: 'array', items: { type: 'string' } } } } } },
      },
    },
    schemas: {
      Figures: figures,
      Band: band,
      Partnership: {
        type: 'object',
        required: ['partnership', 'name', 'municipality', 'statementMonths'],
        properties: { partnership: { type: 'string' }, name: { type: 'string' }, municipality: { type: 'string' }, statementMonths: { type: 'array', items: month } },
      },
      Projection: {
        type: 'object',
        required: ['runs', 'seed', 'until', 'outcomePayments', 'municipalSavings', 'net', 'probabilityNetNonNegative'],
        properties: {
          runs: { type: 'integer' },
          seed: { type: 'integer' },
          until: { type: 'string', description: 'ISO week of the contract end' },
          outcomePayments: { $ref: '#/components/schemas/Band' },
          municipalSavings: { $ref: '#/components/schemas/Band' },
          net: { $ref: '#/components/schemas/Band' },
          probabilityNetNonNegative: { type: 'number' },
          byMonth: {
            type: 'array',
            description: 'The same bands at the end of every projected month (cumulative)',
            items: {
              type: 'object',
              required: ['month', 'outcomePayments', 'municipalSavings', 'net'],
              properties: { month, outcomePayments: { $ref: '#/components/schemas/Band' }, municipalSavings: { $ref: '#/components/schemas/Band' }, net: { $ref: '#/components/schemas/Band' } },
            },
          },
        },
      },
      Statement: {
        type: 'object',
        required: ['partnership', 'name', 'municipality', 'asOf', 'participants', 'outcomes', 'totals', 'month', 'byMonth', 'rejectedReports'],
        properties: {
          partnership: { type: 'string' },
          name: { type: 'string' },
          municipality: { type: 'string' },
          asOf: month,
          participants: { type: 'integer' },
          outcomes: {
            type: 'array',
            items: { type: 'object', required: ['participant', 'outcome', 'week', 'amount'], properties: { participant: { type: 'string' }, outcome: { type: 'string' }, week: { type: 'string' }, amount: { type: 'number' } } },
          },
          totals: { $ref: '#/components/schemas/Figures' },
          month: { $ref: '#/components/schemas/Figures' },
          byMonth: { type: 'array', items: { allOf: [{ $ref: '#/components/schemas/Figures' }, { type: 'object', required: ['month'], properties: { month } }] } },
          rejectedReports: { type: 'array', items: { type: 'object' } },
          projection: { $ref: '#/components/schemas/Projection' },
        },
      },
    },
  },
  paths: {
    '/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
    '/partnerships': {
      get: {
        ...secured,
        summary: 'The partnerships the caller may see',
        responses: { 200: { description: 'Partnerships', content: { 'application/json': { schema: { type: 'object', required: ['partnerships'], properties: { partnerships: { type: 'array', items: { $ref: '#/components/schemas/Partnership' } } } } } } }, 401: error },
      },
    },
    '/partnerships/{id}/statements': {
      get: {
        ...secured,
        summary: 'Months with a statement',
        parameters: [partnershipId],
        responses: { 200: { description: 'Months', content: { 'application/json': { schema: { type: 'object', required: ['partnership', 'months'], properties: { partnership: { type: 'string' }, months: { type: 'array', items: month } } } } } }, ...refusals },
      },
    },
    '/partnerships/{id}/statements/{month}': {
      get: {
        ...secured,
        summary: 'The statement as of a month (JSON, or CSV with Accept: text/csv)',
        parameters: [partnershipId, { name: 'month', in: 'path', required: true, schema: month }],
        responses: {
          200: { description: 'Statement', content: { 'application/json': { schema: { $ref: '#/components/schemas/Statement' } }, 'text/csv': { schema: { type: 'string' } } } },
          ...refusals,
        },
      },
    },
    '/partnerships/{id}/hours': {
      get: {
        ...secured,
        summary: 'Weekly active hours per participant, with those under the threshold flagged (project holder only)',
        parameters: [
          partnershipId,
          { name: 'from', in: 'query', schema: isoWeek },
          { name: 'to', in: 'query', schema: isoWeek },
          { name: 'threshold', in: 'query', schema: { type: 'number', minimum: 0, maximum: MAX_THRESHOLD, default: 15 }, description: 'Flag participants under this many active hours in each of their last 2 weeks with data' },
        ],
        responses: { 200: { description: 'Weekly hours', content: { 'application/json': { schema: { type: 'object' } } } }, ...refusals, 403: error },
      },
    },
    '/partnerships/{id}/reports': {
      get: {
        ...secured,
        summary: 'Every version of every report, contract and roster, with rejected rows and reasons',
        parameters: [partnershipId],
        responses: { 200: { description: 'Statuses', content: { 'application/json': { schema: { type: 'object' } } } }, ...refusals },
      },
    },
    '/partnerships/{id}/uploads': {
      post: {
        ...secured,
        summary: 'A presigned S3 PUT for a monthly timesheet (project holder only)',
        parameters: [partnershipId],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['month', 'source', 'format'],
                additionalProperties: false,
                properties: { month, source: { ...identifier, examples: ['jobvejen'] }, format: { enum: ['csv', 'xlsx'] } },
              },
            },
          },
        },
        responses: {
          201: { description: 'Where to PUT the file', content: { 'application/json': { schema: { type: 'object', required: ['url', 'key', 'method', 'expiresIn'], properties: { url: { type: 'string' }, key: { type: 'string' }, method: { const: 'PUT' }, expiresIn: { type: 'integer' } } } } } },
          ...refusals,
          403: error,
          413: error,
        },
      },
    },
    '/partnerships/{id}/scenarios': {
      post: {
        ...secured,
        summary: 'A what-if simulation: contract or benefit parameters overridden, statement and projection returned',
        parameters: [partnershipId],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  asOf: month,
                  set: {
                    type: 'object',
                    description:
                      'Overrides by dotted path (an outcome by id or index). Not partnership, municipality or name. ' +
                      `Amounts at most ${MAX_AMOUNT}, hours at most 168, dates within the stored contract's ± ${DATE_MARGIN_YEARS} years.`,
                    maxProperties: MAX_OVERRIDES,
                    propertyNames: { type: 'string', pattern: OVERRIDE_PATH.source, maxLength: 64 },
                    additionalProperties: true,
                    examples: [{ 'benefit.weeklyRate': 3100, 'outcomes.job_start.price': 20000 }, { end: '2025-06-30' }, { deadweight: 0.4, cap: 50000 }],
                  },
                  runs: { type: 'integer', minimum: 0, maximum: MAX_RUNS, default: DEFAULT_RUNS },
                  seed: { type: 'integer', minimum: 0, maximum: MAX_SEED, default: 1 },
                },
              },
            },
          },
        },
        responses: {
          200: { description: 'The simulated statement', content: { 'application/json': { schema: { $ref: '#/components/schemas/Statement' } } } },
          ...refusals,
          413: error,
          422: { ...error, description: 'Over the budget of one request: the message says what to change' },
        },
      },
    },
  },
} as const;
