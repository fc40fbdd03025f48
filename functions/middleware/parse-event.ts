import type { MiddlewareObj } from '@middy/core';
import type { z } from 'zod';

/** Thrown for events that do not have the expected shape; retrying them cannot help. */
export class InvalidEventError extends Error {}

/**
 * Validates the incoming event with a zod schema before the handler sees it, and
 * replaces it with the parsed (typed, decoded) value.
 */
export function parseEvent<S extends z.ZodType>(schema: S): MiddlewareObj<unknown> {
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
