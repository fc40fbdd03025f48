import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ROUTES } from '../../shared/api/api.ts';
import { openApiDocument } from '../../shared/api/openapi.ts';
import { hoursExportQuery } from '../../shared/api/exports.ts';
import { hoursQuery } from '../../shared/api/hours-page.ts';
import { partnershipsQuery, reportsQuery, statementsQuery } from '../../shared/api/listings.ts';
import { MAX_BODY_BYTES, monthField, uploadBody } from '../../shared/api/request.ts';
import { MAX_OVERRIDES, MAX_RUNS, scenarioBody } from '../../shared/api/scenario.ts';

/** zod's JSON Schema of what a client sends, as the document should hold it (its dialect is OpenAPI 3.1's). */
function zodJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema, ...json } = z.toJSONSchema(schema, { io: 'input' });
  expect($schema).toBe('https://json-schema.org/draft/2020-12/schema');
  return json;
}

/** The request schemas the router validates with, by operation. */
const VALIDATED_BODIES: Record<string, z.ZodType> = {
  'POST /partnerships/{id}/uploads': uploadBody,
  'POST /partnerships/{id}/scenarios': scenarioBody,
};

/** The query schemas the router validates with, by operation (every other operation takes no query). */
const VALIDATED_QUERIES: Record<string, z.ZodType> = {
  'GET /partnerships': partnershipsQuery,
  'GET /partnerships/{id}/statements': statementsQuery,
  'GET /partnerships/{id}/hours': hoursQuery,
  'GET /partnerships/{id}/hours.xlsx': hoursExportQuery,
  'GET /partnerships/{id}/hours.csv': hoursExportQuery,
  'GET /partnerships/{id}/reports': reportsQuery,
};

/** The shape of an operation in this document: a structural check of the OpenAPI 3.1 fields it uses. */
const reference = z.object({ $ref: z.string().startsWith('#/') }).strict();
const parameter = z
  .object({ name: z.string().min(1), in: z.enum(['path', 'query']), required: z.boolean(), schema: z.record(z.string(), z.unknown()), description: z.string().optional() })
  .strict()
  .refine((p) => p.in !== 'path' || p.required, { error: 'a path parameter must be required' });
const media = z.record(z.string().regex(/^[a-z]+\/[a-z.+-]+$/), z.object({ schema: z.record(z.string(), z.unknown()) }).strict());
const response = z.union([reference, z.object({ description: z.string().min(1), content: media.optional() }).strict()]);
const operation = z
  .object({
    operationId: z.string().regex(/^[a-z][A-Za-z]+$/),
    summary: z.string().min(1),
    security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
    parameters: z.array(parameter).optional(),
    requestBody: z.object({ required: z.boolean(), content: media }).strict().optional(),
    responses: z.record(z.string().regex(/^[1-5]\d\d$/), response),
  })
  .strict();

