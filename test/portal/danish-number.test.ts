import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/*
 * portal/danish-number.js: every number field of the portal reads its text with it,
 * so Danish notation must come out as the intended number and anything that could
 * be read two ways must be refused, never guessed (issue 10, point 3).
 */
type Parsed = { ok: true; value: number } | { ok: false; code: string; suggestion?: string };
type Options = { share?: boolean };
const { parseNumber, formatNumber } = (await import(new URL('../../portal/danish-number.js', import.meta.url).href)) as {
  parseNumber(text: string, language?: 'da' | 'en', options?: Options): Parsed;
  formatNumber(value: number, language?: 'da' | 'en', options?: Options): string;
};

const value = (text: string, language: 'da' | 'en' = 'da', options: Options = {}) => {
  const parsed = parseNumber(text, language, options);
  if (!parsed.ok) throw new Error(`${text}: refused (${parsed.code})`);
  return parsed.value;
};

describe('parseNumber in Danish', () => {
  it('reads decimal commas, thousands dots and spaces', () => {
    expect(value('12,5')).toBe(12.5);
    expect(value('0,1')).toBe(0.1);
    expect(value('450.000')).toBe(450_000);
    expect(value('1.234,5')).toBe(1234.5);
    expect(value('1.234.567,89')).toBe(1_234_567.89);
    expect(value('450 000')).toBe(450_000);
    expect(value('  -7,25 ')).toBe(-7.25);
    expect(value('−3')).toBe(-3);
    expect(value(',5')).toBe(0.5);
  });

  it('refuses a dot that is not a thousands mark, and suggests the comma', () => {
    expect(parseNumber('1.5')).toEqual({ ok: false, code: 'ambiguousDot', suggestion: '1,5' });
    expect(parseNumber('12.34')).toMatchObject({ ok: false, code: 'ambiguousDot', suggestion: '12,34' });
    expect(parseNumber('0.100')).toMatchObject({ ok: false, code: 'ambiguousDot' });
    expect(parseNumber('1.2345')).toMatchObject({ ok: false, code: 'ambiguousDot' });
  });

  it('refuses English notation, saying how to write it in Danish', () => {
    expect(parseNumber('1,234.5')).toEqual({ ok: false, code: 'otherNotation', suggestion: '1.234,5' });
  });

  it('refuses what is no number at all', () => {
    for (const text of ['', '  ', 'abc', '1,2,3', '12,', '1e5', '--1', '4 5', '.']) expect(parseNumber(text).ok, text).toBe(false);
    expect(parseNumber('')).toMatchObject({ code: 'empty' });
  });

  it('reads shares as percentages: "10 %" and "10" are 0.1; a bare fraction is refused', () => {
    expect(value('10 %', 'da', { share: true })).toBe(0.1);
    expect(value('10%', 'da', { share: true })).toBe(0.1);
    expect(value('25', 'da', { share: true })).toBe(0.25);
    expect(value('12,5 %', 'da', { share: true })).toBe(0.125);
    expect(value('0 %', 'da', { share: true })).toBe(0);
    expect(parseNumber('0,1', 'da', { share: true })).toEqual({ ok: false, code: 'shareAmbiguous', suggestion: '10 %' });
    expect(parseNumber('10 %')).toMatchObject({ ok: false, code: 'percentNotHere' });
  });
});

describe('parseNumber in English', () => {
  it('reads English notation', () => {
    expect(value('450,000', 'en')).toBe(450_000);
    expect(value('0.1', 'en')).toBe(0.1);
    expect(value('1,234.5', 'en')).toBe(1234.5);
    expect(value('10 %', 'en', { share: true })).toBe(0.1);
  });

  it('refuses a comma that is not a thousands mark, and Danish notation', () => {
    expect(parseNumber('1,5', 'en')).toEqual({ ok: false, code: 'ambiguousComma', suggestion: '1.5' });
    expect(parseNumber('1.234,5', 'en')).toEqual({ ok: false, code: 'otherNotation', suggestion: '1,234.5' });
  });
});

describe('formatNumber → parseNumber', () => {
  const numbers = fc.double({ min: -1e15, max: 1e15, noNaN: true, noDefaultInfinity: true });

  it('round-trips every number exactly, in both languages', () => {
    fc.assert(
      fc.property(numbers, fc.constantFrom('da' as const, 'en' as const), (x, language) => {
        expect(value(formatNumber(x, language), language)).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips every share through its percentage exactly', () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.constantFrom('da' as const, 'en' as const), (x, language) => {
        const text = formatNumber(x, language, { share: true });
        expect(text.endsWith(' %')).toBe(true);
        expect(value(text, language, { share: true })).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes Danish thousands dots and decimal commas', () => {
    expect(formatNumber(1234567.89)).toBe('1.234.567,89');
    expect(formatNumber(1e-7)).toBe('0,0000001');
    expect(formatNumber(0.25, 'da', { share: true })).toBe('25 %');
    expect(formatNumber(450000, 'en')).toBe('450,000');
  });
});
