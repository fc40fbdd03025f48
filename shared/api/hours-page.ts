import { z } from 'zod';
import type { RosterEntry } from '../simulation/roster-entry.ts';
import { ACTIVITIES } from '../weekly-hours/activities.ts';
import { activeCentiHours, paidCentiHours, type WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import { formatDay, mondayOf, monthRange, weekIndexOfDay, weekIndexOfLabel, weekLabel } from '../weeks/iso-week.ts';
import { compareText, cursorField, cursorMismatch, decodeCursor, encodeCursor, limitField, PAGE_BYTES, pageAfter } from './pages.ts';
import { DEFAULT_THRESHOLD, ISO_WEEK, MAX_THRESHOLD, weekRangeQuery } from './request.ts';
import { rosterView } from './roster-view.ts';

/*
 * GET /partnerships/{id}/hours in pages. Without from/to it answers the last
 * HOURS_WINDOW_WEEKS weeks (a quarter, what monitoring looks at: the 13-week
 * trend ends there) up to the end of the newest month with a report; with from
 * and/or to, those weeks. Either way the participants (with hours in the window
 * or on the roster, by pseudonym) come in pages: each page holds all of its
 * participants' weeks in the window and their roster entries, so their flags are
 * whole, and at most PAGE_BYTES of them (pages.ts).
 */

/** Weeks the hours route answers without from/to. */
export const HOURS_WINDOW_WEEKS = 13;
/** Most participants on one page of the hours route. */
export const HOURS_PAGE_PARTICIPANTS = 500;

/** What the hours route reads beyond the HoursStore port: a month range, and which months have reports (DynamoHoursStore). */
export interface HoursWindowStore {
  /** Weekly hours from the reports of months fromMonth–toMonth (YYYY-MM, both included). */
  weeklyHoursOfMonths(partnership: string, fromMonth: string, toMonth: string): Promise<WeeklyHours[]>;
  /** Months with a current report version, ascending. */
  reportMonths(partnership: string): Promise<string[]>;
}

/** The query of GET /partnerships/{id}/hours. */
export const hoursQuery = weekRangeQuery
  .extend({
    threshold: z.coerce
      .number({ error: 'must be a number' })
      .min(0, { error: 'must not be negative' })
      .max(MAX_THRESHOLD, { error: `must be at most ${MAX_THRESHOLD}` })
      .default(DEFAULT_THRESHOLD)
      .meta({ description: 'Flag participants under this many active hours in each of their last 2 weeks with data' }),
    cursor: cursorField.optional(),
    limit: limitField(HOURS_PAGE_PARTICIPANTS).meta({
      description: `Most participants on one page (default and most: ${HOURS_PAGE_PARTICIPANTS}); a page also stops before ${PAGE_BYTES / 1024} KiB of entries. Each page holds all its participants' weeks in the window`,
    }),
  })
  .strict();

const week = z.string().regex(ISO_WEEK);
/** The key inside an hours cursor: the window it pages and the last participant shown. */
const hoursCursor = z.object({ from: week.nullable(), to: week.nullable(), after: z.string().max(200) }).strict();

const hours = (centi: number) => centi / 100;
const monthOfDay = (day: number) => formatDay(day).slice(0, 7);

/** One participant-week as the route answers it. */
function hoursRow(w: WeeklyHours) {
  return {
    participant: w.participant,
    week: w.week,
    activeHours: hours(activeCentiHours(w)),
    paidHours: hours(paidCentiHours(w)),
    hours: Object.fromEntries(ACTIVITIES.map((a, i) => [a, hours(w.centiHours[i]!)])),
    estimated: w.estimated,
  };
}
type HoursRow = ReturnType<typeof hoursRow>;

/** Most bytes of one row's JSON beside its participant: every activity at a week's most hours (168). */
const ROW_BYTES = Buffer.byteLength(JSON.stringify(hoursRow({ participant: '', week: '2024-W01', centiHours: ACTIVITIES.map(() => 16_899), estimated: false }))) + 1;
/** Most bytes of one roster entry (with an exit) beside its participant. */
const ROSTER_BYTES = 160;

/** The monitoring flag of the source programme: too few active hours in each of the last 2 weeks with hours. */
function participantFlag(participant: string, rows: readonly HoursRow[], threshold: number) {
  const lastWeeks = rows.filter((r) => Object.values(r.hours).some((h) => h > 0)).slice(-2).map(({ week, activeHours }) => ({ week, activeHours }));
  return { participant, lastWeeks, belowThreshold: lastWeeks.length > 0 && lastWeeks.every((w) => w.activeHours < threshold) };
}

/** The weeks the reports cover (first week of the first month to last week of the last), or null without reports. */
function coveredWeeks(months: readonly string[]): { from: string; to: string } | null {
  if (months.length === 0) return null;
  return { from: weekLabel(weekIndexOfDay(monthRange(months[0]!).first)), to: weekLabel(weekIndexOfDay(monthRange(months.at(-1)!).last)) };
}

/**
 * A partnership's weekly hours within from–to (either end open), read from the
 * reports of the months those weeks touch only; `months` are its report months
 * when the caller has them already.
 */
export async function weeksWithin(
  partnership: string,
  { from, to }: { from?: string | null; to?: string | null },
  store: HoursWindowStore,
  months?: readonly string[],
): Promise<WeeklyHours[]> {
  const reported = months ?? (await store.reportMonths(partnership));
  const fromMonth = from ? monthOfDay(mondayOf(weekIndexOfLabel(from))) : reported[0];
  const toMonth = to ? monthOfDay(mondayOf(weekIndexOfLabel(to)) + 6) : reported.at(-1);
  if (!fromMonth || !toMonth || fromMonth > toMonth) return [];
  const weeks = await store.weeklyHoursOfMonths(partnership, fromMonth, toMonth);
  return weeks.filter((w) => (!from || w.week >= from) && (!to || w.week <= to));
}

/**
 * One page of a partnership's weekly hours with the monitoring flags and the
 * roster entries of its participants; `nextCursor` names the next page (null on
 * the last). `window` is the weeks answered (either end null: open), `available`
 * the weeks the partnership's reports cover.
 */
export async function hoursPage(partnership: string, query: z.infer<typeof hoursQuery>, store: HoursWindowStore, roster: readonly RosterEntry[]) {
  const months = await store.reportMonths(partnership);
  const available = coveredWeeks(months);
  let window: { from: string | null; to: string | null };
  let after: string | undefined;
  if (query.cursor !== undefined) {
    const key = decodeCursor(hoursCursor, query.cursor);
    if ((query.from !== undefined && query.from !== key.from) || (query.to !== undefined && query.to !== key.to)) throw cursorMismatch('from or to');
    window = { from: key.from, to: key.to };
    after = key.after;
  } else if (query.from !== undefined || query.to !== undefined) {
    window = { from: query.from ?? null, to: query.to ?? null };
  } else {
    const to = available ? weekIndexOfLabel(available.to) : undefined;
    window = to === undefined ? { from: null, to: null } : { from: weekLabel(to - HOURS_WINDOW_WEEKS + 1), to: weekLabel(to) };
  }
  const byParticipant = new Map<string, { participant: string; weeks: WeeklyHours[]; roster?: RosterEntry }>();
  const entry = (participant: string) => byParticipant.get(participant) ?? byParticipant.set(participant, { participant, weeks: [] }).get(participant)!;
  for (const w of await weeksWithin(partnership, window, store, months)) entry(w.participant).weeks.push(w);
  for (const person of roster) entry(person.participant).roster = person;
  const people = [...byParticipant.values()].sort((a, b) => compareText(a.participant, b.participant));
  // A bound on each participant's JSON, so only the page's rows are ever built.
  const sizeOf = (p: { participant: string; weeks: WeeklyHours[] }) => p.weeks.length * (ROW_BYTES + Buffer.byteLength(p.participant)) + ROSTER_BYTES;
  const page = pageAfter(people, (p) => p.participant, compareText, after, query.limit, { sizeOf });
  const rows = page.entries.map((p) => p.weeks.sort((a, b) => compareText(a.week, b.week)).map(hoursRow));
  return {
    partnership,
    threshold: query.threshold,
    from: window.from,
    to: window.to,
    available,
    weeks: rows.flat(),
    participants: page.entries.flatMap((p, i) => (rows[i]!.length > 0 ? [participantFlag(p.participant, rows[i]!, query.threshold)] : [])),
    roster: rosterView(page.entries.flatMap((p) => (p.roster ? [p.roster] : []))),
    nextCursor: page.next === undefined ? null : encodeCursor({ ...window, after: page.next }),
  };
}
