import type { RosterEntry } from '../simulation/roster-entry.ts';
import { formatDay, weekIndexOfDay, weekLabel } from '../weeks/iso-week.ts';

/** One roster entry as the hours route shows it: when the participant was referred and, if so, left and why. */
export interface RosterView {
  participant: string;
  referralWeek: string;
  /** Absent while the participant is in the programme. */
  exit?: { day: string; week: string; reason: string };
}

/**
 * The roster beside the weekly hours, so monitoring follows people: someone who
 * has left shows as exited (with the roster's reason) and is no alarm, someone
 * referred without hours yet is still seen. Participants are the same pseudonyms
 * as in the hours; no other roster field (benefit, prior weeks) is shown.
 */
export function rosterView(roster: readonly RosterEntry[]): RosterView[] {
  return roster.map((entry) => ({
    participant: entry.participant,
    referralWeek: weekLabel(weekIndexOfDay(entry.referralDay)),
    ...(entry.exitDay === undefined
      ? {}
      : { exit: { day: formatDay(entry.exitDay), week: weekLabel(weekIndexOfDay(entry.exitDay)), reason: entry.exitReason ?? 'other' } }),
  }));
}
