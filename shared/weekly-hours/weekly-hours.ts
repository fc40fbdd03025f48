import { ABSENCE, PAID_ACTIVITIES } from './activities.ts';

/**
 * One participant's hours in one ISO week, per activity in hundredths of an hour
 * (integers, so sums over reports and months stay exact). `estimated` marks weeks
 * that include monthly totals spread over weekdays (spec 2.3).
 */
export interface WeeklyHours {
  participant: string;
  week: string;
  /** Hundredths of an hour, indexed like ACTIVITIES. */
  centiHours: number[];
  estimated: boolean;
}

/** All activities but absence (spec 3), in hundredths. */
export function activeCentiHours(row: WeeklyHours): number {
  let sum = 0;
  for (let i = 0; i < row.centiHours.length; i++) if (i !== ABSENCE) sum += row.centiHours[i]!;
  return sum;
}

/** Ordinary + flexjob + wage subsidy (spec 3), in hundredths. */
export function paidCentiHours(row: WeeklyHours): number {
  let sum = 0;
  for (const i of PAID_ACTIVITIES) sum += row.centiHours[i]!;
  return sum;
}

/** Sorts by participant (code-unit order, as the CSV promises) then week. */
export function compareWeeklyHours(a: WeeklyHours, b: WeeklyHours): number {
  if (a.participant !== b.participant) return a.participant < b.participant ? -1 : 1;
  return a.week < b.week ? -1 : a.week > b.week ? 1 : 0;
}

/**
 * Weekly hours sorted by participant then week, one row per participant-week, as
 * one timesheet's totals come (readTimesheet). Each pass makes its rows afresh, so
 * a large result need not be held as objects at all (`pbr hours` streams it).
 */
export interface SortedWeeklyHours extends Iterable<WeeklyHours> {
  readonly length: number;
}

/**
 * Adds up weekly hours from several reports (other sources, neighbouring months)
 * into one row per participant and week, sorted. A week spanning two months gets
 * both months' hours this way. Rows that come sorted and one per participant-week
 * (one timesheet's) are passed through as they are; rows that are added up are
 * copies, the input is never changed.
 */
export function sumWeeklyHours(rows: Iterable<WeeklyHours>): WeeklyHours[] {
  // Sorted input costs the sort one pass (V8's TimSort finds the single run).
  return [...addUpNeighbours([...rows].sort(compareWeeklyHours))];
}

/**
 * The same sums as {@link sumWeeklyHours} for sources that are each sorted and one
 * row per participant-week (timesheets' totals), as a stream: a merge of the
 * sources, so nothing is held but one row per source.
 */
export function mergeWeeklyHours(sources: readonly Iterable<WeeklyHours>[]): Iterable<WeeklyHours> {
  return sources.length === 1 ? sources[0]! : addUpNeighbours(mergeSorted(sources));
}

/** Sorted rows with each run of one participant-week added up into one row (a copy when there are several). */
function* addUpNeighbours(sorted: Iterable<WeeklyHours>): Generator<WeeklyHours> {
  let last: WeeklyHours | undefined;
  let copied = false; // whether `last` is our own copy, free to add to
  for (const row of sorted) {
    if (last === undefined || compareWeeklyHours(last, row) !== 0) {
      if (last !== undefined) yield last;
      last = row;
      copied = false;
      continue;
    }
    if (!copied) last = { ...last, centiHours: [...last.centiHours] };
    copied = true;
    row.centiHours.forEach((hours, i) => (last!.centiHours[i]! += hours));
    last.estimated ||= row.estimated;
  }
  if (last !== undefined) yield last;
}

/** The rows of sorted sources in one sorted stream (a few sources: the least head is found by looking at each). */
function* mergeSorted(sources: readonly Iterable<WeeklyHours>[]): Generator<WeeklyHours> {
  const iterators = sources.map((source) => source[Symbol.iterator]());
  const heads = iterators.map((iterator) => iterator.next());
  for (;;) {
    let least = -1;
    heads.forEach((head, i) => {
      if (!head.done && (least === -1 || compareWeeklyHours(head.value, heads[least]!.value as WeeklyHours) < 0)) least = i;
    });
    if (least === -1) return;
    yield heads[least]!.value as WeeklyHours;
    heads[least] = iterators[least]!.next();
  }
}
