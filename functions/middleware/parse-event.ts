import type { MiddlewareObj } from '@middy/core';
import type { z } from 'zod';

/** Thrown for events that do not have the expected shape; retrying them cannot help. */
export class InvalidEventError extends Error {}

/**
 * Validates the incoming event with a zod schema before the handler sees it, and
 * replaces it with the parsed (typed, decoded) value. Typed by the schema's
 * output, so after `middy().use(parseEvent(schema))` the handler's event is typed
 * and no handler casts it. Handlers then end with `.handler<unknown>(…)`: from
 * outside, the function takes whatever Lambda (or the local stack) passes, which
 * is exactly what this middleware checks.
 */
export function parseEvent<S extends z.ZodType>(schema: S): MiddlewareObj<z.output<S>> {
  return {
    before: (request) => {
      const parsed = schema.safeParse(request.event);
      if (!parsed.success) {
        const where = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`);
        throw new InvalidEventError(`unexpected event: ${where.join('; ')}`);
      }
      request.event = parsed.data;
    },
  };
}
