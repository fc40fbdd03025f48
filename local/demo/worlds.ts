import { seededRandom } from '../../shared/random.ts';
import { formatDay, monthAfter, monthRange } from '../../shared/weeks/iso-week.ts';
import { day, weekdayOnOrAfter } from './calendar.ts';
import { contractOf, feeInstalments, type RateCard } from './contracts.ts';
import { int, mix, pick, type Random } from './draws.ts';
import type { Person } from './people.ts';
import type { PartnershipPlan, ScenarioPlan } from './plan.ts';
import { type DaySpan, source, STYLES, type Source } from './sources.ts';
import { type Careers, type Placement, worldPerson } from './worlds-people.ts';

/*
 * Test worlds (`pbr generate --scale world --shape …`): synthetic histories with what
 * real ones have, to judge projections on worlds they were not tuned to. A world is
 * 3–5 partnerships of 15–120 participants under ~3-year contracts (2022–2026, clear
 * of the COVID pauses), each with one employment actor and 3–6 companies, CSV
 * timesheets with a row per day, no mistakes and no corrections. Christmas and
 * summer breaks, careers of 18–34 weeks' training and 3–30 weeks' internship, jobs
 * lost and found again, education and dropouts happen in every shape; the shape
 * sets how referrals spread, how careers run and which workplaces close for months.
 */

/** The shapes of world, each judging the projection on another kind of history. */
export const WORLD_SHAPES = ['steady', 'seasonal', 'closures', 'late'] as const;
export type WorldShape = (typeof WORLD_SHAPES)[number];

/** What distinguishes one shape from another. */
interface Shape {
  /** Referral waves: months from the contract's start (`to` excluded) and their weight. */
  waves: readonly (readonly [fromMonth: number, toMonth: number, weight: number])[];
  careers: Careers;
  /** Hospitality companies per partnership, closed every winter (1 November to 14 March). */
  winterClosed: number;
  /** One big regional employer in every partnership, closed for 3–5 months from the contract's second year. */
  shutdown: boolean;
}

/** Careers as in the source programme: ~26 weeks' training, a fair labour market. */
const COMMON: Careers = {
  job: 0.26, jobLost: 0.08, education: 0.08, dropout: 0.2, earlyDropout: 0.35,
  trainingWeeks: [18, 34], internshipWeeks: [3, 20], jobWeeks: [4, 40], refind: 0.6, gapWeeks: [3, 20],
  educationDropout: 0.4, layoffs: 0, summerWeeks: [2, 3], longChristmas: 0.25,
};

const SHAPES: Record<WorldShape, Shape> = {
  /** Referrals evenly over 18 months, a good labour market: jobs found quickly and again soon after a loss. */
  steady: { waves: [[0, 18, 1]], careers: { ...COMMON, job: 0.3, refind: 0.75, gapWeeks: [3, 12], trainingWeeks: [20, 32] }, winterClosed: 0, shutdown: false },
  /** Front-loaded referrals, long summer and Christmas breaks, hotels and cafés closed every winter (some staff laid off). */
  seasonal: {
    waves: [[0, 4, 0.6], [4, 15, 0.4]],
    careers: { ...COMMON, job: 0.24, summerWeeks: [4, 6], longChristmas: 0.8, layoffs: 0.3, refind: 0.5, gapWeeks: [4, 24] },
    winterClosed: 2,
    shutdown: false,
  },
  /** Two waves of referrals; a big employer closes for months and lays off half its staff, jobs are lost more often. */
  closures: {
    waves: [[0, 8, 0.5], [10, 16, 0.4], [0, 24, 0.1]],
    careers: { ...COMMON, job: 0.24, jobLost: 0.12, internshipWeeks: [3, 30], layoffs: 0.5, refind: 0.55, gapWeeks: [4, 26] },
    winterClosed: 0,
    shutdown: true,
  },
  /** Most referrals in the second year of the contract; slow careers, fewer jobs, long gaps. */
  late: {
    waves: [[0, 12, 0.2], [12, 17, 0.45], [19, 24, 0.35]],
    careers: { ...COMMON, job: 0.17, jobLost: 0.06, education: 0.1, dropout: 0.24, trainingWeeks: [24, 34], internshipWeeks: [8, 30], refind: 0.4, gapWeeks: [8, 30] },
    winterClosed: 0,
    shutdown: false,
  },
};

/** Invented towns and firms: no real organisation is given invented hours. */
const TOWNS = ['Egeby', 'Fjordkøbing', 'Lyngvig', 'Storeholm', 'Vesterå', 'Kildeby', 'Bøgely', 'Havnsø Strand', 'Mosevang', 'Skovlund'];
const FIRMS = ['Nordlys Pakkeri', 'Skovgaard Byg', 'Havnens Lager', 'Egetræ Møbler', 'Fjordens Gartneri', 'Bakkely Plejecenter', 'Sønderby Auto', 'Klitgården Rengøring', 'Mølleå Bageri', 'Lindholm Transport'];
const HOSPITALITY = ['Hotel Strandly', 'Café Havblik', 'Restaurant Fyrtårnet', 'Badehotel Klitten'];
const BIG_EMPLOYER = 'Vestkyst Fødevarer';
const COMPANY_STYLES = [STYLES.companyEnglish, STYLES.companyDanishCsv];
const ACTOR_STYLES = [STYLES.actorExcelExport, STYLES.actorCaseSystem];

/** An identifier from a Danish name: æ, ø, å spelled out, other accents dropped ("Café" → "cafe"). */
const slug = (name: string) =>
  name.toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'oe').replace(/å/g, 'aa').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-');
