import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/api/api.ts';
import { openApiDocument } from '../../shared/api/openapi.ts';
import { MAX_BODY_BYTES } from '../../shared/api/request.ts';
import { MAX_OVERRIDES, MAX_RUNS } from '../../shared/api/scenario.ts';

describe('the OpenAPI document', () => {
  const documented = Object.entries(openApiDocument.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation: operation as { security?: unknown[]; responses: Record<string, unknown> } })),
  );

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

  it('states the limits the API enforces', () => {
    const scenario = openApiDocument.paths['/partnerships/{id}/scenarios'].post.requestBody.content['application/json'].schema;
    expect(scenario.additionalProperties).toBe(false);
    expect(scenario.properties.runs.maximum).toBe(MAX_RUNS);
    expect(scenario.properties.set.maxProperties).toBe(MAX_OVERRIDES);
    expect(openApiDocument.info.description).toContain(`${MAX_BODY_BYTES / 1024} KiB`);
  });
});
