import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, CsvSyntaxError } from '../../shared/timesheets/csv-parser.ts';
import { readTimesheet } from '../../shared/timesheets/read-timesheet.ts';
import { accepted, chunksOf, csv, pseudonymise, read, rejectedWhole } from '../fixtures/timesheets/helpers.ts';

interface Parsed {
  delimiter: string;
  records: { line: number; fields: string[] }[];
}

/** Parses `chunks` in order and returns every record (copied: the parser reuses its array). */
function parse(...chunks: string[]): Parsed {
  const records: Parsed['records'] = [];
  const parser = new CsvParser((fields, line) => records.push({ line, fields: [...fields] }));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return { delimiter: parser.delimiter, records };
}

/** The records as `line: field|field` strings, easy to compare. */
const lines = (parsed: Parsed) => parsed.records.map((r) => `${r.line}: ${r.fields.join('|')}`);

describe('delimiter detection from the header line', () => {
  it('detects a comma', () => {
    const parsed = parse(csv(['a,b,c', '1,2,3']));
    expect(parsed.delimiter).toBe(',');
    expect(lines(parsed)).toEqual(['1: a|b|c', '2: 1|2|3']);
  });

  it('detects a semicolon and leaves decimal commas inside fields', () => {
    const parsed = parse(csv(['Deltager;Timer;Aktivitet', 'P1;7,5;praktik']));
    expect(parsed.delimiter).toBe(';');
    expect(lines(parsed)).toEqual(['1: Deltager|Timer|Aktivitet', '2: P1|7,5|praktik']);
  });

  it('counts only delimiters outside quotes, and the majority wins', () => {
    expect(parse(csv(['"a;b;c",d,e', 'x,y,z'])).delimiter).toBe(',');
    expect(parse(csv(['"a,b,c";d;e', 'x;y;z'])).delimiter).toBe(';');
    expect(parse(csv(['a;b;c,d'])).delimiter).toBe(';');
    expect(parse(csv(['a;b,c'])).delimiter).toBe(','); // a tie is a comma
  });

  it('is decided by the header even when later lines have more of the other', () => {
    const parsed = parse(csv(['a;b', 'x,1,2,3;y']));
    expect(lines(parsed)).toEqual(['1: a|b', '2: x,1,2,3|y']);
  });

  it('ignores empty lines before the header', () => {
    const parsed = parse('\n\r\nDeltager;Timer;Aktivitet\nP1;7,5;praktik\n');
    expect(parsed.delimiter).toBe(';');
    expect(lines(parsed)).toEqual(['3: Deltager|Timer|Aktivitet', '4: P1|7,5|praktik']);
  });
});