const monthsAfter = (month: string, n: number) => Array.from({ length: n }).reduce<string>((m) => monthAfter(m), month);
/** `n` different items of `items`, in a drawn order. */
function distinct<T>(random: Random, items: readonly T[], n: number): T[] {
  const left = [...items];
  return Array.from({ length: n }, () => left.splice(Math.floor(random() * left.length), 1)[0]!);
}

/** Every winter from `first` to `last` (day numbers) as a closed span. */
function winters(first: number, last: number): DaySpan[] {
  const spans: DaySpan[] = [];
  for (let year = Number(formatDay(first).slice(0, 4)) - 1; year <= Number(formatDay(last).slice(0, 4)); year++) spans.push({ from: day(`${year}-11-01`), to: day(`${year + 1}-03-14`) });
  return spans;
}

/** An actor and 3–6 companies: some hospitality closed in winter, the big employer with its shutdown. */
function frameSources(random: Random, shape: Shape, town: string, shutdown: DaySpan | undefined, period: DaySpan): { sources: Source[]; employerWeights: number[] } {
  const sources = [source(slug(`Jobvejen ${town}`), `Jobvejen ${town}`, 'actor', pick(random, ACTOR_STYLES))];
  const weights: number[] = [];
  const company = (name: string, weight: number, closed?: readonly DaySpan[]) => {
    sources.push(source(slug(name), name, 'company', pick(random, COMPANY_STYLES), closed ? { closed } : {}));
    weights.push(weight);
  };
  for (const name of distinct(random, FIRMS, int(random, 3, 6) - shape.winterClosed - (shutdown ? 1 : 0))) company(name, 1 + random() * 2);
  for (const name of distinct(random, HOSPITALITY, shape.winterClosed)) company(name, 1 + random(), winters(period.from, period.to));
  if (shutdown) company(BIG_EMPLOYER, 5, [shutdown]);
  return { sources, employerWeights: weights };
}

/** A rate card for a partnership of `size`, its fee paid 40/30/30 % over the first year; the cap leaves outcome payments room to vary. */
function worldRates(random: Random, size: number, startMonth: string): RateCard {
  const round500 = (x: number) => Math.round(x / 500) * 500;
  const jitter = () => 0.85 + random() * 0.3;
  const programmeFee = round500(Math.max(150_000, size * 6000 * jitter()));
  return {
    programmeFee,
    cap: round500(size * int(random, 18, 36) * 1000), // 18–36 thousand kroner a participant: binds only where many find jobs
    maxPerParticipant: round500(80_000 * jitter()),
    deadweight: pick(random, [0.2, 0.25, 0.3]),
    referralFee: random() < 0.25 ? round500(3000 * jitter()) : undefined,
    jobStart: round500(15_000 * jitter()),
    sustained: round500(25_000 * jitter()),
    sustainment: round500(2000 * jitter()),
    education: round500(10_000 * jitter()),
    weeklyRate: 2900,
    hourlyWage: pick(random, [140, 145, 150, 155]),
    priorWeeks: int(random, 80, 160),
    feeSchedule: feeInstalments(programmeFee, [[startMonth, 40], [monthsAfter(startMonth, 6), 30], [monthsAfter(startMonth, 12), 30]]),
  };
}

/**
 * A world of `shape` for a seed: its partnerships (cluster 2 starting 1–4 months
 * after cluster 1), their people drawn each from their own stream, and the months
 * the timesheets cover. The same seed and shape give the same plan.
 */
export function worldScenario(seed: number, shapeName: WorldShape): ScenarioPlan {
  const shape = SHAPES[shapeName];
  const random = seededRandom(mix(seed, 0x574f, WORLD_SHAPES.indexOf(shapeName)));
  const n = int(random, 3, 5);
  const firstMonth = monthsAfter('2022-01', int(random, 0, 18));
  const towns = distinct(random, TOWNS, n);
  const shutdownFrom = weekdayOnOrAfter(monthRange(monthsAfter(firstMonth, int(random, 12, 20))).first + int(random, 0, 27));
  const shutdown = shape.shutdown ? { from: shutdownFrom, to: shutdownFrom + int(random, 91, 152) } : undefined;
  let serial = 0;
  let lastMonth = firstMonth;
  const partnerships = towns.map((town, k): PartnershipPlan => {
    const cluster = k < Math.ceil(n / 2) ? 1 : 2;
    const startMonth = cluster === 1 ? firstMonth : monthsAfter(firstMonth, int(random, 1, 4));
    const endMonth = monthsAfter(startMonth, 35);
    if (endMonth > lastMonth) lastMonth = endMonth;
    const start = weekdayOnOrAfter(monthRange(startMonth).first);
    const end = monthRange(endMonth).last;
    const size = int(random, 15, 120);
    const { sources, employerWeights } = frameSources(random, shape, town, shutdown, { from: start, to: end });
    const placement: Placement = {
      waves: shape.waves.map(([from, to, weight]) => ({ from: Math.max(start, monthRange(monthsAfter(startMonth, from)).first), to: monthRange(monthsAfter(startMonth, to)).first, weight })),
      employers: sources.map((_, i) => i).slice(1),
      employerWeights,
    };
    const people: Person[] = [];
    for (let j = 0; j < size; j++) people.push(worldPerson(seededRandom(mix(seed, WORLD_SHAPES.indexOf(shapeName), k, j, 0x3e)), ++serial, shape.careers, placement));
    people.sort((a, b) => a.referral - b.referral);
    const id = slug(town);
    return {
      id,
      municipality: town,
      cluster,
      contract: contractOf(id, town, formatDay(start), formatDay(end), worldRates(random, size, startMonth)),
      sources,
      people,
      pausesAllInternshipsInDecember: false,
      rosterDates: random() < 0.5 ? 'dmy' : 'iso',
    };
  });
  return { partnerships, firstMonth, lastMonth, mistakes: [] };
}
