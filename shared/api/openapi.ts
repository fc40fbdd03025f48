import { MONTH_LABEL } from '../weeks/iso-week.ts';

/**
 * The HTTP API's contract (OpenAPI 3.1), served at /openapi.json. A test walks
 * every route the router knows and every path here, so the two cannot drift.
 */
const error = { $ref: '#/components/responses/Error' };
const partnershipId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'Partnership id, e.g. koege' };
const month = { type: 'string', pattern: MONTH_LABEL.source, examples: ['2022-09'] };
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
      'Routes for the project holder only answer 403 to municipality users. A missing, expired or forged token gets 401.',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    responses: {
      Error: {
        description: 'An error a person can act on',
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
        responses: { 200: { description: 'Months', content: { 'application/json': { schema: { type: 'object', required: ['partnership', 'months'], properties: { partnership: { type: 'string' }, months: { type: 'array', items: month } } } } } }, 401: error, 404: error },
      },
    },
    '/partnerships/{id}/statements/{month}': {
      get: {
        ...secured,
        summary: 'The statement as of a month (JSON, or CSV with Accept: text/csv)',
        parameters: [partnershipId, { name: 'month', in: 'path', required: true, schema: month }],
        responses: {
          200: { description: 'Statement', content: { 'application/json': { schema: { $ref: '#/components/schemas/Statement' } }, 'text/csv': { schema: { type: 'string' } } } },
          401: error,
          404: error,
        },
      },
    },
    '/partnerships/{id}/hours': {
      get: {
        ...secured,
        summary: 'Weekly active hours per participant, with those under the threshold flagged (project holder only)',
        parameters: [
          partnershipId,
          { name: 'from', in: 'query', schema: { type: 'string', pattern: '^\\d{4}-W\\d{2}$' } },
          { name: 'to', in: 'query', schema: { type: 'string', pattern: '^\\d{4}-W\\d{2}$' } },
          { name: 'threshold', in: 'query', schema: { type: 'number', default: 15 }, description: 'Flag participants under this many active hours in each of their last 2 weeks with data' },
        ],
        responses: { 200: { description: 'Weekly hours', content: { 'application/json': { schema: { type: 'object' } } } }, 400: error, 401: error, 403: error, 404: error },
      },
    },
    '/partnerships/{id}/reports': {
      get: {
        ...secured,
        summary: 'Every version of every report, contract and roster, with rejected rows and reasons',
        parameters: [partnershipId],
        responses: { 200: { description: 'Statuses', content: { 'application/json': { schema: { type: 'object' } } } }, 401: error, 404: error },
      },
    },
    '/partnerships/{id}/uploads': {
      post: {
        ...secured,
        summary: 'A presigned S3 PUT for a monthly timesheet (project holder only)',
        parameters: [partnershipId],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['month', 'source', 'format'], properties: { month, source: { type: 'string' }, format: { enum: ['csv', 'xlsx'] } } } } },
        },
        responses: {
          201: { description: 'Where to PUT the file', content: { 'application/json': { schema: { type: 'object', required: ['url', 'key', 'method', 'expiresIn'], properties: { url: { type: 'string' }, key: { type: 'string' }, method: { const: 'PUT' }, expiresIn: { type: 'integer' } } } } } },
          400: error,
          401: error,
          403: error,
          404: error,
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
                properties: {
                  asOf: month,
                  set: { type: 'object', additionalProperties: true, examples: [{ 'benefit.weeklyRate': 3100, 'outcomes.job_start.price': 20000 }] },
                  runs: { type: 'integer', minimum: 0, maximum: 5000, default: 1000 },
                  seed: { type: 'integer', minimum: 0, default: 1 },
                },
              },
            },
          },
        },
        responses: { 200: { description: 'The simulated statement', content: { 'application/json': { schema: { $ref: '#/components/schemas/Statement' } } } }, 400: error, 401: error, 404: error },
      },
    },
  },
} as const;
