// Week → month in the portal. The domain's home of this rule is
// shared/weeks/iso-week.ts (monthOfWeek); the browser cannot load TypeScript, so
// this is its one copy here, and test/portal/weeks.test.ts checks the two agree.

/** The month (`YYYY-MM`) an ISO week (`YYYY-Www`) belongs to: the one that holds its Thursday (spec 3). */
export function monthOfWeek(week) {
  const match = /^(\d{4})-W(\d{2})$/.exec(week ?? '');
  if (!match) return undefined;
  const year = Number(match[1]);
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(jan4 - jan4Weekday * 86_400_000 + 3 * 86_400_000 + (Number(match[2]) - 1) * 7 * 86_400_000);
  return thursday.toISOString().slice(0, 7);
}
