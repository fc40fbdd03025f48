// ISO weeks in the portal: week → month, and a week written as dates for people.
// The domain's home of these rules is shared/weeks/iso-week.ts (monthOfWeek,
// mondayOf); the browser cannot load TypeScript, so this is their one copy here,
// and test/portal/weeks.test.ts checks the two agree.

const DAY = 86_400_000;

/** Midnight UTC of the Monday of an ISO week (`YYYY-Www`), or undefined for text that is not one. */
function mondayUtc(week) {
  const match = /^(\d{4})-W(\d{2})$/.exec(week ?? '');
  if (!match) return undefined;
  const jan4 = Date.UTC(Number(match[1]), 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  return jan4 - jan4Weekday * DAY + (Number(match[2]) - 1) * 7 * DAY;
}

/** The month (`YYYY-MM`) an ISO week (`YYYY-Www`) belongs to: the one that holds its Thursday (spec 3). */
export function monthOfWeek(week) {
  const monday = mondayUtc(week);
  return monday === undefined ? undefined : new Date(monday + 3 * DAY).toISOString().slice(0, 7);
}

/** The week's Monday and Sunday as `YYYY-MM-DD`, so a reader sees which days a week label means. */
export function weekDays(week) {
  const monday = mondayUtc(week);
  if (monday === undefined) return undefined;
  return { monday: new Date(monday).toISOString().slice(0, 10), sunday: new Date(monday + 6 * DAY).toISOString().slice(0, 10) };
}

/** The week `n` weeks after `week` (before it for negative `n`), or undefined for text that is not a week. */
export function addWeeks(week, n) {
  const monday = mondayUtc(week);
  if (monday === undefined) return undefined;
  const thursday = monday + (7 * n + 3) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const number = Math.floor((thursday - 3 * DAY - mondayUtc(`${year}-W01`)) / (7 * DAY)) + 1;
  return `${year}-W${String(number).padStart(2, '0')}`;
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A week as a finance officer reads it, never the code: `uge 49, 2020 (30.11.–6.12.)`
 * in Danish, `week 49, 2020 (30 Nov – 6 Dec)` in English; text that is not a week as it is.
 */
export function weekText(week, language = 'da') {
  const days = weekDays(week);
  if (!days) return week ?? '';
  const [year, number] = week.split('-W');
  const [, m1, d1] = days.monday.split('-').map(Number);
  const [, m2, d2] = days.sunday.split('-').map(Number);
  if (language === 'en') return `week ${Number(number)}, ${year} (${d1} ${EN_MONTHS[m1 - 1]} – ${d2} ${EN_MONTHS[m2 - 1]})`;
  return `uge ${Number(number)}, ${year} (${d1}.${m1}.–${d2}.${m2}.)`;
}
