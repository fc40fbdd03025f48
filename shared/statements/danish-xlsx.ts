import { escapeFormula } from '../spreadsheet-cells.ts';
import type { WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import { hoursSheets, statementSheets, type ExportCell, type ExportSheet, type StatementExport } from './export-tables.ts';

/**
 * Sheets as an XLSX workbook (exceljs) that Danish Excel shows the Danish way.
 * Number formats in a workbook are locale-neutral codes (`,` groups thousands,
 * `.` marks decimals) that Excel displays with the reader's separators, so
 * `#,##0.00 "kr."` reads `1.234,56 kr.` in Danish Excel. Values stay numbers and
 * dates (sums and filters work); text goes through the one formula escape
 * (spreadsheet-cells.ts), so a pasted-out cell can never run as a formula.
 */

/** The number format of each kind of value (Excel's codes; Danish Excel shows `1.234,56 kr.`, `7,50`, `12,5 %`, `30.11.2020`). */
export const NUMBER_FORMATS = {
  kroner: '#,##0.00 "kr.";-#,##0.00 "kr."',
  hours: '#,##0.00',
  count: '#,##0',
  share: '0.0 %',
  date: 'dd.mm.yyyy',
} as const;

const MS_PER_DAY = 86_400_000;
/** Widest a column is made, in characters: long notes and sentences wrap into the next empty cells instead. */
const MAX_WIDTH = 48;

/** A cell's value as exceljs takes it, with its number format. */
function valueOf(cell: ExportCell): { value: string | number | Date | null; numFmt?: string } {
  if (cell === null) return { value: null };
  if (cell.kind === 'text') return { value: escapeFormula(cell.value) };
  if (cell.kind === 'date') return { value: new Date(cell.value * MS_PER_DAY), numFmt: NUMBER_FORMATS.date };
  return { value: cell.value, numFmt: NUMBER_FORMATS[cell.kind] };
}

/** Display width of a cell, roughly in characters, for the column widths. */
const widthOf = (cell: ExportCell) => (cell === null ? 0 : cell.kind === 'text' ? cell.value.length : cell.kind === 'date' ? 10 : 14);

/** Each column's width from its header and cells: at least 8, at most MAX_WIDTH characters. */
function columnWidths(sheet: ExportSheet): number[] {
  const widths: number[] = [];
  const widen = (column: number, width: number) => (widths[column] = Math.max(widths[column] ?? 8, Math.min(width + 2, MAX_WIDTH)));
  for (const block of sheet.blocks) {
    block.header.forEach((heading, i) => widen(i, Math.min(heading.length, 24)));
    for (const row of block.rows) row.forEach((cell, i) => widen(i, widthOf(cell)));
  }
  return widths;
}

/**
 * Sheets as the bytes of an .xlsx file: titles and header rows bold, notes in
 * italics, a blank row between tables. Written row by row (exceljs's streaming
 * writer, inline strings): half the time and memory of building the workbook first.
 */
export async function formatXlsx(sheets: readonly ExportSheet[]): Promise<Uint8Array> {
  // Loaded when a workbook is asked for: the API's other routes start without it.
  const [{ default: ExcelJS }, { PassThrough }] = await Promise.all([import('exceljs'), import('node:stream')]);
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve, reject) => output.on('end', resolve).on('error', reject));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = 'PbR partnerships';
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name);
    worksheet.columns = columnWidths(sheet).map((width) => ({ width }));
    const addText = (texts: string[], font: { bold?: boolean; size?: number; italic?: boolean }) => {
      const row = worksheet.addRow(texts.map(escapeFormula));
      row.font = font;
      row.commit();
    };
    for (const block of sheet.blocks) {
      if (block.title) addText([block.title], { bold: true, size: 12 });
      if (block.header.length) addText(block.header, { bold: true });
      for (const cells of block.rows) {
        const values = cells.map(valueOf);
        const row = worksheet.addRow(values.map((v) => v.value));
        values.forEach(({ numFmt }, i) => numFmt && (row.getCell(i + 1).numFmt = numFmt));
        row.commit();
      }
      for (const note of block.notes ?? []) addText([note], { italic: true });
      worksheet.addRow([]).commit();
    }
    worksheet.commit();
  }
  await workbook.commit();
  await ended; // the last chunks arrive after the commit
  return new Uint8Array(Buffer.concat(chunks));
}

/** A stored statement as the workbook the portal downloads ("Hent som Excel"). */
export const statementXlsx = (stored: StatementExport) => formatXlsx(statementSheets(stored));

/** A partnership's weekly hours as the workbook the hours page downloads. */
export const hoursXlsx = (partnership: string, weeks: readonly WeeklyHours[]) => formatXlsx(hoursSheets(partnership, weeks));
