import { seededRandom } from '../shared/random.ts';
import { parseContract, type Contract } from '../shared/simulation/contract.ts';
import type { RosterEntry } from '../shared/simulation/roster-entry.ts';
import type { StatementInput } from '../shared/simulation/statement.ts';
import { ACTIVITIES, type Activity } from '../shared/weekly-hours/activities.ts';
import { parseDay } from '../shared/weeks/parse-day.ts';
import type { WeeklyHours } from '../shared/weekly-hours/weekly-hours.ts';
import { weekIndexOfDay, weekLabel } from '../shared/weeks/iso-week.ts';
import { weeksOfMonth } from '../shared/simulation/cohort.ts';
import { specExampleContract } from '../shared/simulation/spec-example.ts';

/*
 * A synthetic, seeded national scenario for the projection benchmark and tests:
 * one partnership per municipality with a contract like the spec's example
 * (three years, 156 weeks from 2019-01-07), participants spread unevenly over
 * them, each on a realistic path — training, then often an internship, then
 * paid work or education — with dropouts at every stage. Hours are observed up
 * to the as-of month; the projection simulates the rest.
 */

export interface ScenarioOptions {
  partnerships: number;
  participants: number;
  /** `YYYY-MM`: hours are observed up to this month's last week. */
  asOf: string;
  /** Referral days are spread uniformly over [from, to] (`YYYY-MM-DD`). */
  referralsFrom: string;
  referralsTo: string;
  seed: number;
}

export const CONTRACT_START = '2019-01-07';
/** Sunday of the 156th week. */
export const CONTRACT_END = '2022-01-02';

/** The month-12 case: referrals over the first 18 months, 2019 observed, up to 105 weeks projected (2020 has 53 ISO weeks). */
export const MONTH_12: ScenarioOptions = {
  partnerships: 98,
  participants: 5000,
  asOf: '2019-12',
  referralsFrom: '2019-01-07',
  referralsTo: '2020-06-30',
  seed: 2019,
};

/**
 * The figure, 5,000 participants × 156 weeks: everyone was referred in a
 * pilot year before the contract (whose weeks teach the model its transitions)
 * and the as-of month is the month before the start, so all 156 weeks are projected.
 */
export const FULL_HORIZON: ScenarioOptions = {
  ...MONTH_12,
  asOf: '2018-12',
  referralsFrom: '2018-01-01',
  referralsTo: '2018-12-21',
};

function contractFor(index: number, participants: number): Contract {
  const id = String(index + 1).padStart(2, '0');
  return parseContract({
    ...specExampleContract(),
    partnership: `kommune-${id}`,
    name: `Vækstpartnerskab ${id}`,
    municipality: `Kommune ${id}`,
    start: CONTRACT_START,
    end: CONTRACT_END,
    programmeFee: 9000 * participants,
    cap: 30_000 * participants,
  });
}

/** Participants per partnership: uneven (a few large municipalities, many small), summing to `total`. */
function sizes(partnerships: number, total: number, random: () => number): number[] {
  const weights = Array.from({ length: partnerships }, (_, i) => (1 / (i + 3)) * (0.7 + 0.6 * random()));
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(1, Math.floor((w / sum) * total)));
  for (let i = 0, left = total - counts.reduce((a, b) => a + b, 0); left > 0; i = (i + 1) % partnerships, left--) counts[i]!++;
  return counts;
}

const activity = (name: Activity) => ACTIVITIES.indexOf(name);
const whole = (random: () => number, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

/**
 * One participant's weekly hours from the referral week to `lastWeek`: a phase
 * machine (training → internship → paid work or education), each phase ending
 * in a move on or a dropout; weeks with no hours are left out, like timesheets do.
 */
function path(random: () => number, referralWeek: number, lastWeek: number): Map<number, number[]> {
  const weeks = new Map<number, number[]>();
  let week = referralWeek + whole(random, 0, 3);
  const put = (a: number, hours: number) => {
    const centi = new Array<number>(ACTIVITIES.length).fill(0);
    centi[a] = Math.round(hours * 4) * 25;
    if (random() < 0.05) centi[activity('absence')] = 800;
    weeks.set(week, centi);
  };
  const phase = (a: number, low: number, high: number, minWeeks: number, maxWeeks: number, gapChance = 0.08) => {
    const length = whole(random, minWeeks, maxWeeks);
    const hours = whole(random, low, high);
    for (let i = 0; i < length && week <= lastWeek; i++, week++) if (random() >= gapChance) put(a, hours + whole(random, -2, 2));
  };
  phase(activity('training'), 8, 25, 4, 16);
  if (random() < 0.2) return weeks; // dropped out during training
  if (random() < 0.6) {
    phase(activity('internship'), 15, 30, 4, 13);
    if (random() < 0.2) return weeks;
  }
  week += whole(random, 0, 6); // job search
  const next = random();
  if (next < 0.15) phase(activity('education'), 15, 30, 20, 80, 0.03);
  else if (next < 0.3) phase(activity('wage_subsidy'), 20, 37, 13, 52, 0.03);
  else {
    const paid = next < 0.45 ? activity('flexjob') : activity('ordinary');
    // Paid work: some stay, some lose the job after a while; hours vary around the contract's 20 h line.
    phase(paid, random() < 0.35 ? 8 : 20, 37, 4, 200, 0.05);
  }
  return weeks;
}

/** The partnerships' statement inputs: contracts, observed weekly hours and rosters. */
export function nationalScenario(options: ScenarioOptions): StatementInput[] {
  const random = seededRandom(options.seed);
  const from = parseDay(options.referralsFrom);
  const to = parseDay(options.referralsTo);
  const lastObserved = weeksOfMonth(options.asOf).last;
  const lastWeek = weekIndexOfDay(parseDay(CONTRACT_END));
  const labels = new Map<number, string>();
  const label = (week: number) => labels.get(week) ?? (labels.set(week, weekLabel(week)), labels.get(week)!);

  return sizes(options.partnerships, options.participants, random).map((count, index) => {
    const contract = contractFor(index, count);
    const weeks: WeeklyHours[] = [];
    const roster: RosterEntry[] = [];
    for (let i = 0; i < count; i++) {
      const participant = `${contract.partnership}-${String(i).padStart(4, '0')}`;
      const referralDay = from + Math.floor(random() * (to - from + 1));
      roster.push({
        participant,
        partnership: contract.partnership,
        referralDay,
        priorWeeksOnBenefit: whole(random, 0, 260),
        weeklyBenefit: random() < 0.3 ? 2300 : 2900,
      });
      for (const [week, centiHours] of path(random, weekIndexOfDay(referralDay), lastWeek)) {
        if (week <= lastObserved) weeks.push({ participant, week: label(week), centiHours, estimated: false });
      }
    }
    return { contract, weeks, roster, asOf: options.asOf };
  });
}

/** Participant-weeks a projection simulates (per run): each participant from the later of referral and the first projected week to the contract's end. */
export function projectedParticipantWeeks(input: StatementInput): number {
  const firstWeek = Math.max(weeksOfMonth(input.asOf).last + 1, weekIndexOfDay(parseDay(input.contract.start)));
  const lastWeek = weekIndexOfDay(parseDay(input.contract.end));
  let total = 0;
  for (const row of input.roster ?? []) total += Math.max(0, lastWeek - Math.max(firstWeek, weekIndexOfDay(row.referralDay)) + 1);
  return total;
}
