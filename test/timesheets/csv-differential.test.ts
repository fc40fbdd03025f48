/**
 * Differential property test: CsvParser, fed random chunks, against papaparse (a
 * reference parser, given the whole text) on random CSV built from a small alphabet:
 * letters, both delimiters, stray `"` inside fields, quoted fields holding delimiters,
 * `""`, CR, LF and CRLF, empty lines, a leading BOM, and now and then a quoted field
 * left open at the end.
 *
 * Spec 2.1 is the authority; where papaparse reads differently, the generator avoids
 * the case or the results are normalised, as follows:
 * - Line ends: papaparse guesses ONE line end for the whole text (`\n`, `\r\n` or `\r`)
 *   and treats the others as text; spec 2.1 ends a record at any of them. Each input
 *   uses one line end outside quoted fields, and papaparse is told which (`newline`).
 *   Quoted fields hold any of CR, LF and CRLF, as text for both.
 * - After a closing quote: papaparse takes a `"` as closing only when a delimiter or
 *   line end follows (allowing spaces between, which it drops); any other `"` inside a
 *   quoted field is kept as text with an InvalidQuotes error and the field runs on to a
 *   later quote. Spec 2.1 closes the field at the first `"` not doubled and keeps text
 *   after it as written (`"a"b` is `ab`). Generated quoted fields are always followed
 *   by a delimiter, a line end or the end of the text.
 * - Empty records: both skip empty lines, but papaparse's skipEmptyLines also drops a
 *   record made of one empty quoted field (`""`), which spec 2.1 keeps (the timesheet
 *   reader then skips it as a blank row). Records `['']` are dropped from both sides.
 * - A quoted field open at the end: papaparse returns the rest of the text as the field
 *   with a MissingQuotes error; spec 2.1 rejects the file. The comparison is "CsvParser
 *   throws" against "papaparse reports MissingQuotes".
 * Stray quotes inside unquoted fields (`12" skærm`) need no special case: papaparse,
 * like spec 2.1, treats a `"` as special only at the start of a field.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { CsvParser, CsvSyntaxError } from '../../shared/timesheets/csv-parser.ts';
import { readCsv } from '../../shared/timesheets/read-csv.ts';

const EOLS = ['\n', '\r\n', '\r'] as const;
const DELIMITERS = [',', ';'] as const;

interface Case {
  text: string;
  delimiter: string;
  eol: string;
  /** Where the text is cut into chunks for CsvParser. */
  cuts: number[];
}

/** Stands for the delimiter not in use, in an unquoted field (filled in once the delimiter is drawn). */
const OTHER = '~';

/** An unquoted field: never starts with `"` (that would open a quoted one), holds stray quotes and the other delimiter. */
const plainField = fc.string({ unit: fc.constantFrom('a', 'b', 'æ', ' ', '"', OTHER), maxLength: 5 }).filter((s) => !s.startsWith('"'));

/** A quoted field: any text (quotes doubled) with delimiters and line breaks. */
const quotedField = fc
  .string({ unit: fc.constantFrom('a', ' ', '"', ',', ';', '\n', '\r', '\r\n'), maxLength: 6 })
  .map((s) => `"${s.replaceAll('"', '""')}"`);

