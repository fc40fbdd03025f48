import { z } from 'zod';
import { ApiError } from './request.ts';

/*
 * Paging the list routes so no answer can pass API Gateway's and Lambda's 6 MB:
 * each page holds at most a number of entries and at most PAGE_BYTES of JSON,
 * and names the next page with an opaque cursor (`nextCursor`; `?cursor=`). The
 * cursor is base64url of a small JSON key (the last entry's sort key and the
 * listing's own parameters), validated on the way back in: a cursor that is not
 * one of ours, or belongs to another listing, is a 400 naming `cursor`.
 */

/** Most bytes of entries one page holds (the rest of the answer is small): half a megabyte, so an answer stays under 1 MB. */
export const PAGE_BYTES = 512 * 1024;

/** Largest cursor accepted: ours are well under it. */
const MAX_CURSOR_LENGTH = 2048;

/** The query parameter of a cursor (documented from this schema). */
export const cursorField = z
  .string()
  .max(MAX_CURSOR_LENGTH, { error: 'is not a cursor of this listing (pass nextCursor exactly as it came)' })
  .meta({ description: 'The `nextCursor` of the previous page, as it came; absent for the first page' });

/** The query parameter of a page size, up to `max` (its default). */
export const limitField = (max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(max, { error: `must be at most ${max}` })
    .default(max)
    .meta({ description: `Most entries on one page (default and most: ${max}); a page also stops before ${PAGE_BYTES / 1024} KiB of entries` });

/** An opaque cursor for `key`. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

const NOT_OURS = 'cursor: is not a cursor of this listing (pass nextCursor exactly as it came)';

/** The key inside a cursor, checked against the listing's schema; a 400 naming `cursor` otherwise. */
export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.infer<S> {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]*$/.test(cursor)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ApiError(400, 'the query is not valid', [NOT_OURS]);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(400, 'the query is not valid', [NOT_OURS]);
  return parsed.data;
}

/** A refusal for a cursor used with parameters other than those of the listing it came from. */
export function cursorMismatch(parameter: string): ApiError {
  return new ApiError(400, 'the query is not valid', [`cursor: belongs to a listing with another ${parameter}; start again without cursor`]);
}

/** One page of a sorted listing and the key of the last entry when more follow. */
export interface Page<T, K> {
  entries: T[];
  next?: K;
}

/** An entry's size in the answer: its JSON's bytes, unless a listing knows a cheaper bound. */
const jsonBytes = (entry: unknown) => Buffer.byteLength(JSON.stringify(entry));

/**
 * The entries after `after` (by `compare` on their keys; all of them without),
 * at most `limit` of them and at most `maxBytes` by `sizeOf` (at least one, so a
 * listing always moves on). `entries` must be sorted by their keys.
 */
export function pageAfter<T, K>(
  entries: readonly T[],
  keyOf: (entry: T) => K,
  compare: (a: K, b: K) => number,
  after: K | undefined,
  limit: number,
  { maxBytes = PAGE_BYTES, sizeOf = jsonBytes }: { maxBytes?: number; sizeOf?: (entry: T) => number } = {},
): Page<T, K> {
  const start = after === undefined ? 0 : firstAfter(entries, keyOf, compare, after);
  const page: T[] = [];
  let bytes = 0;
  for (let i = start; i < entries.length && page.length < limit; i++) {
    const size = sizeOf(entries[i]!);
    if (page.length > 0 && bytes + size > maxBytes) break;
    page.push(entries[i]!);
    bytes += size;
  }
  const more = start + page.length < entries.length;
  return more ? { entries: page, next: keyOf(page.at(-1)!) } : { entries: page };
}

/** Index of the first entry whose key sorts after `after` (binary search). */
function firstAfter<T, K>(entries: readonly T[], keyOf: (entry: T) => K, compare: (a: K, b: K) => number, after: K): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(keyOf(entries[mid]!), after) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Orders strings by code unit, as DynamoDB orders sort keys (ids, months, weeks, pseudonyms). */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
