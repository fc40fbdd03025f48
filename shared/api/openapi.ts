import { z } from 'zod';
import { hoursQuery, MAX_BODY_BYTES, MAX_JSON_DEPTH, monthField, partnershipIdField, uploadBody } from './request.ts';
import { DATE_MARGIN_YEARS, MAX_OUTCOME_PAYMENTS, MAX_RESPONSE_BYTES, MAX_RUNS, MAX_SCENARIO_WORK, SCENARIO_COMPARED_TOTALS, SCENARIO_PROJECTED, scenarioBody } from './scenario.ts';

/**
 * The HTTP API's contract (OpenAPI 3.1), served at /openapi.json. Everything a
 * request may carry is generated from the zod schemas the API validates with
 * (request.ts, scenario.ts) by zod's JSON Schema output, so validation and
 * documentation cannot drift; responses are described here. A test walks every
 * route the router knows and every operation here, and compares the request
 * schemas with the zod output; the API fuzz test generates its requests from
 * this document.
 */

/** A JSON Schema as data: keywords of any kind, read by the tests and the API fuzz test without casts. */
export type JsonSchema = { [keyword: string]: any };

/** A zod schema as JSON Schema (2020-12, OpenAPI 3.1's dialect) for what a client sends: before defaults and coercion. */
export function requestSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' });
  return json;
}

/** The query parameters of a (strict) zod object schema, one per property. */
function queryParameters(schema: z.ZodObject) {
  const json = requestSchema(schema);
  const required: string[] = json.required ?? [];
  return Object.entries<JsonSchema>(json.properties ?? {}).map(([name, property]) => ({ name, in: 'query' as const, required: required.includes(name), schema: property }));
}

const jsonBody = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: requestSchema(schema) } } });
const jsonContent = (schema: object) => ({ 'application/json': { schema } });

const month = requestSchema(monthField);
const partnershipId = { name: 'id', in: 'path', required: true, schema: requestSchema(partnershipIdField), description: 'Partnership id, e.g. koege' } as const;
const monthInPath = { name: 'month', in: 'path', required: true, schema: month } as const;

/** The refusals, each `{message, problems?}` (request.ts `ApiError`), by status. */
const ERRORS = {
  400: { name: 'BadRequest', description: 'The path, query or body is not valid: `problems` lists each field and why (never repeating a value that could be a CPR number)' },
  401: { name: 'Unauthorized', description: 'No token, or an expired or forged one' },
  403: { name: 'Forbidden', description: 'The project holder only (or an account with no role in the portal)' },
  404: { name: 'NotFound', description: 'No such partnership or statement, or one of another municipality (indistinguishable)' },
  413: { name: 'PayloadTooLarge', description: `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB` },
  422: { name: 'UnprocessableEntity', description: 'Over the budget of one request: the message says what to change' },
} as const;
type ErrorStatus = keyof typeof ERRORS;
/** The responses of the refusals `statuses`, by reference. */
const refusals = (...statuses: ErrorStatus[]) => Object.fromEntries(statuses.map((status) => [status, { $ref: `#/components/responses/${ERRORS[status].name}` }]));

