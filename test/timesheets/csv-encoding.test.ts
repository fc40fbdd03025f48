/**
 * Encodings of CSV timesheets (spec 2.1): UTF-8 with or without BOM, Windows-1252
 * (Danish Excel's "CSV (semikolonsepareret)") when the bytes are not UTF-8, and a
 * clear whole-file rejection for what is neither.
 */
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTimesheet, type TimesheetResult } from '../../shared/timesheets/read-timesheet.ts';
import { runPbr } from '../support/pbr-process.ts';
import { accepted, bodyOf, chunksOf, pseudonymise, read, rejectedWhole } from '../fixtures/timesheets/helpers.ts';
import { redactCpr } from '../../shared/cpr-numbers.ts';

/** Windows-1252 bytes of `text` (Latin-1 and €, all this test needs). */
function windows1252(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => {
    if (char === '€') return 0x80;
    const code = char.charCodeAt(0);
    if (code > 0xff || (code >= 0x80 && code < 0xa0)) throw new Error(`not in this test's Windows-1252: ${char}`);
    return code;
  });
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

/** Reads `bytes` as report.csv in chunks; `reopen` reads them again (counting how often). */
async function readBytes(chunks: Uint8Array[], options: { reopen?: boolean } = {}): Promise<{ result: TimesheetResult; reopened: number }> {
  let reopened = 0;
  const whole = concat(...chunks);
  const reopen = options.reopen === false ? undefined : () => (reopened++, bodyOf(whole, 1000));
  const result = await readTimesheet({ name: 'report.csv', body: chunksOf(chunks), reopen, month: '2024-01' }, { pseudonymise });
  return { result, reopened };
}

const DANISH = 'Deltager;Dato;Timer;Aktivitet;Virksomhed\nBørge Ærø;15-01-2024;7,5;løntilskud\nÅse;16-01-2024;2;ordinære timer\nP3;17-01-2024;1;fravær\n';

describe('UTF-8', () => {
  it('is read as UTF-8, with and without BOM, and says so', async () => {
    const plain = accepted(await read(utf8(DANISH)));
    expect(plain.encoding).toBe('utf-8');
    expect(plain.accepted).toBe(3);
    expect(accepted(await read(utf8(`\uFEFF${DANISH}`)))).toEqual(plain);
  });

  it('keeps U+0081 and other C1 characters written as UTF-8 (only Windows-1252 leaves 0x81 undefined)', async () => {
    const result = accepted(await read(utf8('Deltager;Timer;Aktivitet;Note\nP1;1;praktik;\u0081\u009d\n')));
    expect(result.encoding).toBe('utf-8');
    expect(result.accepted).toBe(1);
  });
});

describe('Windows-1252', () => {
  it('reads æøå (Danish Excel "CSV (semikolonsepareret)") as the same rows as UTF-8, and says so', async () => {
    const result = accepted(await read(windows1252(DANISH)));
    expect(result.encoding).toBe('windows-1252');
    const { encoding: _, ...totals } = result;
    const { encoding: __, ...utf8Totals } = accepted(await read(utf8(DANISH)));
    expect(totals).toEqual(utf8Totals);
    expect([...result.weeks].map((w) => w.participant)).toContain('Børge Ærø');
  });

  it('switches where the first non-UTF-8 byte is found, however the bytes are split (property)', async () => {
    const text = 'Deltager;Timer;Aktivitet;Note\nP1;1;praktik;ok\nP2;2;løntilskud;5 €\nÅse;3;ordinær;æ\n';
    const bytes = windows1252(text);
    const reference = accepted(await read(bytes));
    expect(reference.encoding).toBe('windows-1252');
    expect(reference.accepted).toBe(3);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(bytes.length), { maxLength: 5 }), async (cuts) => {
        const at = [...new Set([0, ...cuts, bytes.length])].sort((a, b) => a - b);
        const chunks = at.slice(1).map((end, i) => bytes.slice(at[i], end));
        const { result, reopened } = await readBytes(chunks);
        expect(result).toEqual(reference);
        expect(reopened).toBe(0); // only ASCII came before the first non-UTF-8 byte
      }),
      { numRuns: 200 },
    );
  });

  it('switches exactly when the first byte beyond ASCII comes late in a large file', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `P${i};15-01-2024;1;praktik`).join('\n');
    const result = accepted(await read(windows1252(`Deltager;Dato;Timer;Aktivitet\n${rows}\nBørge;16-01-2024;2;løntilskud\n`), { chunkSize: 65_536 }));
    expect(result.encoding).toBe('windows-1252');
    expect(result.accepted).toBe(20_001);
    expect([...result.weeks].find((w) => w.participant === 'Børge')?.centiHours).toEqual([0, 0, 0, 0, 200, 0, 0]);
  });

  it('reads a file again from the start when UTF-8 text beyond ASCII came before the first non-UTF-8 byte', async () => {
    // "Ã¦" in Windows-1252 is the UTF-8 for "æ": the first row reads as valid UTF-8, the third does not.
    // In one decoded slice the whole slice would simply be read as Windows-1252: the
    // UTF-8-looking row comes in a chunk of its own, as in a large file.
    const head = 'Deltager;Timer;Aktivitet\nÃ¦;1;praktik\n';
    const { result, reopened } = await readBytes([windows1252(head), windows1252('P2;2;praktik\nBørge;3;løntilskud\n')]);
    expect(reopened).toBe(1);
    const read1252 = accepted(result);
    expect(read1252.encoding).toBe('windows-1252');
    // Rows of the abandoned UTF-8 reading do not count twice, and "Ã¦" is read as written.
    expect(read1252.accepted).toBe(3);
    expect(read1252.rows).toBe(3);
    expect(new Set([...read1252.weeks].map((w) => w.participant))).toEqual(new Set(['Ã¦', 'P2', 'Børge']));
  });

  it('reads again too when the first non-UTF-8 byte is a character cut off at the end', async () => {
    const { result, reopened } = await readBytes([utf8('Deltager;Timer;Aktivitet\nBø;1;praktik\n'), utf8('P2;1;praktik;'), Uint8Array.of(0xc3)]);
    expect(reopened).toBe(1);
    expect(accepted(result).encoding).toBe('windows-1252');
    expect([...accepted(result).weeks].map((w) => w.participant)).toContain('BÃ¸');
  });

  it('rejects such a file whole when it cannot be read again', async () => {
    const { result } = await readBytes([windows1252('Deltager;Timer;Aktivitet\nÃ¦;1;praktik\n'), windows1252('Børge;3;løntilskud\n')], { reopen: false });
    expect(rejectedWhole(result)).toMatch(/not UTF-8 text, and it cannot be read again as Windows-1252/);
  });
});