describe('the OpenAPI document', () => {
  const documented = Object.entries(openApiDocument.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation: operation as { operationId: string; security?: unknown[]; responses: Record<string, unknown> } })),
  );
  const operationAt = (key: string) => documented.find(({ method, path }) => `${method} ${path}` === key)!.operation as z.infer<typeof operation>;

  it('documents every route the API answers, and nothing else', () => {
    const served = [...ROUTES.map(({ method, path }) => `${method} ${path}`), 'GET /openapi.json'].sort();
    expect(documented.map(({ method, path }) => `${method} ${path}`).sort()).toEqual(served);
  });

  it('is OpenAPI 3.1 with bearer security on every route but its own', () => {
    expect(openApiDocument.openapi).toBe('3.1.0');
    for (const { path, operation } of documented) {
      if (path === '/openapi.json') expect(operation.security).toBeUndefined();
      else expect(operation.security, path).toEqual([{ bearer: [] }]);
    }
  });

  it('is well formed: operations with unique operationIds, every path variable a parameter, every $ref resolving, servers', () => {
    for (const { method, path, operation: op } of documented) {
      const parsed = operation.safeParse(op);
      expect(parsed.success, `${method} ${path}: ${parsed.error?.message}`).toBe(true);
      const pathParameters = (parsed.data?.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(pathParameters, `${method} ${path}`).toEqual([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
    }
    const ids = documented.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const refs = [...JSON.stringify(openApiDocument).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = ref.split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], openApiDocument);
      expect(target, ref).toBeTypeOf('object');
    }
    expect(openApiDocument.servers.length).toBeGreaterThan(0);
    for (const server of openApiDocument.servers) expect(server.url).toMatch(/^(\/|https?:\/\/)/);
  });

  it('lists 403 on exactly the project holder’s routes', () => {
    for (const route of ROUTES) {
      const operation = documented.find((d) => d.method === route.method && d.path === route.path)!.operation;
      expect(Object.hasOwn(operation.responses, '403'), `${route.method} ${route.path}`).toBe(route.holderOnly);
    }
  });

  it('documents the refusals of bad input: 400 wherever a path, query or body is read, 413 with a body, 422 for the what-if budget', () => {
    for (const { method, path, operation } of documented) {
      const op = operation as { parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> };
      if (op.parameters?.length || op.requestBody) expect(Object.hasOwn(op.responses, '400'), `${method} ${path}`).toBe(true);
      expect(Object.hasOwn(op.responses, '413'), `${method} ${path}`).toBe(Boolean(op.requestBody));
    }
    expect(Object.keys(openApiDocument.paths['/partnerships/{id}/scenarios'].post.responses)).toContain('422');
  });

  it('answers every refusal with the {message, problems?} error body', () => {
    const errorSchema = openApiDocument.components.schemas.Error;
    expect(errorSchema.required).toEqual(['message']);
    expect(errorSchema.properties.problems).toMatchObject({ type: 'array', items: { type: 'string' } });
    const statuses = new Set<string>();
    for (const { method, path, operation } of documented) {
      for (const [status, answer] of Object.entries(operation.responses)) {
        if (!status.startsWith('4')) continue;
        statuses.add(status);
        const name = /^#\/components\/responses\/(\w+)$/.exec((answer as { $ref: string }).$ref)?.[1];
        const component = (openApiDocument.components.responses as Record<string, { content: unknown }>)[name!];
        expect(component?.content, `${method} ${path} ${status}`).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/Error' } } });
      }
    }
    expect([...statuses].sort()).toEqual(['400', '401', '403', '404', '413', '422']);
  });

  it('holds exactly the JSON Schema of the zod schemas the API validates requests with', () => {
    for (const { method, path, operation: op } of documented) {
      const key = `${method} ${path}`;
      const body = (op as { requestBody?: { content: Record<string, { schema: unknown }> } }).requestBody;
      expect(Boolean(body), key).toBe(key in VALIDATED_BODIES);
      if (body) expect(body.content, key).toEqual({ 'application/json': { schema: zodJsonSchema(VALIDATED_BODIES[key]!) } });
    }
    for (const { method, path, operation: op } of documented) {
      const key = `${method} ${path}`;
      const parameters = ((op as { parameters?: { name: string; in: string; required: boolean; schema: unknown }[] }).parameters ?? []).filter((p) => p.in === 'query');
      const schema = VALIDATED_QUERIES[key];
      if (!schema) {
        expect(parameters, key).toEqual([]);
        continue;
      }
      const query = zodJsonSchema(schema) as { properties: Record<string, unknown>; required?: string[] };
      expect(Object.fromEntries(parameters.map((p) => [p.name, p.schema])), key).toEqual(query.properties);
      for (const p of parameters) expect(p.required, `${key} ${p.name}`).toBe((query.required ?? []).includes(p.name));
    }
    const monthInPath = operationAt('GET /partnerships/{id}/statements/{month}').parameters!.find((p) => p.name === 'month')!;
    expect(monthInPath.schema).toEqual(zodJsonSchema(monthField));
  });

  it('states the limits the API enforces', () => {
    const scenario = openApiDocument.paths['/partnerships/{id}/scenarios'].post.requestBody.content['application/json'].schema;
    expect(scenario.additionalProperties).toBe(false);
    expect(scenario.properties.runs.maximum).toBe(MAX_RUNS);
    expect(scenario.properties.set.maxProperties).toBe(MAX_OVERRIDES);
    expect(openApiDocument.info.description).toContain(`${MAX_BODY_BYTES / 1024} KiB`);
  });
});
