import { z } from 'zod';

/** A JSON Schema as data: keywords of any kind, read by the tests and the API fuzz test without casts. */
export type JsonSchema = { [keyword: string]: any };

/** A zod schema as JSON Schema (2020-12, OpenAPI 3.1's dialect) for what a client sends: before defaults and coercion. */
export function requestSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input' });
  return json;
}
