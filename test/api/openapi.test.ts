import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/api/api.ts';
import { openApiDocument } from '../../shared/api/openapi.ts';

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
});
