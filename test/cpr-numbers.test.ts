import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPseudonymiser, MAX_PARTICIPANT_LENGTH, ParticipantValueError, redactCpr } from '../shared/cpr-numbers.ts';
import { accepted, csv, read, TEST_KEY } from './fixtures/timesheets/helpers.ts';
import { arbitraryCprWriting, cprWritings } from './support/cpr-spellings.ts';
import { cprsIn } from './support/leak-scan.ts';

/** The spec's definition (2.4), computed here independently of the code. */
const expected = (key: string, tenDigits: string) => 'px_' + createHmac('sha256', key).update(tenDigits, 'utf8').digest('hex').slice(0, 16);

describe('CPR numbers become pseudonyms', () => {
  const pseudonymise = createPseudonymiser(TEST_KEY);

  it('DDMMYY-XXXX and 10 digits give the same px_ + 16 hex', () => {
    // Reference value from `printf 0101901234 | openssl dgst -sha256 -hmac test-key-1`.
    expect(expected(TEST_KEY, '0101901234')).toBe('px_5d5f0a78b7af7b13');
    expect(pseudonymise('010190-1234')).toBe('px_5d5f0a78b7af7b13');
    expect(pseudonymise('0101901234')).toBe('px_5d5f0a78b7af7b13');
    expect(pseudonymise('  010190-1234 ')).toBe('px_5d5f0a78b7af7b13');
    expect(pseudonymise('010190 1234')).toBe('px_5d5f0a78b7af7b13');
    expect(pseudonymise('2412851111')).toBe('px_ec4bda165a51007d'); // openssl as well
  });

  it('restores the leading zero a spreadsheet dropped: 9 digits are a CPR number too', () => {
    expect(pseudonymise('101901234')).toBe('px_5d5f0a78b7af7b13');
    expect(pseudonymise('10190-1234')).toBe('px_5d5f0a78b7af7b13');
  });

  it('matches HMAC-SHA256 of the 10 digits for any CPR number (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{6}$/), fc.stringMatching(/^\d{4}$/), fc.constantFrom('', '-'), (six, four, dash) => {
        const id = pseudonymise(`${six}${dash}${four}`);
        expect(id).toMatch(/^px_[0-9a-f]{16}$/);
        expect(id).toBe(expected(TEST_KEY, six + four));
      }),
    );
  });

  it.each([
    ['311299 7822'],
    ['31-12-99-7822'],
    ['31.12.99.7822'],
    ['311299\u20137822'], // en dash
    ['311299 \u2013 7822'],
    ['311299\u00a07822'], // no-break space
    ['311299\u202f7822'], // narrow no-break space
    ['\uff13\uff11\uff11\uff12\uff19\uff19\uff17\uff18\uff12\uff12'], // full-width digits
    ['311299\n7822'], // a line break inside a quoted cell
    ['311299\r\n7822'],
    ['31/12/99/7822'],
    ['311299_7822'],
  ])('the spelling %j is the same person as 3112997822', (written) => {
    expect(pseudonymise(written)).toBe(expected(TEST_KEY, '3112997822'));
  });

  it('every writing a leak scan looks for is the same person as the plain 10 digits', () => {
    for (const digits of ['3112997822', '0101901234']) {
      for (const written of cprWritings(digits)) expect(pseudonymise(written), JSON.stringify(written)).toBe(expected(TEST_KEY, digits));
    }
  });

  it('any grouping, any separators, full-width digits and a lost leading zero give the pseudonym of the 10 digits (property)', () => {
    fc.assert(
      fc.property(arbitraryCprWriting, ({ digits, written }) => {
        expect(pseudonymise(written)).toBe(expected(TEST_KEY, digits));
        expect(pseudonymise(`  ${written}\t`)).toBe(expected(TEST_KEY, digits));
      }),
      { numRuns: 500 },
    );
  });

  it('different keys give different pseudonyms', () => {
    const other = createPseudonymiser('test-key-2');
    expect(other('0101901234')).toBe('px_fdeaf635cabd29b1'); // openssl with test-key-2
    expect(other('0101901234')).not.toBe(pseudonymise('0101901234'));
  });

  it('different people give different pseudonyms', () => {
    expect(pseudonymise('0101901234')).not.toBe(pseudonymise('0101901235'));
  });

  it('refuses an empty key', () => {
    expect(() => createPseudonymiser('')).toThrow();
  });
});

