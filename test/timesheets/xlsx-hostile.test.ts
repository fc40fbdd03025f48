/**
 * The XLSX reader against files no one should send: over its limits, zip bombs,
 * damaged or disguised archives, and parts written by other tools than exceljs.
 * Whatever comes in, readTimesheet answers (never throws) in words of ours.
 */
import { createDeflateRaw, crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTimesheet, type TimesheetResult } from '../../shared/timesheets/read-timesheet.ts';
import { MAX_PART_BYTES, MAX_SHEET_BYTES, MAX_XLSX_BYTES, xlsxRows } from '../../shared/timesheets/xlsx-rows.ts';
import { accepted, bodyOf, pseudonymise, rejectedWhole, weekTable } from '../fixtures/timesheets/helpers.ts';
import { deflated, inlineRow, workbookParts, zipOf, type Deflated } from './zip-builder.ts';

const MIB = 1024 * 1024;

function read(bytes: Uint8Array, month = '2024-01'): Promise<TimesheetResult> {
  return readTimesheet({ name: 'januar.xlsx', body: bodyOf(bytes, 64 * 1024), month }, { pseudonymise });
}

async function rows(bytes: Uint8Array): Promise<{ line: number; cells: unknown[] }[]> {
  const out: { line: number; cells: unknown[] }[] = [];
  for await (const row of xlsxRows(bodyOf(bytes))) out.push(row);
  return out;
}

/** A rejection in our words: it names XLSX and carries no link or library text. */
function ourRejection(result: TimesheetResult): string {
  const reason = rejectedWhole(result);
  expect(reason).toMatch(/^cannot be read as an XLSX workbook: /);
  expect(reason).not.toMatch(/http|internal error|JSZip|exceljs|saxes/i);
  return reason;
}

