import { seededRandom } from '../../shared/random.ts';
import { day } from './calendar.ts';
import { contractOf, type RateCard } from './contracts.ts';
import { int, mix, pick, type Random } from './draws.ts';
import { basePerson, fakeCpr, type JobKind, type Outcome, type Person } from './people.ts';
import type { PartnershipPlan, ScenarioPlan } from './plan.ts';
import { source, STYLES, type Source } from './sources.ts';

/*
 * National scale (`pbr generate --scale national`), for benchmarks and load tests:
 * 98 municipalities, 5,000 participants, 2019–2021, clean CSV files only.
 */

const NATIONAL = { municipalities: 98, participants: 5000, start: '2019-01-07', end: '2021-12-31', firstMonth: '2019-01', lastMonth: '2021-12' };

/** Splits a total over weights, whole numbers that add up exactly (largest remainder). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return counts;
}

/** The national scenario for a seed: no deliberate mistakes, no corrections. */
export function nationalScenario(seed: number): ScenarioPlan {
  return { partnerships: nationalPlans(seed), firstMonth: NATIONAL.firstMonth, lastMonth: NATIONAL.lastMonth, mistakes: [] };
}

function nationalPlans(seed: number): PartnershipPlan[] {
  const random = seededRandom(mix(seed, 0x4e41));
  const sizes = apportion(NATIONAL.participants, Array.from({ length: NATIONAL.municipalities }, () => 0.3 + random() * random() * 3));
  let serial = 0;
  return sizes.map((size, mi) => {
    const number = String(mi + 1).padStart(3, '0');
    const id = `m${number}`;
    const municipality = `Kommune ${number}`;
    const people: Person[] = [];
    for (let k = 0; k < size; k++) people.push(nationalPerson(seededRandom(mix(seed, mi, k, 0x77)), serial++));
    people.sort((a, b) => a.referral - b.referral);
    return {
      id,
      municipality,
      cluster: mi < 49 ? 1 : 2,
      contract: contractOf(id, municipality, NATIONAL.start, NATIONAL.end, nationalRates(random, size, mi)),
      sources: nationalSources(number, mi),
      people,
      pausesAllInternshipsInDecember: mi % 11 === 0,
      rosterDates: 'iso',
    };
  });
}

/** An actor (one in seven reports monthly totals) and four companies, the fourth in hospitality. */
function nationalSources(number: string, mi: number): Source[] {
  const actorStyle = mi % 7 === 3 ? STYLES.actorMonthlyTotals : STYLES.actorExcelExport;
  return [
    source('aktoer', `Aktør ${number}`, 'actor', { ...actorStyle, bom: false }),
    ...[1, 2, 3, 4].map((c) => source(`virksomhed-${c}`, `Virksomhed ${number}-${c}`, 'company', { ...STYLES.companyEnglish, columns: [['participant', 'participant'], ...STYLES.companyEnglish.columns.slice(1)] }, { hospitality: c === 4 })),
  ];
}

/** One participant with an outcome drawn at national rates, from their own stream. */
function nationalPerson(own: Random, serial: number): Person {
  const roll = own();
  const outcome: Outcome = roll < 0.15 ? 'job' : roll < 0.17 ? 'job_lost' : roll < 0.2 ? 'education' : roll < 0.42 ? 'dropout' : 'no_job';
  const cpr = fakeCpr(own, serial);
  const referral = int(own, day(NATIONAL.start), day('2021-06-30'));
  const person = basePerson(own, cpr, referral, outcome);
  person.snuse = own() < 0.3;
  person.relapse = outcome === 'dropout' && own() < 0.2;
  person.keepsJobInSpring = own() < 0.6;
  person.internshipWeeks = outcome === 'education' || own() < 0.6 ? int(own, 4, 14) : 0;
  if (outcome === 'job' || outcome === 'job_lost' || (outcome === 'no_job' && own() < 0.08)) {
    const employer = int(own, 1, 4);
    const kinds: JobKind[] = ['ordinary', 'ordinary', 'ordinary', 'flexjob', 'subsidy_then_ordinary', 'subsidy_then_ordinary', 'ramp', 'split'];
    const kind: JobKind = outcome === 'no_job' ? 'smajob' : pick(own, kinds);
    person.job = { kind, hours: int(own, 20, 37), employer, weeks: outcome === 'job_lost' ? int(own, 6, 30) : outcome === 'no_job' ? 12 : undefined };
    person.internshipAt = employer;
    person.internshipWeeks = int(own, 8, 12);
  }
  return person;
}

/** A rate card scaled to the partnership's size, drawn from the scenario's shared stream. */
function nationalRates(random: Random, size: number, mi: number): RateCard {
  const round500 = (x: number) => Math.round(x / 500) * 500;
  const jitter = () => 0.9 + random() * 0.2;
  const rates: RateCard = {
    programmeFee: round500(Math.max(150000, size * 6500 * jitter())),
    cap: 0,
    maxPerParticipant: round500(80000 * jitter()),
    deadweight: pick(random, [0.2, 0.25, 0.3]),
    referralFee: mi % 5 === 0 ? round500(3000 * jitter()) : undefined,
    jobStart: round500(15000 * jitter()),
    sustained: round500(25000 * jitter()),
    sustainment: round500(2000 * jitter()),
    education: round500(10000 * jitter()),
    weeklyRate: 2900,
    hourlyWage: pick(random, [140, 145, 150, 155]),
    priorWeeks: int(random, 80, 160),
  };
  rates.cap = round500(rates.programmeFee * 1.4);
  return rates;
}
