import { z } from 'zod';
import { requestSchema, type JsonSchema } from './json-schema.ts';
import { inputVersionRef, responseSchemas } from './openapi-responses.ts';
import { EXPORT_FORMATS, hoursExportQuery, MAX_HOURS_EXPORT_ROWS } from './exports.ts';
import { HOURS_WINDOW_WEEKS, hoursQuery } from './hours-page.ts';
import { partnershipsQuery, reportsQuery, statementsQuery } from './listings.ts';
import { PAGE_BYTES } from './pages.ts';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH, monthField, partnershipIdField, uploadBody } from './request.ts';
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

/** `nextCursor` of a paged answer. */
const nextCursor = { type: ['string', 'null'], description: 'Pass as `cursor` (with the same other parameters, or none) for the next page; null on the last page' } as const;
/** A JSON object answer with `properties`, all of them present. */
const page = (properties: Record<string, unknown>) => jsonContent({ type: 'object', required: Object.keys(properties), properties });

/** The statement and hours files (exports.ts) in one format, by path. */
const exportPaths = (format: keyof typeof EXPORT_FORMATS) => {
  const name = format === 'xlsx' ? 'Xlsx' : 'Csv';
  const { type, about } = EXPORT_FORMATS[format];
  const content = { [type]: { schema: format === 'xlsx' ? { type: 'string', format: 'binary' } : { type: 'string' } } };
  return {
    [`/partnerships/{id}/statements/{month}/export.${format}`]: {
      get: {
        ...secured,
        operationId: `getStatement${name}`,
        summary: `The statement as of a month as a file to open in a spreadsheet: ${about} (Oversigt, Resultater, Måneder, Grundlag, Efterregulering)`,
        parameters: [partnershipId, monthInPath],
        responses: { 200: { description: 'The statement file (attachment)', content }, ...refusals(400, 401, 404) },
      },
    },
    [`/partnerships/{id}/hours.${format}`]: {
      get: {
        ...secured,
        operationId: `getWeeklyHours${name}`,
        summary: `Weekly hours per participant and activity as a file (project holder only): ${about}; at most ${MAX_HOURS_EXPORT_ROWS} participant-weeks, else 422 (choose fewer weeks with from and to)`,
        parameters: [partnershipId, ...queryParameters(hoursExportQuery)],
        responses: { 200: { description: 'The weekly hours file (attachment)', content }, ...refusals(400, 401, 403, 404, 422) },
      },
    },
  };
};

const DESCRIPTION =
  'Simulated payment-by-results statements, weekly hours and timesheet uploads for Danish employment partnerships. ' +
  "A municipality user sees only its own municipality's partnerships (taken from the token, never the URL); other partnerships answer 404, exactly like partnerships that do not exist. " +
  'Routes for the project holder only answer 403 to municipality users. A missing, expired or forged token gets 401. ' +
  `Limits: a request body of at most ${MAX_BODY_BYTES / 1024} KiB (413 otherwise), JSON nested at most ${MAX_JSON_DEPTH} levels, no unknown fields (400 naming the field). ` +
  `A what-if may move the contract dates at most ${DATE_MARGIN_YEARS} years beyond the stored contract's and ask for at most ${MAX_RUNS} runs; its work (participants × (weeks evaluated + runs × weeks projected) × (outcomes + 1)) ` +
  `must stay within ${MAX_SCENARIO_WORK / 1e6} million steps (a few seconds of CPU), its statement within ${MAX_OUTCOME_PAYMENTS} outcome payments and ${MAX_RESPONSE_BYTES / 1024 / 1024} MB, or it is refused with 422 saying what to change. ` +
  'Bad input is always a 4xx with a JSON message, never repeating a value that could be a CPR number. ' +
  `Lists come in pages (at most \`limit\` entries and ${PAGE_BYTES / 1024} KiB of them, so no answer passes 1 MB): \`nextCursor\` names the next page, passed back as \`cursor\`; a cursor that is not one of ours, or comes from a listing with other parameters, is a 400 naming \`cursor\`.`;

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
        summary: "The partnerships the caller may see, searched and sorted, in pages, each with its newest statement's net and projection",
        parameters: queryParameters(partnershipsQuery),
        responses: {
          200: {
            description: 'One page of partnerships, and how many match',
            content: page({ partnerships: { type: 'array', items: { $ref: '#/components/schemas/Partnership' } }, total: { type: 'integer', description: 'Partnerships that match `q`' }, nextCursor }),
          },
          ...refusals(400, 401),
        },
      },
    },
    '/partnerships/{id}/statements': {
      get: {
        ...secured,
        operationId: 'listStatementMonths',
        summary: 'Months with a statement, ascending, in pages',
        parameters: [partnershipId, ...queryParameters(statementsQuery)],
        responses: {
          200: {
            description: 'One page of months, with the partnership',
            content: page({ partnership: { type: 'string' }, name: { type: 'string' }, municipality: { type: 'string' }, months: { type: 'array', items: month }, nextCursor }),
          },
          ...refusals(400, 401, 404),
        },
      },
    },
    '/partnerships/{id}/contract': {
      get: {
        ...secured,
        operationId: 'getContract',
        summary: 'The contract in use (spec 4): fee and fee schedule, outcomes with labels and prices, caps, deadweight, benefit and refusion steps',
        parameters: [partnershipId],
        responses: {
          200: {
            description: 'The accepted contract and its version (null for contracts stored before versions were kept)',
            content: jsonContent({
              type: 'object',
              required: ['partnership', 'version', 'contract'],
              properties: { partnership: { type: 'string' }, version: { oneOf: [inputVersionRef, { type: 'null' }] }, contract: { type: 'object', description: 'The contract document as accepted (spec 4)' } },
            }),
          },
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
        summary:
          'Weekly active hours per participant, with those under the threshold flagged, and the roster (referral week, exit week and reason) (project holder only). ' +
          `Without from and to: the last ${HOURS_WINDOW_WEEKS} weeks up to the end of the newest month with a report. Participants come in pages, each with all its weeks in the window`,
        parameters: [partnershipId, ...queryParameters(hoursQuery)],
        responses: { 200: { description: 'One page of weekly hours', content: jsonContent({ $ref: '#/components/schemas/HoursPage' }) }, ...refusals(400, 401, 403, 404) },
      },
    },
    ...exportPaths('xlsx'),
    ...exportPaths('csv'),
    '/partnerships/{id}/reports': {
      get: {
        ...secured,
        operationId: 'listReports',
        summary:
          'Every version of every contract and roster (newest first), then of every report (by month and source, newest first), with rejected rows and reasons ' +
          '(English `reasons`, and `reasonCodes`: per reason its line and problem codes with value-free facts), in pages',
        parameters: [partnershipId, ...queryParameters(reportsQuery)],
        responses: {
          200: {
            description: 'One page of statuses',
            content: page({ partnership: { type: 'string' }, inputs: { type: 'array', items: { type: 'object' } }, reports: { type: 'array', items: { type: 'object' } }, nextCursor }),
          },
          ...refusals(400, 401, 404),
        },
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