describe('project ids', () => {
  const pseudonymise = createPseudonymiser(TEST_KEY);

  it.each([
    ['P-17', 'P-17'],
    ['  P-17  ', 'P-17'],
    ['Anna', 'Anna'],
    ['12345', '12345'],
    ['01019012', '01019012'], // 8 digits
    ['12345678901', '12345678901'], // 11 digits
    ['2024-001-0042', '2024-001-0042'], // 11 digits in groups, no 9 or 10 of them together
    ['Hold 7 - P12', 'Hold 7 - P12'],
    ['Ｐ－１７', 'Ｐ－１７'], // kept as written: NFKC only decides what is a CPR number
  ])('%j is kept as %j', (written, kept) => {
    expect(pseudonymise(written)).toBe(kept);
  });

  it(`keeps ${MAX_PARTICIPANT_LENGTH} characters and refuses more, counting characters, not UTF-16 units`, () => {
    expect(pseudonymise('x'.repeat(MAX_PARTICIPANT_LENGTH))).toBe('x'.repeat(MAX_PARTICIPANT_LENGTH));
    expect(pseudonymise(` ${'æ'.repeat(MAX_PARTICIPANT_LENGTH)} `)).toBe('æ'.repeat(MAX_PARTICIPANT_LENGTH));
    expect(pseudonymise('\u{1F642}'.repeat(MAX_PARTICIPANT_LENGTH))).toHaveLength(2 * MAX_PARTICIPANT_LENGTH);
    for (const long of ['x'.repeat(MAX_PARTICIPANT_LENGTH + 1), `P-${'0101901234'.repeat(100)}`, '\u{1F642}'.repeat(MAX_PARTICIPANT_LENGTH + 1)]) {
      expect(() => pseudonymise(long)).toThrow(ParticipantValueError);
      expect(() => pseudonymise(long)).toThrow(/longer than 64 characters/);
    }
  });
});

describe('a CPR number inside other text', () => {
  const pseudonymise = createPseudonymiser(TEST_KEY);

  it.each([
    'Anna 010190-1234',
    '0101901234 Anna',
    'cpr:0101901234',
    'x010190 1234x',
    'P-0101901234',
    'Anna 311299\u20137822',
    'Team 2 0101901234', // 11 digits in all, 10 of them together
    '0101901234 0202851222', // two people
    'navn\n31.12.99.7822',
    'x\uff13\uff11\uff11\uff12\uff19\uff19\uff17\uff18\uff12\uff12',
    'P 101901234', // 9 digits: a CPR number that lost its leading zero
  ])('%j is refused', (written) => {
    let error: unknown;
    try {
      pseudonymise(written);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParticipantValueError);
    const message = (error as Error).message;
    expect(message).not.toMatch(/\d{4}/);
  });

  it('is a rejected row whose reason does not contain the CPR number', async () => {
    const result = accepted(await read(csv(['Deltager;Dato;Timer;Aktivitet', 'Anna 010190-1234;15.01.2024;7;praktik', 'P2;15.01.2024;7;praktik'])));
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.line).toBe(2);
    expect(result.rejected[0]!.reason).toMatch(/^column "Deltager": /);
    expect(JSON.stringify(result)).not.toMatch(/010190|1234/);
  });
});

