import ExcelJS from 'exceljs';
import type { Cell } from './values.ts';

/** Monthly timesheets are small; anything larger should come as CSV, which streams. */
export const MAX_XLSX_BYTES = 50 * 1024 * 1024;

/** One exceljs cell value as text, number or date (rich text, formulas and links flattened). */
function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
    if (v.richText) return v.richText.map((part) => part.text).join('');
    if ('result' in v) return cellOf(v.result);
    if (v.text !== undefined) return cellOf(v.text);
    if (v.error) return v.error;
  }
  return String(value);
}

/**
 * The rows of an XLSX workbook's first sheet with their row numbers; date cells
 * arrive as Dates. The workbook is loaded whole: exceljs's streaming reader
 * intermittently fails on workbooks that store workbook.xml after their sheets
 * (as exceljs itself writes them), and a monthly timesheet is small.
 */
export async function* xlsxRows(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<{ line: number; cells: Cell[] }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_XLSX_BYTES) throw new Error(`larger than ${MAX_XLSX_BYTES / 1024 / 1024} MB: send it as CSV`);
    chunks.push(Buffer.from(chunk));
  }
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return;
  const rows: { line: number; cells: Cell[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const values = row.values as unknown[]; // 1-based: values[0] is empty
    rows.push({ line, cells: values.slice(1).map(cellOf) });
  });
  yield* rows;
}