/** `size` bytes of sheet rows, deflated as they are made (a few hundred KiB). */
async function hugeSheet(size: number): Promise<Deflated> {
  const rowsXml = Buffer.from(inlineRow(2, ['P1', '2024-01-15', '1', 'praktik']).repeat(10_000));
  const head = Buffer.from(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${inlineRow(1, ['Deltager', 'Dato', 'Timer', 'Aktivitet'])}`);
  const deflater = createDeflateRaw();
  const out: Buffer[] = [];
  deflater.on('data', (chunk: Buffer) => out.push(chunk));
  const done = new Promise((resolve) => deflater.on('end', resolve));
  let written = 0;
  let crc = 0;
  const write = async (chunk: Buffer) => {
    written += chunk.length;
    crc = crc32(chunk, crc);
    if (!deflater.write(chunk)) await new Promise((resolve) => deflater.once('drain', resolve));
  };
  await write(head);
  while (written < size) await write(rowsXml);
  deflater.end();
  await done;
  return { bytes: Buffer.concat(out), size: written, crc };
}

describe('limits', () => {
  let bomb: Deflated;
  beforeAll(async () => {
    bomb = await hugeSheet(MAX_SHEET_BYTES + MIB);
  });

  it('a sheet over the limit (a zip bomb: < 2 MB of file) is refused from the zip directory, with the limit', { timeout: 30_000 }, async () => {
    const parts = workbookParts('');
    parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!.data = bomb;
    const file = zipOf(parts);
    expect(file.length).toBeLessThan(2 * MIB);
    const started = performance.now();
    const reason = ourRejection(await read(file));
    // Inflating and parsing that sheet takes tens of seconds.
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(reason).toContain(`more than the ${MAX_SHEET_BYTES / MIB} MiB an XLSX report may have: send larger reports as CSV`);
  });

  it('a bomb that declares a small size is stopped where its declared size ends', { timeout: 30_000 }, async () => {
    const parts = workbookParts('');
    const sheet = parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!;
    sheet.data = bomb;
    sheet.declaredSize = 100_000;
    const started = performance.now();
    const reason = ourRejection(await read(zipOf(parts)));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(reason).toMatch(/first sheet is (larger than it declares|damaged)/);
  });

  it('shared strings over their limit are refused before they are inflated', async () => {
    const parts = workbookParts(inlineRow(1, ['Deltager', 'Timer', 'Aktivitet']), { sharedStrings: '<si><t>x</t></si>' });
    // The declared size alone refuses it: had it been inflated, the 17 real bytes would not match.
    parts.find((p) => p.name === 'xl/sharedStrings.xml')!.declaredSize = MAX_PART_BYTES + 1;
    expect(ourRejection(await read(zipOf(parts)))).toContain(`more than the ${MAX_PART_BYTES / MIB} MiB`);
  });

  it('a file over the size limit is refused while it arrives', async () => {
    async function* endless() {
      const chunk = new Uint8Array(MIB);
      for (let i = 0; i < 1000; i++) yield chunk;
      throw new Error('read past the limit');
    }
    const result = await readTimesheet({ name: 'stor.xlsx', body: endless(), month: '2024-01' }, { pseudonymise });
    expect(ourRejection(result)).toContain(`larger than ${MAX_XLSX_BYTES / MIB} MiB: send larger reports as CSV`);
  });
});

describe('files that are not readable workbooks are rejected whole in our words', () => {
  let good: Uint8Array;
  beforeAll(async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Ark1');
    ws.addRow(['Deltager', 'Dato', 'Timer', 'Aktivitet']);
    for (let d = 1; d <= 20; d++) ws.addRow([`P${d % 3}`, new Date(Date.UTC(2024, 0, d)), 1.5, 'praktik']);
    good = new Uint8Array(await wb.xlsx.writeBuffer());
  });

  it.each([
    ['empty', () => new Uint8Array(0), /empty/],
    ['CSV text', () => new TextEncoder().encode('Deltager;Timer;Aktivitet\nP1;7;praktik\n'), /not a zip archive.*name it \.csv/],
    ['truncated', () => good.slice(0, good.length - 100), /not a zip archive|damaged/],
    ['an old .xls or password-protected', () => Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(600).fill(0)]), /password-protected or an old \.xls/],
    ['a zip without a workbook', () => zipOf([{ name: 'hello.txt', data: 'hi' }]), /workbook part is missing/],
    ['a sheet that is not XML', () => zipOf(workbookParts('<row><c>')), /first sheet is not well-formed XML/],
    ['a sheet that is not UTF-8', () => zipOf(workbookParts(`<row r="1"><c t="inlineStr"><is><t>\u00ff</t></is></c></row>`).map((p) => (p.name.includes('sheet1') ? { ...p, data: Buffer.from(String(p.data), 'latin1') } : p))), /first sheet is not UTF-8/],
    ['rows out of order', () => zipOf(workbookParts(inlineRow(2, ['a']) + inlineRow(1, ['b']))), /first sheet is damaged \(row numbers out of order\)/],
    ['a cell longer than Excel allows', () => zipOf(workbookParts(inlineRow(1, ['x'.repeat(40_000)]))), /more characters than Excel allows/],
    ['a missing shared string', () => zipOf(workbookParts('<row r="1"><c t="s"><v>7</v></c></row>', { sharedStrings: '<si><t>x</t></si>' })), /shared string that does not exist/],
  ])('%s', async (_, bytes, reason) => {
    expect(ourRejection(await read(bytes()))).toMatch(reason);
  });

  it('a damaged byte anywhere never escapes as an exception or an internal error (property)', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ at: fc.nat(), byte: fc.nat(255) }), { minLength: 1, maxLength: 4 }), fc.option(fc.nat()), async (flips, cut) => {
        const bytes = good.slice(0, cut === null ? good.length : cut % (good.length + 1));
        for (const { at, byte } of flips) if (bytes.length > 0) bytes[at % bytes.length] = byte;
        const result = await read(bytes, '2024-01');
        if (!result.ok) {
          expect(result.reason).not.toMatch(/http|internal error/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('workbooks written by other tools', () => {
  it('reads prefixed XML, inline and rich shared strings, _xHHHH_ escapes, custom date formats and the 1904 date system', async () => {
    const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const parts = workbookParts('', {
      date1904: true,
      sharedStrings: '<si><t>Deltager</t></si><si><r><t>Ti</t></r><r><rPr><b/></rPr><t>mer</t></r><rPh><t>IGNORED</t></rPh></si><si><t>P_x002D_1</t></si>',
      styles: '<numFmts><numFmt numFmtId="164" formatCode="[$-406]d/m/yyyy"/><numFmt numFmtId="165" formatCode="0.00 &quot;t&quot;"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs>',
    });
    // 1904 system: serial 43844 is 2024-01-15 (45306 in the 1900 system, 1462 days apart).
    const sheet = `<x:worksheet xmlns:x="${ns}"><x:sheetData>
      <x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="inlineStr"><x:is><x:t>Dato</x:t></x:is></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="str"><x:f>"Aktivitet"</x:f><x:v>Aktivitet</x:v></x:c></x:row>
      <x:row><x:c t="s"><x:v>2</x:v></x:c><x:c s="1"><x:v>43844</x:v></x:c><x:c s="2"><x:v>7.5</x:v></x:c><x:c t="inlineStr"><x:is><x:t><![CDATA[praktik]]></x:t></x:is></x:c></x:row>
      <x:row r="5"><x:c r="A5" t="inlineStr"><x:is><x:t>P-1</x:t></x:is></x:c><x:c r="B5" t="d"><x:v>2024-01-16T00:00:00</x:v></x:c><x:c r="C5"><x:v>2</x:v></x:c><x:c r="D5" t="inlineStr"><x:is><x:t>løn</x:t></x:is></x:c><x:c r="XFD5" t="inlineStr"><x:is><x:t>far right</x:t></x:is></x:c></x:row>
      <x:row r="6" ht="20" customHeight="1"><x:c r="A6" s="1"/></x:row>
    </x:sheetData></x:worksheet>`;
    parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!.data = sheet;
    const file = zipOf(parts);
    expect((await rows(file)).map((r) => r.line)).toEqual([1, 2, 5]);
    const result = accepted(await read(file));
    expect(result.rejected).toEqual([]);
    expect(weekTable(result)).toEqual({ 'P-1 2024-W03': { internship: 7.5, ordinary: 2 } });
  });

  it('a cell right of column IV is dropped, so a far cell cannot make every row 16,384 cells long', async () => {
    const sheet = inlineRow(1, ['Deltager', 'Timer', 'Aktivitet']) + '<row r="2"><c r="A2"><v>1</v></c><c r="IV2"><v>2</v></c><c r="IW2"><v>3</v></c></row>';
    const [, row] = await rows(zipOf(workbookParts(sheet)));
    expect(row!.cells).toHaveLength(256);
    expect(row!.cells[255]).toBe(2);
  });
});