describe('neither UTF-8 nor Windows-1252: rejected whole, naming the line', () => {
  it('a binary file (an XLSX renamed .csv: a ZIP with NUL bytes)', async () => {
    const zip = concat(Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00), windows1252('[Content_Types].xml'), Uint8Array.of(0xe6, 0x00, 0x81));
    expect(rejectedWhole(await read(zip))).toMatch(/^line 1: a NUL byte: not text in UTF-8 or Windows-1252/);
  });

  it('UTF-16 ("Unicode text" from Excel), with or without BOM', async () => {
    const utf16 = (text: string) => new Uint8Array(Buffer.from(text, 'utf16le'));
    expect(rejectedWhole(await read(concat(Uint8Array.of(0xff, 0xfe), utf16('Deltager\tTimer\r\n'))))).toMatch(/NUL byte.*UTF-16/);
    expect(rejectedWhole(await read(utf16('Deltager;Timer;Aktivitet\r\n')))).toMatch(/^line 1: a NUL byte/); // before the header is read: no field
  });

  it('a NUL byte in otherwise good UTF-8 text, on the line it is on', async () => {
    expect(rejectedWhole(await read(utf8('Deltager;Timer;Aktivitet\r\nP1;1;praktik\r\n\r\nP2;1;pr\0aktik\r\n')))).toMatch(/^line 4, field 3: a NUL byte/);
  });

  it.each(['81', '8D', '8F', '90', '9D'])('byte 0x%s, which Windows-1252 leaves undefined', async (hex) => {
    const byte = Number.parseInt(hex, 16);
    const bytes = concat(windows1252('Deltager;Timer;Aktivitet\nBørge;1;praktik\n"P\n2";1;'), Uint8Array.of(byte), utf8('\n'));
    expect(rejectedWhole(await read(bytes))).toBe(
      `line 4, field 3: byte 0x${hex}: not text in UTF-8 or Windows-1252 (binary, or UTF-16 "Unicode text"?): save it as "CSV UTF-8" (Excel) or as .xlsx`,
    );
  });

  it('a UTF-8 BOM followed by bytes that are not UTF-8 (mixed encodings), however split', async () => {
    const bytes = concat(utf8('\uFEFFDeltager;Timer;Aktivitet\nP1;1;praktik\n'), windows1252('Børge;1;praktik\n'));
    for (let i = 0; i <= bytes.length; i++) {
      const { result, reopened } = await readBytes([bytes.slice(0, i), bytes.slice(i)]);
      expect(rejectedWhole(result), `split at ${i}`).toMatch(/^line 3, field 1: starts with a UTF-8 byte order mark but is not UTF-8 text here/);
      expect(reopened).toBe(0);
    }
    const early = concat(utf8('\uFEFF'), windows1252('Deltager;Timer;Aktivitet;Æ\n'));
    expect(rejectedWhole(await read(early))).toMatch(/^line 1(, field 4)?: starts with a UTF-8 byte order mark/);
  });
});

describe('pbr hours', () => {
  it('notes a Windows-1252 read on stderr, and reads a file again as Windows-1252 from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pbr-encoding-'));
    const direct = join(dir, '2024-01-direct.csv');
    const again = join(dir, '2024-01-again.csv');
    await writeFile(direct, windows1252('Deltager;Dato;Timer;Aktivitet\nBørge;15-01-2024;7,5;løntilskud\n'));
    // The UTF-8-looking "Ã¦" and the first byte that is not UTF-8 are more than a decoded slice (256 KiB) apart.
    const filler = Array.from({ length: 12_000 }, (_, i) => `P${i};15-01-2024;1;praktik\n`).join('');
    await writeFile(again, windows1252(`Deltager;Dato;Timer;Aktivitet\nÃ¦;15-01-2024;1;praktik\n${filler}Åse;16-01-2024;2;praktik\n`));
    const result = await runPbr(['hours', direct, again]);
    // Paths are shown as the CLI shows them: digit runs a CPR number could hide in blanked (a temporary folder's name may hold some).
    expect(result.stderr.trim().split('\n')).toEqual([direct, again].map((file) => `${redactCpr(file)}: not UTF-8: read as Windows-1252 (Danish Excel's "CSV (semikolonsepareret)")`));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Børge,2024-W03,7.5,7.5,');
    expect(result.stdout).toContain('Åse,2024-W03,2,0,0,2,');
    expect(result.stdout).toContain('Ã¦,2024-W03,1,0,0,1,');
  });
});
