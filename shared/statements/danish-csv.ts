import { danishCsvRow, danishNumberCell, textCell, type CsvField } from '../spreadsheet-cells.ts';
import type { WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import { formatDay } from '../weeks/iso-week.ts';
import { hoursSheets, statementSheets, type ExportCell, type ExportSheet, type StatementExport } from './export-tables.ts';

/**
 * The CSV a Danish spreadsheet opens as columns without an import dialog: UTF-8
 * with a byte-order mark (so æ, ø, å survive), `;` between fields, decimal comma
 * and no thousands separator (`-1234,50`), dates as `dd.mm.yyyy`, shares as
 * `12,5 %`, Danish headings, CRLF line ends. It holds the same sheets as the
 * XLSX, one after another: the sheet's name on a line of its own, then each
 * table's title, header row, rows and notes, a blank line between tables.
 * Text cells go through spreadsheet-cells.ts (formula-escaped, quoted).
 */

const BOM = '\uFEFF';
const LINE_END = '\r\n';

/** Rounds to `decimals` places without ever giving `-0`. */
const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals + 0;
const comma = (formatted: string) => formatted.replace('.', ',');

/** One typed value as a Danish CSV field. */
function field(cell: ExportCell): CsvField {
  if (cell === null) return textCell('');
  switch (cell.kind) {
    case 'text':
      return textCell(cell.value);
    case 'kroner':
      return danishNumberCell(comma(round(cell.value, 2).toFixed(2)));
    case 'hours':
      return danishNumberCell(comma(String(round(cell.value, 2))));
    case 'count':
      return danishNumberCell(String(round(cell.value, 0)));
    case 'share':
      return danishNumberCell(`${comma(String(round(cell.value * 100, 2)))} %`);
    case 'date': {
      const [year, month, day] = formatDay(cell.value).split('-');
      return textCell(`${day}.${month}.${year}`);
    }
  }
}

/** Sheets as one Danish CSV text (see the module comment). */
export function formatDanishCsv(sheets: readonly ExportSheet[]): string {
  const lines: string[] = [];
  const line = (fields: CsvField[]) => lines.push(danishCsvRow(fields));
  for (const sheet of sheets) {
    line([textCell(sheet.name)]);
    for (const block of sheet.blocks) {
      if (block.title) line([textCell(block.title)]);
      if (block.header.length) line(block.header.map(textCell));
      for (const row of block.rows) line(row.map(field));
      for (const note of block.notes ?? []) line([textCell(note)]);
      lines.push('');
    }
  }
  return BOM + lines.join(LINE_END) + LINE_END;
}

/** A stored statement as the Danish CSV the portal downloads ("Hent som CSV"). */
export const statementDanishCsv = (stored: StatementExport) => formatDanishCsv(statementSheets(stored));

/** A partnership's weekly hours as the Danish CSV the hours page downloads. */
export const hoursDanishCsv = (partnership: string, weeks: readonly WeeklyHours[]) => formatDanishCsv(hoursSheets(partnership, weeks));
