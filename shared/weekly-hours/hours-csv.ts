import { csvRow, numberCell, textCell } from '../spreadsheet-cells.ts';
import { ACTIVITIES } from './activities.ts';
import { activeCentiHours, paidCentiHours, type WeeklyHours } from './weekly-hours.ts';

export const HOURS_CSV_HEADER = ['participant', 'week', 'active_hours', 'paid_hours', ...ACTIVITIES].join(',');

/** Hundredths as a plain decimal with at most two decimals and `.` (7.5, 12, 0.25). */
export function formatCentiHours(centi: number): string {
  const whole = Math.trunc(centi / 100);
  const fraction = Math.abs(centi % 100);
  if (fraction === 0) return String(whole);
  const sign = centi < 0 && whole === 0 ? '-' : '';
  return `${sign}${whole}.${String(fraction).padStart(2, '0').replace(/0$/, '')}`;
}

/**
 * The weekly-hours CSV shared by `pbr hours` and `pbr export-hours` (rows already
 * sorted). The participant and week are text cells (formula-escaped, spec 2.4);
 * the hours are numbers we format, written as numbers.
 */
export function formatHoursCsv(rows: Iterable<WeeklyHours>): string {
  const lines = [HOURS_CSV_HEADER];
  for (const row of rows) {
    const numbers = [activeCentiHours(row), paidCentiHours(row), ...row.centiHours].map((centi) => numberCell(formatCentiHours(centi)));
    lines.push(csvRow([textCell(row.participant), textCell(row.week), ...numbers]));
  }
  return lines.join('\n') + '\n';
}