const secured = { security: [{ bearer: [] }] };
const figures = {
  type: 'object',
  required: ['outcomePayments', 'grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'fees', 'net'],
  properties: Object.fromEntries(['outcomePayments', 'grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'fees', 'net'].map((k) => [k, { type: 'number', description: 'DKK, to the øre' }])),
};
const band = { type: 'object', required: ['p10', 'p50', 'p90'], properties: { p10: { type: 'number' }, p50: { type: 'number' }, p90: { type: 'number' } } };
const bandRef = { $ref: '#/components/schemas/Band' };
const inputVersionRef = { $ref: '#/components/schemas/InputVersion' };

/** What the API answers with: not validated on the way out, so described here. */
const responseSchemas = {
  Error: {
    type: 'object',
    required: ['message'],
    properties: { message: { type: 'string', description: 'What went wrong, for a person to act on' }, problems: { type: 'array', items: { type: 'string' }, description: '`field: reason`, one per problem' } },
  },
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
      outcomePayments: bandRef,
      municipalSavings: bandRef,
      net: bandRef,
      probabilityNetNonNegative: { type: 'number' },
      byMonth: {
        type: 'array',
        description: 'The same bands at the end of every projected month (cumulative)',
        items: { type: 'object', required: ['month', 'outcomePayments', 'municipalSavings', 'net'], properties: { month, outcomePayments: bandRef, municipalSavings: bandRef, net: bandRef } },
      },
      basis: { $ref: '#/components/schemas/ProjectionBasis' },
    },
  },
  ProjectionBasis: {
    type: 'object',
    description: 'What the projection rests on, so a reader can judge it (absent on statements stored before it)',
    required: ['participants', 'plannedReferrals', 'observedParticipantWeeks', 'priorWeight', 'prior'],
    properties: {
      participants: { type: 'integer', description: 'Participants simulated (observed and referred later); exited ones are not simulated' },
      plannedReferrals: { type: 'integer', description: 'Of those, referred after the as-of week (planned referrals on the roster)' },
      observedParticipantWeeks: { type: 'integer', description: "Participant-weeks observed from referral to the as-of week: the partnership's own evidence" },
      priorWeight: { type: 'number', minimum: 0, maximum: 1, description: 'Share of the transition evidence carried by the prior: 0 own data only, 1 prior only' },
      prior: {
        type: 'object',
        required: ['source', 'partnerships', 'participantWeeks'],
        properties: {
          source: { enum: ['default', 'pooled', 'file'], description: "The source programme's documented default, pooled over partnerships, or a file (pbr simulate --prior)" },
          partnerships: { type: 'integer' },
          participantWeeks: { type: 'integer' },
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
        items: {
          type: 'object',
          required: ['participant', 'outcome', 'week', 'amount'],
          properties: {
            participant: { type: 'string' },
            outcome: { type: 'string' },
            label: { type: 'string' },
            week: { type: 'string' },
            amount: { type: 'number' },
            evidence: {
              type: 'array',
              description: 'The qualifying weeks, with their hours over the outcome’s activities, that reached it',
              items: { type: 'object', required: ['week', 'hours'], properties: { week: { type: 'string' }, hours: { type: 'number' } } },
            },
          },
        },
      },
      totals: { $ref: '#/components/schemas/Figures' },
      month: { $ref: '#/components/schemas/Figures' },
      byMonth: { type: 'array', items: { allOf: [{ $ref: '#/components/schemas/Figures' }, { type: 'object', required: ['month'], properties: { month } }] } },
      rejectedReports: { type: 'array', items: { type: 'object' } },
      projection: { $ref: '#/components/schemas/Projection' },
      manifest: { $ref: '#/components/schemas/Manifest' },
      adjustments: { $ref: '#/components/schemas/Adjustments' },
    },
  },
  InputVersion: {
    type: 'object',
    required: ['key', 'sequencer'],
    properties: { key: { type: 'string' }, versionId: { type: 'string', description: 'S3 version id' }, sequencer: { type: 'string', description: 'S3 event sequencer (orders versions of one key)' } },
  },
  Manifest: {
    type: 'object',
    description: 'What the statement was computed from (evidence): every input version, the seed and runs, the code version and when',
    required: ['reports', 'seed', 'runs', 'codeVersion', 'computedAt'],
    properties: {
      contract: inputVersionRef,
      roster: inputVersionRef,
      reports: {
        type: 'array',
        description: 'The current version of every report up to the month',
        items: {
          allOf: [
            inputVersionRef,
            {
              type: 'object',
              required: ['month', 'source', 'acceptedRows', 'rejectedRows'],
              properties: { month, source: { type: 'string' }, acceptedRows: { type: 'integer' }, rejectedRows: { type: 'integer' } },
            },
          ],
        },
      },
      seed: { type: 'integer' },
      runs: { type: 'integer' },
      codeVersion: { type: 'string', description: 'Git revision of the code that computed it' },
      computedAt: { type: 'string', format: 'date-time' },
    },
  },
  Adjustments: {
    type: 'object',
    description: 'Efterregulering: the months before this one as now computed minus what the previous statement stated, so totals = previous totals + month + adjustments to the øre',
    required: ['since', 'figures', 'outcomes'],
    properties: {
      since: { ...month, description: 'The previous statement compared with' },
      figures: { $ref: '#/components/schemas/Figures' },
      outcomes: {
        type: 'array',
        items: {
          type: 'object',
          required: ['participant', 'outcome', 'week', 'stated', 'current', 'amount'],
          properties: {
            participant: { type: 'string' },
            outcome: { type: 'string' },
            label: { type: 'string' },
            week: { type: 'string' },
            stated: { type: 'number' },
            current: { type: 'number' },
            amount: { type: 'number', description: 'current − stated' },
          },
        },
      },
    },
  },
  ScenarioResult: {
    description: "A what-if's statement, the stored statement it is compared with and the difference to it",
    allOf: [
      { $ref: '#/components/schemas/Statement' },
      {
        type: 'object',
        required: ['baseline'],
        properties: {
          baseline: {
            description: 'The stored statement of the same month (null when there is none, and then no difference)',
            oneOf: [
              {
                type: 'object',
                required: ['asOf', 'seed', 'runs', 'computedAt', 'samePrior'],
                properties: {
                  asOf: month,
                  seed: { type: ['integer', 'null'], description: 'Null when the statement records none (stored before manifests, without a projection)' },
                  runs: { type: 'integer' },
                  computedAt: { type: 'string', format: 'date-time' },
                  samePrior: {
                    type: 'boolean',
                    description: "Whether the what-if leaned on the statement's programme-wide prior; false once other partnerships' careers moved on, and then part of the projection's difference comes from them",
                  },
                },
              },
              { type: 'null' },
            ],
          },
          difference: {
            type: 'object',
            description: 'Scenario − stored statement: DKK to the øre, the probability to 4 decimals. Without overrides, seed or runs in the body every difference is 0 (the projection\'s while `samePrior`)',
            required: ['totals'],
            properties: {
              totals: {
                type: 'object',
                required: [...SCENARIO_COMPARED_TOTALS],
                properties: Object.fromEntries(SCENARIO_COMPARED_TOTALS.map((key) => [key, { type: 'number' }])),
              },
              projection: {
                type: 'object',
                description: 'Absent unless both have a projection',
                required: [...SCENARIO_PROJECTED, 'probabilityNetNonNegative'],
                properties: { ...Object.fromEntries(SCENARIO_PROJECTED.map((key) => [key, bandRef])), probabilityNetNonNegative: { type: 'number' } },
              },
            },
          },
        },
      },
    ],
  },
  Upload: {
    type: 'object',
    required: ['url', 'key', 'method', 'expiresIn', 'headers'],
    properties: {
      url: { type: 'string' },
      key: { type: 'string' },
      method: { const: 'PUT' },
      expiresIn: { type: 'integer', description: 'Seconds the URL is valid' },
      headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Headers the PUT must send' },
    },
  },
};

const DESCRIPTION =
  'Simulated payment-by-results statements, weekly hours and timesheet uploads for Danish employment partnerships. ' +
  "A municipality user sees only its own municipality's partnerships (taken from the token, never the URL); other partnerships answer 404, exactly like partnerships that do not exist. " +
  'Routes for the project holder only answer 403 to municipality users. A missing, expired or forged token gets 401. ' +
  `Limits: a request body of at most ${MAX_BODY_BYTES / 1024} KiB (413 otherwise), JSON nested at most ${MAX_JSON_DEPTH} levels, no unknown fields (400 naming the field). ` +
  `A what-if may move the contract dates at most ${DATE_MARGIN_YEARS} years beyond the stored contract's and ask for at most ${MAX_RUNS} runs; its work (participants × (weeks evaluated + runs × weeks projected) × (outcomes + 1)) ` +
  `must stay within ${MAX_SCENARIO_WORK / 1e6} million steps (a few seconds of CPU), its statement within ${MAX_OUTCOME_PAYMENTS} outcome payments and ${MAX_RESPONSE_BYTES / 1024 / 1024} MB, or it is refused with 422 saying what to change. ` +
  'Bad input is always a 4xx with a JSON message, never repeating a value that could be a CPR number.';

export const openApiDocument = {
  openapi: '3.1.0',
  info: { title: 'PbR partnerships API', version: '1.0.0', description: DESCRIPTION },
  servers: [
    { url: '/', description: 'The host that serves this document (the deployed HTTP API)' },
    { url: 'http://127.0.0.1:8480', description: 'The local stack (`npm start` or `pbr stack`)' },
  ],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    responses: Object.fromEntries(Object.values(ERRORS).map(({ name, description }) => [name, { description, content: jsonContent({ $ref: '#/components/schemas/Error' }) }])),
    schemas: responseSchemas,
  },
  paths: {
    '/openapi.json': { get: { operationId: 'getOpenApiDocument', summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
    '/partnerships': {
      get: {
        ...secured,
        operationId: 'listPartnerships',
        summary: 'The partnerships the caller may see',
        responses: {
          200: { description: 'Partnerships', content: jsonContent({ type: 'object', required: ['partnerships'], properties: { partnerships: { type: 'array', items: { $ref: '#/components/schemas/Partnership' } } } }) },
          ...refusals(401),
        },
      },
    },
    '/partnerships/{id}/statements': {
      get: {
        ...secured,
        operationId: 'listStatementMonths',
        summary: 'Months with a statement',
        parameters: [partnershipId],
        responses: {
          200: { description: 'Months', content: jsonContent({ type: 'object', required: ['partnership', 'months'], properties: { partnership: { type: 'string' }, months: { type: 'array', items: month } } }) },
          ...refusals(400, 401, 404),
        },
      },
    },
    '/partnerships/{id}/statements/{month}': {
      get: {
        ...secured,
        operationId: 'getStatement',
        summary: 'The statement as of a month (JSON, or CSV with Accept: text/csv)',
        parameters: [partnershipId, monthInPath],
        responses: {
          200: { description: 'Statement', content: { ...jsonContent({ $ref: '#/components/schemas/Statement' }), 'text/csv': { schema: { type: 'string' } } } },
          ...refusals(400, 401, 404),
        },
      },
    },
    '/partnerships/{id}/hours': {
      get: {
        ...secured,
        operationId: 'getWeeklyHours',
        summary: 'Weekly active hours per participant, with those under the threshold flagged (project holder only)',
        parameters: [partnershipId, ...queryParameters(hoursQuery)],
        responses: { 200: { description: 'Weekly hours', content: jsonContent({ type: 'object' }) }, ...refusals(400, 401, 403, 404) },
      },
    },
    '/partnerships/{id}/reports': {
      get: {
        ...secured,
        operationId: 'listReports',
        summary: 'Every version of every report, contract and roster, with rejected rows and reasons',
        parameters: [partnershipId],
        responses: { 200: { description: 'Statuses', content: jsonContent({ type: 'object' }) }, ...refusals(400, 401, 404) },
      },
    },
    '/partnerships/{id}/uploads': {
      post: {
        ...secured,
        operationId: 'createUpload',
        summary: 'A presigned S3 PUT for a monthly timesheet (project holder only)',
        parameters: [partnershipId],
        requestBody: jsonBody(uploadBody),
        responses: { 201: { description: 'Where to PUT the file', content: jsonContent({ $ref: '#/components/schemas/Upload' }) }, ...refusals(400, 401, 403, 404, 413) },
      },
    },
    '/partnerships/{id}/scenarios': {
      post: {
        ...secured,
        operationId: 'runScenario',
        summary: "A what-if simulation: contract or benefit parameters overridden, statement and projection returned with the difference to the stored statement (same seed and runs unless the body sets them)",
        parameters: [partnershipId],
        requestBody: jsonBody(scenarioBody),
        responses: { 200: { description: 'The simulated statement and its difference to the stored one', content: jsonContent({ $ref: '#/components/schemas/ScenarioResult' }) }, ...refusals(400, 401, 404, 413, 422) },
      },
    },
  },
} as const;
