import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell } from './values.ts';

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
 * Streams the rows of an XLSX workbook's first sheet with their row numbers, so
 * a large workbook is never held whole in memory. Date cells arrive as Dates.
 */
export async function* xlsxRows(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<{ line: number; cells: Cell[] }> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(nonEmpty(body)), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = row.values as unknown[]; // 1-based: values[0] is empty
      yield { line: row.number, cells: values.slice(1).map(cellOf) };
    }
    return;
  }
}

/** Drops zero-length chunks: exceljs's unzipper waits forever after one. */
async function* nonEmpty(body: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  for await (const chunk of body) if (chunk.length > 0) yield chunk;
}
