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
    expect([...reference.weeks].map((w) => w.participant).sort()).toEqual(['Børge', 'Åse;Ø']);
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
    expect(result.rejected).toEqual([{ line: 4, reason: 'column "Timer": "x" is not a number of hours', problems: [{ code: 'hours-invalid', column: 'Timer' }] }]);
  });
});

describe('unterminated quotes reject the whole file', () => {
  it('reports a clear reason', async () => {
    const reason = rejectedWhole(await read(csv(['Deltager;Timer;Aktivitet', 'P1;7;praktik', '"P2;7;praktik'])));
    expect(reason).toMatch(/line 3/);
    expect(reason).toMatch(/quote/);
  });
});

describe('line ends: LF, CRLF and a lone CR (old Mac exports)', () => {
  it('reads a CR-only file as all its records, not as a header alone', () => {
    const parsed = parse('Deltager;Timer;Aktivitet\rP1;7,5;praktik\rP2;3;løn\r');
    expect(lines(parsed)).toEqual(['1: Deltager|Timer|Aktivitet', '2: P1|7,5|praktik', '3: P2|3|løn']);
  });

  it('counts a CR-only empty line and a CR inside quotes as a line each', () => {
    const parsed = parse('a;b\r\r"x\ry";1\r\r2;"z"\r3;4');
    expect(lines(parsed)).toEqual(['1: a|b', '3: x\ry|1', '6: 2|z', '7: 3|4']);
  });

  it('takes mixed line ends as they come, a CRLF always as one', () => {
    expect(lines(parse('a,b\r1,2\n3,4\r\n5,6\n\r7,8'))).toEqual(['1: a|b', '2: 1|2', '3: 3|4', '4: 5|6', '6: 7|8']);
  });

  it('counts a CRLF split between chunks once, outside and inside quotes', () => {
    expect(lines(parse('a,b\r', '\n1,2\r', '\n3,4'))).toEqual(['1: a|b', '2: 1|2', '3: 3|4']);
    expect(lines(parse('a,b\n"x\r', '\ny",1\r', '\r', '\n2,3'))).toEqual(['1: a|b', '2: x\r\ny|1', '5: 2|3']);
  });

  it('detects the delimiter from a CR-ended header', () => {
    expect(parse('a;b;c\r1;2,5;3\r').delimiter).toBe(';');
    expect(parse('\r\r\na;b\r1;2').records[0]).toEqual({ line: 3, fields: ['a', 'b'] });
  });
});

describe('a quote is special only at the start of a field', () => {
  it('keeps `12" skærm` rows as they are, with their own line numbers', () => {
    const text = csv(['Deltager;Timer;Aktivitet;Note', 'P1;7;praktik;12" skærm', 'P2;3;praktik;ok', 'P3;1;praktik;24" skærm', 'P4;2;praktik;x']);
    expect(lines(parse(text))).toEqual([
      '1: Deltager|Timer|Aktivitet|Note',
      '2: P1|7|praktik|12" skærm',
      '3: P2|3|praktik|ok',
      '4: P3|1|praktik|24" skærm',
      '5: P4|2|praktik|x',
    ]);
  });

  it('keeps a single stray quote without rejecting the file, also in the first field', () => {
    expect(lines(parse('a;b\nP"1;2\n'))).toEqual(['1: a|b', '2: P"1|2']);
    expect(lines(parse('a;b\n1;x"\n'))).toEqual(['1: a|b', '2: 1|x"']);
  });

  it('takes a space before a quote as text: the field is not quoted', () => {
    expect(lines(parse('a;b\n "x;y";1\n'))).toEqual(['1: a|b', '2:  "x|y"|1']);
  });

  it('keeps text after a closing quote as written, a quote in it included', () => {
    expect(parse('a,b\n"x"y,"p"q"r"\n').records[1]!.fields).toEqual(['xy', 'pq"r"']);
  });

  it('does not take a quote after a quoted field closed as a new opening', () => {
    expect(lines(parse('a,b\n"x"",y""",z\n1,2\n'))).toEqual(['1: a|b', '2: x",y"|z', '3: 1|2']);
  });
});

describe('a quoted field never closed rejects the whole text', () => {
  it('names the line and field where the quote opened, not where its record starts', () => {
    expect(() => parse('a,b\n1,2\n"open,3\nmore\n')).toThrow(new CsvSyntaxError('line 3, field 1: a quoted field opened here is never closed', { code: 'csv-unclosed-quote', line: 3 }));
    expect(() => parse('a,b\n"two\nlines",x\ny,"open\n\n')).toThrow(/^line 4, field 2: /);
    expect(() => parse('a,b\n"x\n\ny","z\r\nopen')).toThrow(/^line 4, field 2: /);
    expect(() => parse('a,b\n1,"2')).toThrow(/^line 2, field 2: /);
  });

  it('rejects whatever the chunking, always naming the same line', () => {
    const text = 'a;b\r\n1;2\r\n3;"x""\ry\r\n4;5\r\n';
    for (let i = 0; i <= text.length; i++) expect(() => parse(text.slice(0, i), text.slice(i)), `split at ${i}`).toThrow(/^line 3, field 2: /);
  });

  it('rejects a 10 MB file with an unterminated quote near its start (linear time: this once took 50 s)', () => {
    const rows = Array.from({ length: 340_000 }, (_, i) => `P${i};2024-01-15;7,5;praktik`).join('\n');
    const text = `Deltager;Dato;Timer;Aktivitet\nP0;"2024-01-15;1;praktik\n${rows}\n`;
    expect(text.length).toBeGreaterThan(10_000_000);
    const chunks = Array.from({ length: Math.ceil(text.length / 65_536) }, (_, i) => text.slice(i * 65_536, (i + 1) * 65_536));
    expect(() => parse(...chunks)).toThrow(/^line 2, field 2: a quoted field opened here is never closed$/);
  });
});

describe('memory stays bounded by the record, not by the input', () => {
  it('rejects a record of more than 10,000 fields, naming its line, whatever the chunking', () => {
    const wide = `a;b\n1;2\n${';'.repeat(10_000)}\n`;
    expect(parse(`a;b\n${';'.repeat(9_999)}\n`).records[1]!.fields.length).toBe(10_000);
    expect(() => parse(wide)).toThrow(new CsvSyntaxError('line 3: a record of more than 10,000 fields', { code: 'csv-too-many-fields', line: 3 }));
    expect(() => parse(wide.slice(0, 5000), wide.slice(5000))).toThrow(/^line 3: a record of more than 10,000 fields$/);
    expect(() => parse(`a;b\n${';'.repeat(20_000)}`)).toThrow(/^line 2: /);
  });

  it('undoes a long run of doubled quotes into one field', () => {
    const text = `a;b\n"${'""'.repeat(100_000)}";x\n`;
    const chunks = Array.from({ length: Math.ceil(text.length / 999) }, (_, i) => text.slice(i * 999, (i + 1) * 999));
    for (const parsed of [parse(text), parse(...chunks)]) {
      expect(parsed.records[1]!.fields).toEqual(['"'.repeat(100_000), 'x']);
    }
  });
});
