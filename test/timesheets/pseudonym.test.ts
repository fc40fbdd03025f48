import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPseudonymiser, EmbeddedCprError, redactCpr } from '../../shared/timesheets/pseudonym.ts';
import { accepted, csv, read, TEST_KEY } from '../fixtures/timesheets/helpers.ts';

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
    ['0101-90-1234', '0101-90-1234'], // not the CPR shape
    ['01019012', '01019012'],
  ])('%j is kept as %j', (written, kept) => {
    expect(pseudonymise(written)).toBe(kept);
  });
});

describe('a CPR number inside other text', () => {
  const pseudonymise = createPseudonymiser(TEST_KEY);

  it.each(['Anna 010190-1234', '0101901234 Anna', 'cpr:0101901234', 'x010190 1234x', 'P-0101901234'])('%j is refused', (written) => {
    let error: unknown;
    try {
      pseudonymise(written);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EmbeddedCprError);
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
    expect(result.weeks.map((w) => w.participant)).toEqual(['px_5d5f0a78b7af7b13']);
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

  it('rejection reasons never contain a CPR number put anywhere in a row (property)', async () => {
    const cpr = fc
      .tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9999 }))
      .map(([d, m, y, n]) => `${String(d).padStart(2, '0')}${String(m).padStart(2, '0')}${String(y).padStart(2, '0')}${String(n).padStart(4, '0')}`);
    // Nine digits (a lost leading zero) only outside the participant column: there,
    // a 9-digit text is a project id by the spec's definition (see the report).
    const cell = (digits: string, column: number) =>
      fc.constantFrom(digits, `${digits.slice(0, 6)}-${digits.slice(6)}`, `navn ${digits}`, `${digits},5`, ...(column > 0 ? [digits.slice(1)] : []));
    const plain = ['P1', '15.01.2024', '7', 'praktik'];
    const case_ = cpr.chain((digits) =>
      fc.integer({ min: 0, max: 3 }).chain((column) => fc.tuple(fc.constant(digits), fc.constant(column), cell(digits, column))),
    );
    await fc.assert(
      fc.asyncProperty(case_, async ([digits, column, value]) => {
        const cells = [...plain];
        cells[column] = value;
        const result = accepted(await read(csv(['Deltager;Dato;Timer;Aktivitet', cells.map((c) => `"${c}"`).join(';')])));
        const text = JSON.stringify(result);
        expect(text).not.toContain(digits);
        expect(text).not.toContain(digits.slice(1));
        expect(text).not.toContain(`${digits.slice(0, 6)}-${digits.slice(6)}`);
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
});
