import { CsvParser, CsvSyntaxError } from './csv-parser.ts';
import { RowAggregator, type TimesheetTotals } from './row-aggregator.ts';
import { isBlank, type Cell } from './values.ts';
import { layoutOfHeader } from './vocabulary.ts';

export type TimesheetFormat = 'csv' | 'xlsx';

/** A timesheet to read: its name (for messages), bytes and the report month, if known. */
export interface TimesheetInput {
  name: string;
  body: AsyncIterable<Uint8Array | string>;
  /** `YYYY-MM`: dates outside it are rejected, monthly totals are spread over it. */
  month?: string;
  format?: TimesheetFormat;
}

export interface ReadOptions {
  pseudonymise: (participant: string) => string;
  /** Called now and then with the number of data rows read so far. */
  onProgress?: (rows: number) => void;
}

/** Either the file's totals, or why the whole file was rejected (nothing of it counts). */
export type TimesheetResult = ({ ok: true } & TimesheetTotals) | { ok: false; reason: string };

/** Thrown inside the readers for problems that reject the whole file. */
class FileRejection extends Error {}

const PROGRESS_EVERY = 100_000;
const DECODE_SLICE = 256 * 1024;

/** The format a file name implies, or undefined for anything else. */
export function formatOfName(name: string): TimesheetFormat | undefined {
  const lower = name.toLowerCase();
  return lower.endsWith('.csv') ? 'csv' : lower.endsWith('.xlsx') ? 'xlsx' : undefined;
}

/**
 * Reads a monthly timesheet (CSV or XLSX) as a stream into weekly hours per
 * participant, validating every row (spec 2). A file that cannot be read, or whose
 * header lacks a required column, comes back rejected whole; otherwise valid rows
 * count and bad ones are listed with their line and reason.
 */
export async function readTimesheet(input: TimesheetInput, options: ReadOptions): Promise<TimesheetResult> {
  const format = input.format ?? formatOfName(input.name);
  if (!format) return { ok: false, reason: 'neither a .csv nor an .xlsx file' };
  let aggregator: RowAggregator | undefined;
  let rows = 0;
  const onRow = (cells: readonly Cell[], line: number) => {
    if (!aggregator) {
      const layout = layoutOfHeader(cells.map((cell) => (isBlank(cell) ? '' : String(cell))));
      if ('reason' in layout) throw new FileRejection(layout.reason);
      try {
        aggregator = new RowAggregator(layout, options.pseudonymise, input.month);
      } catch (error) {
        throw new FileRejection((error as Error).message);
      }
      return;
    }
    if (cells.every(isBlank)) return; // spreadsheet exports end with rows of empty cells
    aggregator.addRow(line, cells);
    if (++rows % PROGRESS_EVERY === 0) options.onProgress?.(rows);
  };
  try {
    if (format === 'csv') await readCsv(input.body, onRow);
    else await readXlsx(input.body, onRow);
  } catch (error) {
    if (error instanceof FileRejection || error instanceof CsvSyntaxError) return { ok: false, reason: error.message };
    throw error;
  }
  if (!aggregator) return { ok: false, reason: 'empty: a header row is required' };
  return { ok: true, ...aggregator.totals() };
}

async function readCsv(body: AsyncIterable<Uint8Array | string>, onRow: (cells: string[], line: number) => void) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = new CsvParser(onRow);
  try {
    for await (const chunk of body) {
      if (typeof chunk === 'string') parser.push(chunk);
      // Decoded text lives outside the V8 heap until collected: small slices keep the peak low.
      else for (let at = 0; at < chunk.length; at += DECODE_SLICE) parser.push(decoder.decode(chunk.subarray(at, at + DECODE_SLICE), { stream: true }));
    }
    parser.push(decoder.decode());
  } catch (error) {
    if (error instanceof TypeError && (error as { code?: string }).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      throw new FileRejection('not UTF-8 text: save it as "CSV UTF-8" (Excel) or as .xlsx');
    }
    throw error;
  }
  parser.end();
}

async function readXlsx(body: AsyncIterable<Uint8Array | string>, onRow: (cells: Cell[], line: number) => void) {
  // exceljs is loaded only for workbooks: CSV ingest does not pay for it.
  const { xlsxRows } = await import('./xlsx-rows.ts');
  const rows = xlsxRows(body);
  for (;;) {
    let next;
    try {
      next = await rows.next();
    } catch (error) {
      throw new FileRejection(`cannot be read as an XLSX workbook (${(error as Error).message})`);
    }
    if (next.done) return;
    onRow(next.value.cells, next.value.line);
  }
}
