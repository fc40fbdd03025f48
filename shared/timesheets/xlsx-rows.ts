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
      throw new XlsxError(`${label} holds ${Math.ceil(entry.size / MIB)} MiB, more than the ${MAX_PART_BYTES / MIB} MiB an XLSX report may have: ${SEND_CSV}`, 'xlsx-too-large');
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
    throw new XlsxError(`its first sheet holds ${Math.ceil(sheet.size / MIB)} MiB of XML, more than the ${MAX_SHEET_BYTES / MIB} MiB an XLSX report may have: ${SEND_CSV}`, 'xlsx-too-large');
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
    if (size > limit) throw new XlsxError(`the file is larger than ${limit / MIB} MiB: ${SEND_CSV}`, 'xlsx-too-large');
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

/** A row of the sheet that holds at least one value, with its row number. */
type SheetRow = { line: number; cells: Cell[] };

/**
 * What the sheet parser knows between two XML events: the rows completed since the
 * last chunk, the row being read and the cell being read. One object, updated in
 * place, so that the handlers below stay plain functions on the hot path.
 */
interface SheetState {
  context: SheetContext;
  ready: SheetRow[];
  line: number;
  cells: Cell[];
  hasValue: boolean;
  inRow: boolean;
  // The cell being read.
  column: number;
  type: string;
  style: number;
  value: string | undefined;
  capture: boolean;
  inInline: boolean;
  phonetic: number;
}

const SHEET = 'the first sheet';

/** The error for a sheet whose XML is well-formed but not a sheet Excel would write. */
function damaged(what: string): XlsxError {
  return new XlsxError(`${SHEET} is damaged (${what})`);
}

/** Streams the sheet's rows, parsing as the XML inflates. */
async function* sheetRows(zip: Uint8Array, entry: ZipEntry, context: SheetContext): AsyncGenerator<SheetRow> {
  const state: SheetState = {
    context, ready: [], line: 0, cells: [], hasValue: false, inRow: false,
    column: 0, type: 'n', style: 0, value: undefined, capture: false, inInline: false, phonetic: 0,
  };
  const parser = xmlParser(SHEET, {
    open: (name, attributes) => openElement(state, name, attributes),
    text: (text) => cellText(state, text),
    close: (name) => closeElement(state, name),
  });
  const { ready } = state;
  for await (const chunk of streamEntry(zip, entry, SHEET)) {
    parser.write(chunk);
    yield* ready;
    ready.length = 0;
  }
  parser.end();
  yield* ready;
}

/** A start tag of the sheet: a row or a cell begins, or a cell's value or inline text. */
function openElement(state: SheetState, name: string, attributes: Record<string, string>): void {
  switch (name) {
    case 'row':
      openRow(state, attributes.r);
      break;
    case 'c':
      openCell(state, attributes);
      break;
    case 'v':
      state.value = '';
      state.capture = true;
      break;
    case 'is':
      state.inInline = true;
      state.value = '';
      break;
    case 'rPh': // phonetic reading (Japanese): not part of the cell's text
      state.phonetic++;
      break;
    case 't':
      state.capture = state.inInline && state.phonetic === 0;
  }
}

/** A row begins; its number (`r`, or the next one) must rise and stay within Excel's rows. */
function openRow(state: SheetState, ref: string | undefined): void {
  const r = ref === undefined ? state.line + 1 : Number(ref);
  if (!Number.isInteger(r) || r <= state.line || r > MAX_ROW) throw damaged('row numbers out of order');
  state.line = r;
  state.inRow = true;
  state.cells = [];
  state.hasValue = false;
  state.column = 0;
}

/** A cell begins; its column (from `r`, or the next one) must rise within the row. */
function openCell(state: SheetState, attributes: Record<string, string>): void {
  if (!state.inRow) throw damaged('a cell outside a row');
  const c = attributes.r === undefined ? state.column + 1 : columnOf(attributes.r);
  if (!(c > state.column)) throw damaged('cells out of order');
  state.column = c;
  state.type = attributes.t ?? 'n';
  state.style = attributes.s === undefined ? 0 : Number(attributes.s);
  state.value = undefined;
  state.inInline = false;
}

/** Text inside a cell's value or inline string, held to Excel's cell length. */
function cellText(state: SheetState, text: string): void {
  if (!state.capture) return;
  state.value += text;
  if (state.value!.length > MAX_CELL_CHARS) throw damaged('a cell holds more characters than Excel allows');
}

/** An end tag of the sheet: a cell is added to its row, a row with values to the ready ones. */
function closeElement(state: SheetState, name: string): void {
  switch (name) {
    case 'v':
    case 't':
      state.capture = false;
      break;
    case 'rPh':
      state.phonetic--;
      break;
    case 'is':
      state.inInline = false;
      break;
    case 'c': {
      const cell = state.column <= MAX_COLUMNS ? cellValue(state.context, state.type, state.style, state.value) : undefined;
      if (cell === undefined) break;
      const { cells } = state;
      while (cells.length < state.column - 1) cells.push(undefined);
      cells.push(cell);
      state.hasValue = true;
      break;
    }
    case 'row':
      state.inRow = false;
      if (state.hasValue) state.ready.push({ line: state.line, cells: state.cells });
  }
}

/** A cell's value as read from its type (`t`), style (`s`) and text; see {@link xlsxRows}. */
function cellValue(context: SheetContext, type: string, style: number, value: string | undefined): Cell {
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
}
