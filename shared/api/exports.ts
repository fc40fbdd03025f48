import { hoursDanishCsv, statementDanishCsv } from '../statements/danish-csv.ts';
import { hoursXlsx, statementXlsx } from '../statements/danish-xlsx.ts';
import type { StatementExport } from '../statements/export-tables.ts';
import type { WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import { ApiError, weekRangeQuery } from './request.ts';

/**
 * The files a finance officer downloads from the API: a statement or a
 * partnership's weekly hours as XLSX (Danish number formats) or as Danish CSV
 * (`;`, decimal comma, BOM). The routes (api.ts) check access exactly as for the
 * JSON they are made from; this module makes the file and its headers.
 */

/** The formats a file is offered in, by path suffix: media type, and what a reader gets (for the OpenAPI document). */
export const EXPORT_FORMATS = {
  xlsx: {
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    about: 'XLSX with Danish number formats (Danish Excel shows 1.234,56 kr.), one sheet per section',
  },
  csv: {
    type: 'text/csv',
    about: 'Danish CSV: UTF-8 with BOM, `;` between fields, decimal comma, dates dd.mm.yyyy, Danish headings; the same sections one after another',
  },
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

/**
 * Most participant-weeks one hours file holds: under 1 MB as the API sends it
 * (XLSX base64-encoded, ~0.9 MB at the cap; the Lambda answers at most 6 MB and
 * every answer here stays under 1 MB), half a year of a 500-participant
 * partnership; more is a 422 asking for a narrower from–to.
 */
export const MAX_HOURS_EXPORT_ROWS = 13_000;

/** The query of the hours files: the JSON route's week range (the threshold marks nothing in a file). */
export const hoursExportQuery = weekRangeQuery;

/** A file to send: binary bodies base64-encoded, as API Gateway expects them (`isBase64Encoded`). */
export interface ExportFile {
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

/** The answer with a file to save: its type, and `attachment` with a name made of identifiers and months only. */
function file(name: string, format: ExportFormat, content: string | Uint8Array): ExportFile {
  const headers = { 'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : EXPORT_FORMATS[format].type, 'content-disposition': `attachment; filename="${name}.${format}"` };
  return typeof content === 'string' ? { headers, body: content, isBase64Encoded: false } : { headers, body: Buffer.from(content).toString('base64'), isBase64Encoded: true };
}

/** `opgoerelse-koege-2022-09.xlsx|csv`: a stored statement as a file. */
export async function statementFile(partnership: string, month: string, stored: StatementExport, format: ExportFormat): Promise<ExportFile> {
  const name = `opgoerelse-${partnership}-${month}`;
  return file(name, format, format === 'xlsx' ? await statementXlsx(stored) : statementDanishCsv(stored));
}

/** `timer-koege[-fra-2024-W01][-til-2024-W10].xlsx|csv`: weekly hours as a file; 422 over MAX_HOURS_EXPORT_ROWS. */
export async function hoursFile(partnership: string, weeks: readonly WeeklyHours[], range: { from?: string; to?: string }, format: ExportFormat): Promise<ExportFile> {
  if (weeks.length > MAX_HOURS_EXPORT_ROWS) {
    throw new ApiError(422, `the file would hold more than ${MAX_HOURS_EXPORT_ROWS.toLocaleString('en')} participant-weeks: choose fewer weeks with from and to`);
  }
  const name = [`timer-${partnership}`, range.from && `fra-${range.from}`, range.to && `til-${range.to}`].filter(Boolean).join('-');
  return file(name, format, format === 'xlsx' ? await hoursXlsx(partnership, weeks) : hoursDanishCsv(partnership, weeks));
}
