import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiError, decodePathParams, jsonDepthExceeds, MAX_JSON_DEPTH, monthParam, parseJsonBody, parseQuery, partnershipParam, SUPPORTED_MONTH, weekRangeQuery } from '../../shared/api/request.ts';
import { identifierProblem } from '../../shared/identifiers.ts';
import { quoteSafely, scrubDigitRuns } from '../../shared/cpr-numbers.ts';
import { monthRange, weekIndexOfLabel } from '../../shared/weeks/iso-week.ts';
import { openApiDocument } from '../../shared/api/openapi.ts';
import { arbitraryCprWriting } from '../support/cpr-spellings.ts';
import { cprsIn } from '../support/leak-scan.ts';
import { refusal } from './refusal.ts';


const monthRangeAccepts = (month: string) => {
  try {
    monthRange(month);
    return true;
  } catch {
    return false;
  }
};

describe('months', () => {
  it('the supported-month pattern accepts exactly the months monthRange computes with', () => {
    const month = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 })).map(([y, m]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`);
    fc.assert(fc.property(month, (m) => SUPPORTED_MONTH.test(m) === monthRangeAccepts(m)));
    for (const edge of ['1969-12', '1970-01', '2149-12', '2150-01']) expect(SUPPORTED_MONTH.test(edge), edge).toBe(monthRangeAccepts(edge));
  });

  it('a month outside 1970–2149 in the path is a 400 that says which months are valid', () => {
    for (const month of ['2150-01', '1969-12', '9999-99', '2024-13']) {
      const error = refusal(() => monthParam(month));
      expect(error.status).toBe(400);
      expect(error.message).toContain('1970-01 to 2149-12');
    }
    expect(monthParam('2024-02')).toBe('2024-02');
  });
});

describe('weeks in a query', () => {
  it('a week label is accepted exactly when it names a week from 1970 to 2149 (W53 only in long years)', () => {
    const label = fc.tuple(fc.integer({ min: 1960, max: 2160 }), fc.integer({ min: 1, max: 53 })).map(([y, w]) => `${y}-W${String(w).padStart(2, '0')}`);
    const namesAWeek = (l: string) => {
      try {
        weekIndexOfLabel(l);
        return Number(l.slice(0, 4)) >= 1970 && Number(l.slice(0, 4)) <= 2149;
      } catch {
        return false;
      }
    };
    fc.assert(fc.property(label, (l) => weekRangeQuery.safeParse({ from: l }).success === namesAWeek(l)));
    expect(weekRangeQuery.safeParse({ to: '2026-W53' }).success).toBe(true);
    const refused = weekRangeQuery.safeParse({ from: '2035-W53' });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]!.message).toMatch(/names no week/);
  });
});

describe('path parameters', () => {
  it('a malformed %-escape is a 400, well-formed escapes are decoded', () => {
    for (const raw of ['%', '%zz', 'abc%E0%A4%A', '%C3%28']) expect(refusal(() => decodePathParams([raw])).status).toBe(400);
    expect(decodePathParams(['k%C3%B8ge', '2024-01'])).toEqual(['køge', '2024-01']);
  });

  it('a partnership id that could be a CPR number is refused without repeating it', () => {
    fc.assert(
      fc.property(arbitraryCprWriting, ({ digits, written }) => {
        const error = refusal(() => partnershipParam(written));
        expect(error.status).toBe(400);
        expect(cprsIn(error.message, [digits])).toEqual([]);
      }),
    );
    expect(partnershipParam('koege')).toBe('koege');
  });

  it('the documented id pattern admits every valid identifier', () => {
    const pattern = new RegExp(openApiDocument.paths['/partnerships/{id}/statements'].get.parameters[0].schema.pattern);
    const candidates = fc.oneof(fc.string(), fc.stringMatching(/^[a-z0-9-]{1,70}$/));
    fc.assert(fc.property(candidates, (id) => identifierProblem('partnership', id) !== undefined || pattern.test(id)));
  });
});

describe('JSON bodies', () => {
  const schema = z.object({ month: z.string(), n: z.number().optional() }).strict();

  it('nesting deeper than the limit is a 400 before parsing, strings with brackets do not count', () => {
    const deep = (depth: number) => `{"month":"x","n":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
    expect(jsonDepthExceeds(deep(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds(deep(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonDepthExceeds(JSON.stringify({ month: '['.repeat(100) + '\\"{' }), MAX_JSON_DEPTH)).toBe(false);
    const error = refusal(() => parseJsonBody(schema, '['.repeat(1_000_000)));
    expect([error.status, error.message]).toEqual([400, `the request body is nested more than ${MAX_JSON_DEPTH} levels deep`]);
  });

  it('the depth count agrees with the parsed value on random JSON', () => {
    const depthOf = (value: unknown): number =>
      value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 8 }), (value, limit) => jsonDepthExceeds(JSON.stringify(value), limit) === depthOf(value) > limit));
  });

  it('invalid JSON, unknown fields and wrong types are 400s naming the field', () => {
    expect(refusal(() => parseJsonBody(schema, '{"month":')).message).toBe('the request body is not JSON');
    const unknown = refusal(() => parseJsonBody(schema, '{"month":"x","colour":1}'));
    expect([unknown.status, unknown.problems]).toEqual([400, ['body: unknown field "colour"']]);
    expect(refusal(() => parseJsonBody(schema, '{"month":1}')).problems).toEqual(['month: Invalid input: expected string, received number']);
    expect(refusal(() => parseJsonBody(schema, '[]')).problems).toEqual(['body: Invalid input: expected object, received array']);
  });

  it('an unknown field or query parameter that could be a CPR number is not repeated', () => {
    fc.assert(
      fc.property(arbitraryCprWriting, ({ digits, written }) => {
        const body = refusal(() => parseJsonBody(schema, JSON.stringify({ month: 'x', [written]: 1 })));
        const query = refusal(() => parseQuery(z.object({}).strict(), { [written]: 'x' }));
        expect(cprsIn(JSON.stringify([body.message, body.problems, query.message, query.problems]), [digits])).toEqual([]);
      }),
    );
  });
});

describe('safe text', () => {
  it('quotes values with at most 5 digits, and describes the others', () => {
    expect(quoteSafely('colour')).toBe('"colour"');
    expect(quoteSafely('a12345')).toBe('"a12345"');
    fc.assert(fc.property(arbitraryCprWriting, ({ digits, written }) => cprsIn(quoteSafely(written), [digits]).length === 0));
  });

  it('scrubs digit runs that could be CPR numbers from log text, and keeps short numbers', () => {
    fc.assert(fc.property(arbitraryCprWriting, fc.string(), ({ digits, written }, around) => cprsIn(scrubDigitRuns(`${around} ${written} ${around}`), [digits]).length === 0));
    expect(scrubDigitRuns('at api.ts:123:45')).toBe('at api.ts:123:45');
  });
});