/** A record's fields (joined once the delimiter is drawn), or an empty line. */
const record = fc.oneof(
  { weight: 8, arbitrary: fc.array(fc.oneof(plainField, quotedField), { minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constant([]) },
);

const csvCase: fc.Arbitrary<Case> = fc
  .record({
    delimiter: fc.constantFrom(...DELIMITERS),
    eol: fc.constantFrom(...EOLS),
    bom: fc.boolean(),
    header: fc.array(fc.stringMatching(/^[a-z]{1,3}$/), { minLength: 2, maxLength: 4 }),
    records: fc.array(record, { maxLength: 8 }),
    ending: fc.constantFrom('none', 'eol', 'open quote'),
    cuts: fc.array(fc.nat(), { maxLength: 6 }),
  })
  .map(({ delimiter, eol, bom, header, records, ending, cuts }) => {
    const other = delimiter === ',' ? ';' : ',';
    const lines = [header, ...records].map((fields) => fields.map((field) => (field.startsWith('"') ? field : field.replaceAll(OTHER, other))).join(delimiter));
    const end = ending === 'eol' ? eol : ending === 'open quote' ? `${delimiter}"open a${eol}b` : '';
    return { text: (bom ? '\uFEFF' : '') + lines.join(eol) + end, delimiter, eol, cuts };
  });

type Outcome = { records: string[][] } | { unterminated: true };

function ours({ text, cuts }: Case): Outcome & { delimiter?: string } {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const records: string[][] = [];
  const parser = new CsvParser((fields) => records.push([...fields]));
  try {
    let from = 0;
    for (const to of [...at, text.length]) {
      parser.push(text.slice(from, to));
      from = to;
    }
    parser.end();
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { unterminated: true };
    throw error;
  }
  return { records: records.filter(notOneEmptyField), delimiter: parser.delimiter };
}

function reference({ text, delimiter, eol }: Case): Outcome {
  const result = Papa.parse<string[]>(text, { delimiter, newline: eol as '\n', skipEmptyLines: true });
  if (result.errors.some((error) => error.code === 'MissingQuotes')) return { unterminated: true };
  expect(result.errors).toEqual([]);
  return { records: result.data.filter(notOneEmptyField) };
}

const notOneEmptyField = (record: string[]) => !(record.length === 1 && record[0] === '');

/**
 * The same text as UTF-8 bytes, cut at the same places, through readCsv: slices of
 * whole characters go the fast way (plain records as bytes, CsvParser.readPlainRecords),
 * the others as text. How many records came as bytes is counted, to see the fast way taken.
 */
async function fromBytes({ text, cuts }: Case): Promise<Outcome & { plain: number }> {
  const bytes = new TextEncoder().encode(text);
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks = [...at, bytes.length].map((to, i, ends) => bytes.slice(i === 0 ? 0 : ends[i - 1], to));
  const records: string[][] = [];
  let plain = 0;
  try {
    await readCsv(
      { body: (async function* () { yield* chunks; })() },
      {
        onRecord: (fields) => records.push([...fields]),
        onPlainRecord: (line, starts, fields, _, text) => {
          plain++;
          records.push(Array.from({ length: fields }, (_, k) => text(line, starts[k]!, starts[k + 1]! - 1)));
        },
        restart: () => expect.fail('UTF-8 text is never read again'),
      },
    );
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { unterminated: true, plain };
    throw error;
  }
  return { records: records.filter(notOneEmptyField), plain };
}

describe('CsvParser against papaparse', () => {
  it('gives the same records, or rejects exactly where papaparse finds an unterminated quote (property)', () => {
    fc.assert(
      fc.property(csvCase, (input) => {
        const got = ours(input);
        const want = reference(input);
        if ('records' in want) expect(got).toEqual({ ...want, delimiter: input.delimiter });
        else expect(got).toEqual(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same records read from bytes, plain records coming as bytes (property)', async () => {
    let plain = 0;
    await fc.assert(
      fc.asyncProperty(csvCase, async (drawn) => {
        // Also all ASCII (no æ, no BOM), so that whole slices can go the fast way.
        for (const input of [drawn, { ...drawn, text: drawn.text.replace(/^\uFEFF/, '').replaceAll('æ', 'e') }]) {
          const { plain: asBytes, ...got } = await fromBytes(input);
          const { delimiter: _, ...want } = ours(input);
          expect(got).toEqual(want);
          plain += asBytes;
        }
      }),
      { numRuns: 3000 },
    );
    expect(plain).toBeGreaterThan(200); // ~360: most generated records hold a quoted field
  });

  it('the generator reaches every case it is meant to', () => {
    const samples = fc.sample(csvCase, { numRuns: 2000, seed: 7 });
    const has = (test: (c: Case) => boolean) => samples.some(test);
    expect(has((c) => c.text.startsWith('\uFEFF'))).toBe(true);
    expect(has((c) => /[^\r]\n/.test(c.text) && c.eol === '\r')).toBe(true); // LF inside quotes of a CR file
    expect(has((c) => c.eol === '\r\n' && c.text.includes('\r\n\r\n'))).toBe(true); // an empty line
    expect(has((c) => /[a-z ]"[a-z ]/.test(c.text))).toBe(true); // a stray quote mid-field
    expect(has((c) => 'unterminated' in ours(c))).toBe(true);
  });
});
