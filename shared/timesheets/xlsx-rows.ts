import type { Cell } from './values.ts';
import { dateStyles, officeDocument, parseWorkbook, relationships, relsNameOf, sharedStrings, unescapeText, xmlParser } from './xlsx-parts.ts';
import { inflateEntry, streamEntry, XlsxError, zipEntries, type ZipEntry } from './zip-archive.ts';

export { XlsxError } from './zip-archive.ts';

/*
 * Limits, from measurement (Node 22, `process.resourceUsage().maxRSS` of a fresh
 * process; the ingest Lambda has 1024 MB). The first sheet is streamed, so memory
 * does not grow with its rows: 50k / 200k / 1M typical rows (5 columns, 221 MB of
 * sheet XML at 1M) peaked at 127 / 143 / 218 MB RSS in 2 / 6 / 19 s (exceljs,
 * loading the workbook whole, took 293 / 804 / ~2900 MB). What stays in memory is
 * the file, the shared strings and one row:
 * - The file is held whole, because a zip's directory is at its end: 50 MiB.
 * - Shared strings, styles and the workbook part are parsed whole: 32 MiB of
 *   shared-string XML (1.4M distinct strings) peaked at 308 MB RSS.
 * - The sheet's size bounds the time: about 15 MB of XML a second (250 MiB of dense
 *   numeric cells: 17 s, 192 MB RSS), so 256 MiB, enough for Excel's 1,048,576 rows
 *   of a timesheet, stays well inside the ingest timeout.
 * Oversized parts are refused from the sizes the zip directory declares, before
 * anything is inflated; inflation is held to the declared size (zip bombs).
 */
/** Largest workbook file accepted. */
export const MAX_XLSX_BYTES = 50 * 1024 * 1024;
/** Largest uncompressed sheet XML accepted (bounds the reading time). */
export const MAX_SHEET_BYTES = 256 * 1024 * 1024;
/** Largest uncompressed shared strings, styles or workbook part (held in memory). */
export const MAX_PART_BYTES = 32 * 1024 * 1024;
/** Excel's own row limit; more means a damaged or forged sheet. */
const MAX_ROW = 1_048_576;
/** Excel's own limit on the characters in a cell. */
const MAX_CELL_CHARS = 32_767;
/**
 * Cells right of column IV (Excel 2003's last) are dropped: a timesheet has five
 * columns, and a cell at XFD must not make every row 16,384 cells long.
 */
const MAX_COLUMNS = 256;

const MIB = 1024 * 1024;
const SEND_CSV = 'send larger reports as CSV';

/**
 * The rows of an XLSX workbook's first sheet with their row numbers, streamed:
 * date-styled numbers arrive as Dates (an out-of-range one as an invalid Date),
 * error cells as their text (`#REF!`), formulas as their saved result (none:
 * empty), booleans as `true`/`false`; rows without values are skipped. Throws
 * XlsxError, with a reason a person can act on, for a file that is not a readable
 * workbook or is over a limit.
 */
