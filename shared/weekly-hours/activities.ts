/**
 * The activities hours are counted in (spec 2.1, 3): the domain's basic words,
 * used by the timesheet reader, the weekly-hours record and the simulation alike.
 * Their Danish spellings in timesheets live in `shared/timesheets/vocabulary.ts`.
 */

/** Activities in the order of the weekly-hours CSV (and of `WeeklyHours.centiHours`). */
export const ACTIVITIES = [
  'training',
  'internship',
  'ordinary',
  'flexjob',
  'wage_subsidy',
  'education',
  'absence',
] as const;
export type Activity = (typeof ACTIVITIES)[number];

/** Paid work (spec 3): ordinary hours, flexjob and wage subsidy, as positions in ACTIVITIES. */
export const PAID_ACTIVITIES: readonly number[] = (['ordinary', 'flexjob', 'wage_subsidy'] as const).map((a) => ACTIVITIES.indexOf(a));

/** Position of absence in ACTIVITIES: hours that count for nothing but the record (spec 3). */
export const ABSENCE = ACTIVITIES.indexOf('absence');