describe('no CPR number ever reaches the output', () => {
  const cprDigits = /0101901234|010190-1234|010190 1234|101901234|010190/;

  it('accepted rows carry only the pseudonym', async () => {
    const result = accepted(
      await read(csv(['CPR;Dato;Timer;Aktivitet', '010190-1234;15.01.2024;7;praktik', '0101901234;16.01.2024;1;løn'])),
    );
    expect([...result.weeks].map((w) => w.participant)).toEqual(['px_5d5f0a78b7af7b13']);
    expect(JSON.stringify(result)).not.toMatch(cprDigits);
  });

  it.each([
    ['in the date column', 'P1;0101901234;7;praktik'],
    ['in the hours column', 'P1;15.01.2024;0101901234;praktik'],
    ['in the hours column with a dash', 'P1;15.01.2024;010190-1234;praktik'],
    ['in the activity column', 'P1;15.01.2024;7;010190-1234'],
    ['in every column, shifted', '0101901234;010190-1234;010190 1234;Anna 0101901234'],
    ['in the date column without its leading zero', 'P1;101901234;7;praktik'],
  ])('a CPR number %s is not quoted in the reason', async (_, row) => {
    const result = accepted(await read(csv(['Deltager;Dato;Timer;Aktivitet', row])));
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]!.reason).toMatch(/column "/);
    expect(JSON.stringify(result)).not.toMatch(cprDigits);
  });

  it('no reason or participant id holds a CPR number, in any spelling, put anywhere in a row (property)', async () => {
    const cell = ({ written }: { written: string }) => fc.constantFrom(written, `navn ${written}`, `${written},5`, `${written} x`, `P-${written}`);
    const case_ = arbitraryCprWriting.chain((cpr) => fc.tuple(fc.constant(cpr), fc.integer({ min: 0, max: 3 }), cell(cpr)));
    const plain = ['P1', '15.01.2024', '7', 'praktik'];
    await fc.assert(
      fc.asyncProperty(case_, async ([{ digits, written }, column, value]) => {
        const cells = [...plain];
        cells[column] = value;
        const row = cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(';');
        const result = accepted(await read(csv(['Deltager;Dato;Timer;Aktivitet', row])));
        expect(result.rows).toBe(1);
        const outputs = [...result.rejected.map((r) => r.reason), ...[...result.weeks].map((w) => w.participant)];
        for (const output of outputs) {
          expect(output).not.toContain(written.trim());
          expect(cprsIn(output, [digits]), output).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('redactCpr', () => {
  it('blanks CPR-shaped digits and leaves other text alone', () => {
    expect(redactCpr('0101901234')).not.toMatch(/\d/);
    expect(redactCpr('a 010190-1234 b')).toMatch(/^a .* b$/);
    expect(redactCpr('a 010190-1234 b')).not.toMatch(/\d/);
    expect(redactCpr('101901234')).not.toMatch(/\d/);
    expect(redactCpr('2024-01-15')).toBe('2024-01-15');
    expect(redactCpr('7,5')).toBe('7,5');
    expect(redactCpr('ferie')).toBe('ferie');
  });

  it('blanks every writing of a CPR number, and every run it sits in', () => {
    for (const written of cprWritings('3112997822')) {
      const text = redactCpr(`timer: ${written} i alt`);
      expect(text, JSON.stringify(written)).toMatch(/^timer: <CPR number removed> i alt$/);
    }
    expect(redactCpr('2024-01-15 0101901234')).toBe('<CPR number removed>');
    expect(redactCpr('1 2 3 4 5 6 7 8 9')).toBe('<CPR number removed>');
    expect(redactCpr('x 01019012345 y')).toBe('x <CPR number removed> y'); // a CPR number and one more digit
    expect(redactCpr('x 01019012 y')).toBe('x 01019012 y');
  });

  it('leaves nothing a leak scan finds, wherever the CPR number sits in other text (property)', () => {
    fc.assert(
      fc.property(arbitraryCprWriting, fc.string(), fc.string(), ({ digits, written }, before, after) => {
        const text = redactCpr(`${before}${written}${after}`);
        expect(cprsIn(text, [digits])).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('returns text with fewer than 9 digits unchanged (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        fc.pre((text.normalize('NFKC').match(/\d/g) ?? []).length < 9);
        expect(redactCpr(text)).toBe(text);
      }),
    );
  });
});