export async function* xlsxRows(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<{ line: number; cells: Cell[] }> {
  const zip = await bytesOf(body, MAX_XLSX_BYTES);
  if (zip.length === 0) throw new XlsxError('the file is empty');
  const entries = zipEntries(zip);
  const part = (name: string | undefined, label: string, required: boolean): Buffer | undefined => {
    const entry = name === undefined ? undefined : entries.get(name);
    if (!entry) {
      if (required) throw new XlsxError(`${label} is missing`);
      return undefined;
    }
    if (entry.size > MAX_PART_BYTES) {
      throw new XlsxError(`${label} holds ${Math.ceil(entry.size / MIB)} MiB, more than the ${MAX_PART_BYTES / MIB} MiB an XLSX report may have: ${SEND_CSV}`);
    }
    return inflateEntry(zip, entry, label);
  };

  const workbookName = officeDocument(part('_rels/.rels', 'the package relationships', false));
  const workbook = parseWorkbook(part(workbookName, 'the workbook part', true)!);
  const rels = relationships(part(relsNameOf(workbookName), 'the workbook relationships', true)!, workbookName);
  if (workbook.firstSheet === undefined) return; // no sheet: no rows, the caller says it is empty
  const sheetName = rels.byId.get(workbook.firstSheet);
  const sheet = sheetName === undefined ? undefined : entries.get(sheetName);
  if (!sheet) throw new XlsxError('its first sheet is missing');
  if (sheet.size > MAX_SHEET_BYTES) {
    throw new XlsxError(`its first sheet holds ${Math.ceil(sheet.size / MIB)} MiB of XML, more than the ${MAX_SHEET_BYTES / MIB} MiB an XLSX report may have: ${SEND_CSV}`);
  }
  const strings = sharedStrings(part(rels.byType.get('sharedStrings'), 'the shared strings', false));
  const dates = dateStyles(part(rels.byType.get('styles'), 'the styles', false));
  yield* sheetRows(zip, sheet, { strings, dates, date1904: workbook.date1904 });
}

/** The body in one buffer, refusing files over `limit` before reading them further. */
async function bytesOf(body: AsyncIterable<Uint8Array | string>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new XlsxError(`the file is larger than ${limit / MIB} MiB: ${SEND_CSV}`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

interface SheetContext {
  strings: string[];
  dates: boolean[];
  date1904: boolean;
}

/** Days from Excel's day 0 (1899-12-30, or 1904-01-01) to 1970-01-01. */
const EPOCH_1900 = 25_569;
const EPOCH_1904 = 24_107;
const MS_PER_DAY = 86_400_000;

/** The column number (A = 1) of a cell reference such as `AB12`, or NaN. */
function columnOf(ref: string): number {
  let column = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const code = ref.charCodeAt(i) | 0x20; // lower case
    if (code < 97 || code > 122) break;
    column = column * 26 + code - 96;
    if (column > 16_384) return NaN;
  }
  return i === 0 ? NaN : column;
}

/** Streams the sheet's rows, parsing as the XML inflates. */
async function* sheetRows(zip: Uint8Array, entry: ZipEntry, context: SheetContext): AsyncGenerator<{ line: number; cells: Cell[] }> {
  const label = 'the first sheet';
  const damaged = (what: string) => new XlsxError(`${label} is damaged (${what})`);
  const ready: { line: number; cells: Cell[] }[] = [];
  let line = 0;
  let cells: Cell[] = [];
  let hasValue = false;
  let inRow = false;
  // The cell being read.
  let column = 0;
  let type = 'n';
  let style = 0;
  let value: string | undefined;
  let capture = false;
  let inInline = false;
  let phonetic = 0;

  const cellValue = (): Cell => {
    // Empty, or a formula without a saved result (exceljs writes those): row validation says empty.
    if (value === undefined || (value.trim() === '' && type !== 'str' && type !== 'inlineStr')) return undefined;
    switch (type) {
      case 's': {
        const index = Number(value);
        const text = context.strings[index];
        if (text === undefined) throw damaged('a cell refers to a shared string that does not exist');
        return text;
      }
      case 'inlineStr':
      case 'str':
        return unescapeText(value);
      case 'e':
        return value.trim(); // #REF!, #N/A, …: row validation rejects it in any column that needs a value
      case 'b':
        return Number(value) === 0 ? 'false' : 'true';
      case 'd': {
        const text = value.trim();
        // ISO 8601 without an offset is a wall-clock date: read it as UTC, as date serials are.
        return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) || !text.includes('T') ? text : `${text}Z`);
      }
      default: {
        const number = Number(value);
        if (Number.isNaN(number)) return value; // not a number: row validation quotes it
        if (!context.dates[style]) return number;
        // An out-of-range serial (1e308) makes an invalid Date, which row validation rejects.
        return new Date(Math.round((number - (context.date1904 ? EPOCH_1904 : EPOCH_1900)) * MS_PER_DAY));
      }
    }
  };

  const parser = xmlParser(label, {
    open(name, attributes) {
      switch (name) {
        case 'row': {
          const r = attributes.r === undefined ? line + 1 : Number(attributes.r);
          if (!Number.isInteger(r) || r <= line || r > MAX_ROW) throw damaged('row numbers out of order');
          line = r;
          inRow = true;
          cells = [];
          hasValue = false;
          column = 0;
          break;
        }
        case 'c': {
          if (!inRow) throw damaged('a cell outside a row');
          const c = attributes.r === undefined ? column + 1 : columnOf(attributes.r);
          if (!(c > column)) throw damaged('cells out of order');
          column = c;
          type = attributes.t ?? 'n';
          style = attributes.s === undefined ? 0 : Number(attributes.s);
          value = undefined;
          inInline = false;
          break;
        }
        case 'v':
          value = '';
          capture = true;
          break;
        case 'is':
          inInline = true;
          value = '';
          break;
        case 'rPh':
          phonetic++;
          break;
        case 't':
          capture = inInline && phonetic === 0;
      }
    },
    text(text) {
      if (!capture) return;
      value += text;
      if (value!.length > MAX_CELL_CHARS) throw damaged('a cell holds more characters than Excel allows');
    },
    close(name) {
      switch (name) {
        case 'v':
        case 't':
          capture = false;
          break;
        case 'rPh':
          phonetic--;
          break;
        case 'is':
          inInline = false;
          break;
        case 'c': {
          const cell = column <= MAX_COLUMNS ? cellValue() : undefined;
          if (cell === undefined) break;
          while (cells.length < column - 1) cells.push(undefined);
          cells.push(cell);
          hasValue = true;
          break;
        }
        case 'row':
          inRow = false;
          if (hasValue) ready.push({ line, cells });
      }
    },
  });

  for await (const chunk of streamEntry(zip, entry, label)) {
    parser.write(chunk);
    yield* ready;
    ready.length = 0;
  }
  parser.end();
  yield* ready;
}
