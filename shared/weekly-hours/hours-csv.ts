import { numberCell, textCell, type CsvField } from '../spreadsheet-cells.ts';
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
  let text = '';
  for (const chunk of hoursCsvChunks(rows)) text += chunk;
  return text;
}

/** Hundredths up to this (7 × 24 h) are the common cells, kept by index. */
const MAX_COMMON = 16_800;
/** About how many characters {@link hoursCsvChunks} gathers before handing them on. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The same CSV as {@link formatHoursCsv}, in pieces of about 64 KiB, so a writer can
 * send a large result as it is made instead of holding it whole. Each cell is made
 * once per distinct value (rows of one participant follow each other, weeks and
 * hours repeat), which is most of what writing a large result costs.
 */
export function* hoursCsvChunks(rows: Iterable<WeeklyHours>): Generator<string> {
  // Hours of a week (up to 168 h, so 16,800 hundredths) by index; any other number in a map.
  const common: (CsvField | undefined)[] = [];
  const others = new Map<number, CsvField>();
  const number = (centi: number) => {
    if (centi >= 0 && centi <= MAX_COMMON) return (common[centi] ??= numberCell(formatCentiHours(centi)));
    let cell = others.get(centi);
    if (cell === undefined) others.set(centi, (cell = numberCell(formatCentiHours(centi))));
    return cell;
  };
  const weeks = new Map<string, CsvField>();
  let participant: string | undefined;
  let participantCell = '';
  let chunk = `${HOURS_CSV_HEADER}\n`;
  for (const row of rows) {
    if (row.participant !== participant) participantCell = textCell((participant = row.participant));
    let weekCell = weeks.get(row.week);
    if (weekCell === undefined) weeks.set(row.week, (weekCell = textCell(row.week)));
    chunk += `${participantCell},${weekCell},${number(activeCentiHours(row))},${number(paidCentiHours(row))}`;
    for (const centi of row.centiHours) chunk += `,${number(centi)}`;
    chunk += '\n';
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}
