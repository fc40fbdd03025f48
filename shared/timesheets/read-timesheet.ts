import { CsvSyntaxError, type PlainRecordHandler } from './csv-parser.ts';
import { readCsv, type Body, type TextEncoding } from './read-csv.ts';
import { RowAggregator, type TimesheetTotals } from './row-aggregator.ts';
import type { FileProblem } from './problems.ts';
import { isBlank, type Cell } from './values.ts';
import { layoutOfHeader } from './vocabulary.ts';

/** The file formats a timesheet may come in; the file name's extension says which. */
export const TIMESHEET_FORMATS = ['csv', 'xlsx'] as const;
export type TimesheetFormat = (typeof TIMESHEET_FORMATS)[number];

/** A timesheet to read: its name (for messages), bytes and the report month, if known. */
export interface TimesheetInput {
  name: string;
  /** Each chunk is read whole before the next is asked for, so the body may reuse its buffer. */
  body: Body;
  /**
   * The same bytes again from the start: a CSV found not to be UTF-8 only after UTF-8
   * text beyond ASCII is read a second time as Windows-1252 (without it, it is rejected).
   */
  reopen?: () => Body | Promise<Body>;
  /** `YYYY-MM`: dates outside it are rejected, monthly totals are spread over it. */
  month?: string;
  format?: TimesheetFormat;
}

export interface ReadOptions {
  pseudonymise: (participant: string) => string;
  /** Called now and then with the number of data rows read so far. */
  onProgress?: (rows: number) => void;
}

/**
 * Either the file's totals and the encoding its text was read in (spec 2.1: the status
 * says so; an XLSX is always `utf-8`), or why the whole file was rejected (nothing of it counts).
 */
export type TimesheetResult = ({ ok: true; encoding: TextEncoding } & TimesheetTotals) | { ok: false; reason: string; problem: FileProblem };

/** Thrown inside the readers for problems that reject the whole file. */
class FileRejection extends Error {
  readonly problem: FileProblem;

  constructor(message: string, problem: FileProblem) {
    super(message);
    this.problem = problem;
  }
}

const PROGRESS_EVERY = 100_000;

/** The format a file name implies, or undefined for anything else. */
export function formatOfName(name: string): TimesheetFormat | undefined {
  const lower = name.toLowerCase();
  return TIMESHEET_FORMATS.find((format) => lower.endsWith(`.${format}`));
}

/**
 * Reads a monthly timesheet (CSV or XLSX) as a stream into weekly hours per
 * participant, validating every row (spec 2). A file that cannot be read, or whose
 * header lacks a required column, comes back rejected whole; otherwise valid rows
 * count and bad ones are listed with their line and reason.
 */
export async function readTimesheet(input: TimesheetInput, options: ReadOptions): Promise<TimesheetResult> {
  const format = input.format ?? formatOfName(input.name);
  if (!format) return { ok: false, reason: 'neither a .csv nor an .xlsx file', problem: { code: 'file-format' } };
  let aggregator: RowAggregator | undefined;
  let rows = 0;
  const onRow = (cells: readonly Cell[], line: number) => {
    if (!aggregator) {
      const layout = layoutOfHeader(cells.map((cell) => (isBlank(cell) ? '' : String(cell))));
      if ('reason' in layout) throw new FileRejection(layout.reason, layout.problem);
      try {
        aggregator = new RowAggregator(layout, options.pseudonymise, input.month);
      } catch (error) {
        throw new FileRejection((error as Error).message, { code: 'month-unknown' });
      }
      return;
    }
    if (cells.every(isBlank)) return; // spreadsheet exports end with rows of empty cells
    aggregator.addRow(line, cells);
    if (++rows % PROGRESS_EVERY === 0) options.onProgress?.(rows);
  };
  // Most rows of a CSV: counted from their bytes; any other goes to onRow as text.
  const onPlainRow: PlainRecordHandler = (bytes, starts, fields, line, text) => {
    if (!aggregator?.addPlainRow(line, bytes, starts, fields, text)) onRow(Array.from({ length: fields }, (_, k) => text(bytes, starts[k]!, starts[k + 1]! - 1)), line);
    else if (++rows % PROGRESS_EVERY === 0) options.onProgress?.(rows);
  };
  let encoding: TextEncoding = 'utf-8';
  try {
    // A CSV read again as Windows-1252 starts over: rows of the first reading are void.
    const restart = () => {
      aggregator = undefined;
      rows = 0;
    };
    const source = { ...input, body: failuresMarked(input.body), reopen: input.reopen && (async () => failuresMarked(await input.reopen!())) };
    if (format === 'csv') encoding = await readCsv(source, { onRecord: onRow, onPlainRecord: onPlainRow, restart });
    else await readXlsx(source.body, onRow);
    if (!aggregator) return { ok: false, reason: 'empty: a header row is required', problem: { code: 'file-empty' } };
    return { ok: true, encoding, ...aggregator.totals() };
  } catch (error) {
    if (error instanceof FileRejection || error instanceof CsvSyntaxError) return { ok: false, reason: error.message, problem: error.problem };
    if (error instanceof BodyFailure) throw error.cause;
    return { ok: false, reason: internalError(error), problem: { code: 'internal-error' } };
  }
}

/** An error of the body itself (the network, the disk), told apart from errors of reading its content. */
class BodyFailure extends Error {}

/** The body, with its own errors wrapped in BodyFailure. */
async function* failuresMarked(body: Body): AsyncGenerator<Uint8Array | string> {
  const chunks = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next;
      try {
        next = await chunks.next();
      } catch (error) {
        throw new BodyFailure('the body failed', { cause: error });
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await chunks.return?.();
  }
}

/**
 * The reason for a file whose reading failed in a way nothing here foresaw: a bug
 * of ours (or of a library) stays visible, with the error's kind and where it
 * happened, but never its message, which might quote a cell.
 */
function internalError(error: unknown): string {
  const kind = error instanceof Error ? error.name : typeof error;
  // The first stack frame (never the message line): file and line only.
  const frame = error instanceof Error ? /^\s+at .*?([\w.-]+\.[cm]?[jt]s):(\d+):\d+/m.exec(error.stack ?? '') : null;
  return `could not be read (internal error: ${kind}${frame ? ` at ${frame[1]}:${frame[2]}` : ''}); please report it`;
}

async function readXlsx(body: Body, onRow: (cells: Cell[], line: number) => void) {
  // The workbook reader is loaded only for workbooks: CSV ingest does not pay for it.
  const { xlsxRows, XlsxError } = await import('./xlsx-rows.ts');
  try {
    for await (const { line, cells } of xlsxRows(body)) onRow(cells, line);
  } catch (error) {
    if (error instanceof XlsxError) throw new FileRejection(`cannot be read as an XLSX workbook: ${error.message}`, { code: error.code });
    throw error;
  }
}