describe('records and physical line numbers', () => {
  it('strips a BOM from the first chunk only', () => {
    const parsed = parse('\uFEFFa;b\n1;2');
    expect(parsed.records[0]!.fields).toEqual(['a', 'b']);
    expect(parse('\uFEFF', 'a;b\n').records[0]!.fields).toEqual(['a', 'b']);
  });

  it('handles CRLF line ends, inside and outside quotes', () => {
    const parsed = parse(csv(['a,b', '1,2', '"x",y', 'last,"z"'], { eol: '\r\n' }));
    expect(lines(parsed)).toEqual(['1: a|b', '2: 1|2', '3: x|y', '4: last|z']);
  });

  it('keeps delimiters, doubled quotes and line breaks inside quoted fields', () => {
    const text = csv([
      'h1,h2,h3', //                    line 1
      '"7,5","say ""hi""",plain', //   line 2
      '"multi', //                     line 3 (record spans 3–5)
      'line', //
      'field",x,y', //
      'after,"a;b",""', //             line 6
      '"two', //                       line 7 (spans 7–8)
      'lines","",z', //
      'end,of,file', //                line 9
    ]);
    expect(lines(parse(text))).toEqual([
      '1: h1|h2|h3',
      '2: 7,5|say "hi"|plain',
      '3: multi\nline\nfield|x|y',
      '6: after|a;b|',
      '7: two\nlines||z',
      '9: end|of|file',
    ]);
  });

  it('counts CRLF line breaks inside quotes as lines', () => {
    const parsed = parse('h1;h2\r\n"a\r\nb\r\nc";1\r\nnext;2\r\n');
    expect(parsed.records.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(parsed.records[1]!.fields).toEqual(['a\r\nb\r\nc', '1']);
  });

  it('emits the last record without a trailing newline, plain or quoted', () => {
    expect(lines(parse('a,b\n1,2'))).toEqual(['1: a|b', '2: 1|2']);
    expect(lines(parse('a,b\n1,"2"'))).toEqual(['1: a|b', '2: 1|2']);
    expect(lines(parse('a,b\r\n1,2'))).toEqual(['1: a|b', '2: 1|2']);
  });

  it('skips empty lines but still counts them', () => {
    const parsed = parse('a,b\n\n1,2\r\n\r\n\n3,4\n\n');
    expect(lines(parsed)).toEqual(['1: a|b', '3: 1|2', '6: 3|4']);
  });

  it('passes lines of empty fields through (the reader skips them)', () => {
    expect(lines(parse('a;b;c;d\n;;;\n1;2;3;4\n'))).toEqual(['1: a|b|c|d', '2: |||', '3: 1|2|3|4']);
  });

  it('keeps empty fields at both ends', () => {
    expect(parse(',a,\n').records[0]!.fields).toEqual(['', 'a', '']);
  });

  it('rejects an unterminated quote, naming the line where the record starts', () => {
    expect(() => parse('a,b\n1,2\n"open,3\nmore\n')).toThrow(CsvSyntaxError);
    expect(() => parse('a,b\n1,2\n"open,3\nmore\n')).toThrow(/line 3/);
    expect(() => parse('a,b\n1,"2')).toThrow(CsvSyntaxError);
  });

  it('parses empty input to no records', () => {
    expect(parse('').records).toEqual([]);
    expect(parse('', '', '').records).toEqual([]);
    expect(parse('\n\n').records).toEqual([]);
  });
});

describe('chunk boundaries', () => {
  const text =
    '\uFEFFDeltager;Dato;Timer;Aktivitet\r\n' +
    'P1;15-01-2024;7,5;praktik\r\n' +
    '\r\n' +
    '"P;2";"16.01.2024";"3,25";"ordinær\r\nmed ""linjeskift"""\r\n' +
    ';;;\n' +
    'P3;17/01/2024;""; fravær \n' +
    '"P4""";2024-01-18;1;"x"\n' +
    'sidste;linje;uden;newline';
  const whole = parse(text);

  it('the reference parse is right', () => {
    expect(lines(whole)).toEqual([
      '1: Deltager|Dato|Timer|Aktivitet',
      '2: P1|15-01-2024|7,5|praktik',
      '4: P;2|16.01.2024|3,25|ordinær\r\nmed "linjeskift"',
      '6: |||',
      '7: P3|17/01/2024|| fravær ',
      '8: P4"|2024-01-18|1|x',
      '9: sidste|linje|uden|newline',
    ]);
  });

  it('gives the same records when split into two chunks at every position', () => {
    for (let i = 0; i <= text.length; i++) {
      expect(parse(text.slice(0, i), text.slice(i)), `split at ${i}`).toEqual(whole);
    }
  });

  it('gives the same records when split into three chunks at every pair of positions', () => {
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j++) {
        const parsed = parse(text.slice(0, i), text.slice(i, j), text.slice(j));
        if (JSON.stringify(parsed) !== JSON.stringify(whole)) expect.fail(`split at ${i} and ${j}`);
      }
    }
  });

  it('gives the same records fed one character at a time', () => {
    expect(parse(...text)).toEqual(whole);
  });

  it('gives the same records for random CSV split at random places (property)', () => {
    const field = fc.oneof(
      fc.stringMatching(/^[a-zæøå0-9 ,.]{0,6}$/),
      fc.string({ unit: fc.constantFrom('a', ';', '"', '\n', '\r\n', ' ') , maxLength: 6 }).map((s) => `"${s.replaceAll('"', '""')}"`),
    );
    const record = fc.array(field, { minLength: 1, maxLength: 4 }).map((fields) => fields.join(';'));
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 5 }), (records, cuts) => {
        const body = 'a;b;c\n' + records.join('\r\n');
        const positions = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((x, y) => x - y);
        const chunks: string[] = [];
        let from = 0;
        for (const p of positions) {
          chunks.push(body.slice(from, p));
          from = p;
        }
        chunks.push(body.slice(from));
        expect(parse(...chunks)).toEqual(parse(body));
      }),
      { numRuns: 500 },
    );
  });

  it('reading bytes split at every position (multi-byte characters, BOM) gives the same totals', async () => {
    const bytes = new TextEncoder().encode(
      '\uFEFFDeltager;Dato;Timer;Aktivitet\r\nBørge;15-01-2024;7,5;løntilskud\r\n"Åse;Ø";16-01-2024;"2,25";Lønnede timer\r\n',
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const reference = accepted(await read(bytes));
    expect(reference.accepted).toBe(2);
    expect(reference.weeks.map((w) => w.participant).sort()).toEqual(['Børge', 'Åse;Ø']);
    for (let i = 0; i <= bytes.length; i++) {
      const result = await readTimesheet(
        { name: 'split.csv', month: '2024-01', body: chunksOf([bytes.slice(0, i), bytes.slice(i)]) },
        { pseudonymise },
      );
      expect(result, `split at byte ${i}`).toEqual(reference);
    }
  });
});

describe('reading a `;` file with empty lines before the header', () => {
  it('detects `;` from the header, not from the empty line, and keeps physical line numbers', async () => {
    const result = accepted(await read('\r\nDeltager;Timer;Aktivitet\r\nP1;7,5;praktik\r\nP2;x;praktik\r\n'));
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([{ line: 4, reason: 'column "Timer": "x" is not a number of hours' }]);
  });
});

describe('unterminated quotes reject the whole file', () => {
  it('reports a clear reason', async () => {
    const reason = rejectedWhole(await read(csv(['Deltager;Timer;Aktivitet', 'P1;7;praktik', '"P2;7;praktik'])));
    expect(reason).toMatch(/line 3/);
    expect(reason).toMatch(/quote/);
  });
});
