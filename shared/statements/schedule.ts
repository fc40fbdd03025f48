/** Statements are made for the month that just ended, in Danish time. */
export const SCHEDULE_TIME_ZONE = 'Europe/Copenhagen';

function monthIn(date: Date, timeZone: string): { year: number; month: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(date);
  return { year: Number(parts.find((p) => p.type === 'year')!.value), month: Number(parts.find((p) => p.type === 'month')!.value) };
}

/** `YYYY-MM` of the month before `now` in Copenhagen: what a run on the 1st recalculates. */
export function previousMonth(now: Date, timeZone = SCHEDULE_TIME_ZONE): string {
  const { year, month } = monthIn(now, timeZone);
  const y = month === 1 ? year - 1 : year;
  const m = month === 1 ? 12 : month - 1;
  return `${y}-${String(m).padStart(2, '0')}`;
}

/** Wall-clock hour in a time zone, for finding the instant a local time happens. */
function localHour(date: Date, timeZone: string): { day: number; hour: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', hour: 'numeric', hourCycle: 'h23' }).formatToParts(date);
  return { day: Number(parts.find((p) => p.type === 'day')!.value), hour: Number(parts.find((p) => p.type === 'hour')!.value) };
}

/** The schedule's hour on the 1st, local time (matches the EventBridge Scheduler cron). */
export const SCHEDULE_HOUR = 6;

/**
 * The next 1st of a month at SCHEDULE_HOUR in Copenhagen after `now`: when the
 * local stack runs its in-process monthly recalculation.
 */
export function nextMonthlyRun(now: Date, timeZone = SCHEDULE_TIME_ZONE): Date {
  const { year, month } = monthIn(now, timeZone);
  for (const [y, m] of [[year, month], [month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1]] as const) {
    // The local hour is UTC+1 or UTC+2 in Copenhagen; try the UTC hours around it.
    for (let offset = -14; offset <= 14; offset++) {
      const candidate = new Date(Date.UTC(y, m - 1, 1, SCHEDULE_HOUR - offset));
      const local = localHour(candidate, timeZone);
      if (local.day === 1 && local.hour === SCHEDULE_HOUR && candidate > now) return candidate;
    }
  }
  throw new Error('no monthly run found');
}
