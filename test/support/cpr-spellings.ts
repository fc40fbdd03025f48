import fc from 'fast-check';

/**
 * The ways a CPR number gets written (spec 2.4), for the unit tests that feed them
 * to the pseudonymiser and for the leak scans that look for them in every output.
 */

/** Separators a person or a spreadsheet puts between DDMMYY and XXXX. */
const BETWEEN = ['-', ' ', '\u00a0', '\u202f', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\ufe63', '\uff0d', '.', '/', '_', '\n', '\r\n', ' - ', ' \u2013 '];
/** Separators between every pair: DD-MM-YY-XXXX and the like. */
const EVERY_PAIR = ['-', '.', '/', ' '];

const fullWidth = (text: string) => text.replace(/[0-9-]/g, (c) => (c === '-' ? '\uff0d' : String.fromCharCode(c.charCodeAt(0) + 0xfee0)));

/**
 * How one CPR number (its 10 digits) may be written in a file, all of them one
 * person: 10 digits, DDMMYY-XXXX with any dash, space or line break, DD.MM.YY.XXXX
 * and the like, full-width digits, and 9 digits when a spreadsheet dropped a leading 0.
 */
export function cprWritings(tenDigits: string): string[] {
  const d = tenDigits;
  const written = [d, ...BETWEEN.map((sep) => `${d.slice(0, 6)}${sep}${d.slice(6)}`)];
  for (const sep of EVERY_PAIR) written.push([d.slice(0, 2), d.slice(2, 4), d.slice(4, 6), d.slice(6)].join(sep));
  written.push(fullWidth(d), fullWidth(`${d.slice(0, 6)}-${d.slice(6)}`));
  if (d.startsWith('0')) written.push(d.slice(1), `${d.slice(1, 6)}-${d.slice(6)}`);
  return written;
}

/** JSON's escapes of a text (`\n`, `\u00a0`), as a log line or a JSON body carries it. */
const escapes = (text: string) => [JSON.stringify(text).slice(1, -1), text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)];

/**
 * Every way a CPR number may be written (any of `cprs`, e.g. `DDMMYY-XXXX` or 10
 * digits): every writing of cprWritings, also JSON-escaped. What a leak scan looks for.
 */
export function cprSpellings(cprs: readonly string[]): string[] {
  const all = cprs.flatMap((cpr) => cprWritings(cpr.normalize('NFKC').replace(/\D/g, '')).flatMap((writing) => [writing, ...escapes(writing)]));
  return [...new Set(all)];
}

/** Every separator spec 2.4 allows between the digits (and those the code adds: `,`, quotes, invisible ones). */
const SEPARATORS = [' ', '\t', '\u00a0', '\u202f', '\u2007', '\u3000', '\n', '\r', '\r\n', '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\ufe63', '\uff0d', '.', '/', '_', ',', "'", '"', '\u200b', '\u00ad'];

/** Fictional CPR numbers: DDMMYY and a 4-digit serial. */
export const arbitraryCpr = fc
  .tuple(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9999 }))
  .map(([d, m, y, n]) => [d, m, y].map((v) => String(v).padStart(2, '0')).join('') + String(n).padStart(4, '0'));

/**
 * A CPR number written any way spec 2.4 allows: its digits in random groups joined
 * by runs of separators, some digits full-width, the leading 0 sometimes dropped.
 * Gives the 10 digits and the writing.
 */
export const arbitraryCprWriting: fc.Arbitrary<{ digits: string; written: string }> = arbitraryCpr.chain((digits) =>
  fc
    .record({
      cuts: fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { maxLength: 5 }),
      joins: fc.array(fc.string({ unit: fc.constantFrom(...SEPARATORS), minLength: 1, maxLength: 3 }), { minLength: 5, maxLength: 5 }),
      wide: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
      dropZero: fc.boolean(),
    })
    .map(({ cuts, joins, wide, dropZero }) => {
      const from = dropZero && digits.startsWith('0') ? 1 : 0;
      const sorted = [...cuts].filter((cut) => cut > from).sort((a, b) => a - b);
      let written = '';
      for (let i = from; i < 10; i++) {
        const at = sorted.indexOf(i);
        if (at >= 0) written += joins[at]!;
        written += wide[i] ? fullWidth(digits[i]!) : digits[i]!;
      }
      return { digits, written };
    }),
);
