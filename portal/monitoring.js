// Monitoring that follows people (issue 10, point 5): each participant's status as
// of a chosen week, from the weekly hours and the roster (who was referred when, who
// left and why). Pure, no DOM: pages/hours.js draws it, vitest checks it.

import { weekDays } from './weeks.js';

/** No active hours for this many weeks (up to the as-of week) is an alarm of its own. */
export const NO_HOURS_WEEKS = 4;
/** Under the threshold in each of this many weeks, ending with the as-of week, is an alarm. */
const THRESHOLD_WEEKS = 2;
/** Statuses that need the project holder's follow-up. */
export const ALARMS = new Set(['below', 'noHours']);
/** The order statuses are listed in: alarms first, people who left last. */
const ORDER = ['noHours', 'below', 'waiting', 'active', 'exited'];

const WEEK_MS = 7 * 86_400_000;

/** Whole weeks from week `a` to week `b` (`YYYY-Www`), negative when b is earlier. */
export function weeksBetween(a, b) {
  return Math.round((Date.parse(weekDays(b).monday) - Date.parse(weekDays(a).monday)) / WEEK_MS);
}

/** The weeks with hours, ascending: the as-of week picker's choices. */
export const weeksWithData = (rows) => [...new Set(rows.map((row) => row.week))].sort();

/**
 * Every participant on the roster or with hours, as of week `asOf`, with their
 * status, the weeks since their last active hours and their active hours by week
 * up to `asOf` (for the sparkline). Participants referred after `asOf` without
 * hours by then are left out. Status: `exited` (exit week ≤ asOf, with `exitReason`),
 * `noHours` (no active hours for NO_HOURS_WEEKS or more), `below` (under
 * `threshold` in each of the last 2 weeks), `waiting` (referred less than
 * NO_HOURS_WEEKS ago, no hours yet) or `active`. Alarms first. The hours come
 * for a window of weeks (`from`, the API's): someone referred before it without
 * hours in it has had none for at least the window (`atLeast`), whatever came before.
 */
export function participantStatuses({ weeks: rows = [], roster = [], from }, asOf, threshold) {
  const byParticipant = new Map();
  const entry = (participant) => {
    if (!byParticipant.has(participant)) byParticipant.set(participant, { participant, hours: new Map() });
    return byParticipant.get(participant);
  };
  for (const person of roster) Object.assign(entry(person.participant), { referralWeek: person.referralWeek, exit: person.exit });
  for (const row of rows) if (row.week <= asOf) entry(row.participant).hours.set(row.week, (entry(row.participant).hours.get(row.week) ?? 0) + row.activeHours);
  const people = [];
  for (const person of byParticipant.values()) {
    const withHours = [...person.hours].filter(([, active]) => active > 0).map(([week]) => week).sort();
    const start = person.referralWeek ?? [...person.hours.keys()].sort()[0];
    if (!start || (start > asOf && withHours.length === 0)) continue;
    people.push({ ...person, ...statusOf(person, withHours.at(-1), start, asOf, threshold, from) });
  }
  return people.sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || a.participant.localeCompare(b.participant));
}

function statusOf(person, lastWithHours, start, asOf, threshold, from) {
  if (person.exit && person.exit.week <= asOf) return { status: 'exited', exitReason: person.exit.reason, lastWithHours };
  if (!lastWithHours && from && start < from) {
    return { status: 'noHours', weeksWithout: weeksBetween(from, asOf) + 1, atLeast: true };
  }
  if (!lastWithHours) {
    const since = Math.max(0, weeksBetween(start, asOf));
    return { status: since >= NO_HOURS_WEEKS ? 'noHours' : 'waiting', weeksWithout: since, neverHours: true };
  }
  const weeksWithout = weeksBetween(lastWithHours, asOf);
  if (weeksWithout >= NO_HOURS_WEEKS) return { status: 'noHours', weeksWithout, lastWithHours };
  // The last THRESHOLD_WEEKS weeks up to asOf, a week without a row counting as 0 hours.
  const recent = [...person.hours].filter(([week]) => weeksBetween(week, asOf) < THRESHOLD_WEEKS);
  const sums = Array.from({ length: THRESHOLD_WEEKS }, (_, back) => recent.filter(([week]) => weeksBetween(week, asOf) === back).reduce((sum, [, active]) => sum + active, 0));
  return { status: sums.every((sum) => sum < threshold) ? 'below' : 'active', weeksWithout, lastWithHours };
}

/** The alarm count and its context: alarms among those still in the programme, and how many left. */
export function monitoringCounts(people) {
  const exited = people.filter((p) => p.status === 'exited').length;
  return { alarms: people.filter((p) => ALARMS.has(p.status)).length, present: people.length - exited, exited };
}

/** The filters of the status drop-down: which statuses each shows. */
export const FILTERS = {
  all: () => true,
  alarm: (p) => ALARMS.has(p.status),
  active: (p) => p.status === 'active' || p.status === 'waiting',
  below: (p) => p.status === 'below',
  noHours: (p) => p.status === 'noHours',
  exited: (p) => p.status === 'exited',
};
