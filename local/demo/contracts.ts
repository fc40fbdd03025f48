import { specExampleContract } from '../../shared/simulation/spec-example.ts';

/*
 * The partnerships' contracts: one shape (the spec's outcomes and benefit
 * assumptions), with a rate card per municipality.
 */

/** A partnership's prices and economics: what varies between the demo's contracts. */
export interface RateCard {
  programmeFee: number;
  cap: number;
  maxPerParticipant: number;
  deadweight: number;
  referralFee?: number;
  jobStart: number;
  sustained: number;
  sustainment: number;
  education: number;
  weeklyRate: number;
  hourlyWage: number;
  priorWeeks: number;
  /** When the fee falls due (spec 4); without it the whole fee is due in the start month. */
  feeSchedule?: FeeInstalment[];
}

/** One instalment of the programme fee. */
export interface FeeInstalment {
  month: string;
  amount: number;
}

/**
 * A fee split into instalments by percentages (whole kroner); the last instalment
 * takes the remainder, so the amounts always sum to the fee as the contract requires.
 */
export function feeInstalments(fee: number, shares: readonly [month: string, percent: number][]): FeeInstalment[] {
  let left = fee;
  return shares.map(([month, percent], i) => {
    const amount = i === shares.length - 1 ? left : Math.round((fee * percent) / 100);
    left -= amount;
    return { month, amount };
  });
}

/** The outcomes' names on statements, in Danish (spec 4: `label`). */
const LABELS = {
  referral: 'Tilknytning ved visitation',
  job_start: 'Job, første uge',
  sustained_13: 'Job i 13 uger',
  sustainment: 'Fastholdelse i job, hver 4. uge',
  education_start: 'Uddannelse, første uge',
} as const;

/** A contract document (contracts/<id>.json) paying for job starts, sustained work and education, as the spec's example does, with Danish labels. */
export function contractOf(id: string, municipality: string, start: string, end: string, r: RateCard): Record<string, unknown> {
  const paidWork = ['ordinary', 'flexjob'];
  return {
    partnership: id,
    name: `Vækstpartnerskab ${municipality}`,
    municipality,
    start,
    end,
    programmeFee: r.programmeFee,
    cap: r.cap,
    maxPerParticipant: r.maxPerParticipant,
    deadweight: r.deadweight,
    ...(r.feeSchedule ? { feeSchedule: r.feeSchedule } : {}),
    outcomes: [
      ...(r.referralFee ? [{ id: 'referral', label: LABELS.referral, rule: 'referral', price: r.referralFee }] : []),
      { id: 'job_start', label: LABELS.job_start, rule: 'first_week', activities: paidWork, minHours: 10, price: r.jobStart },
      { id: 'sustained_13', label: LABELS.sustained_13, rule: 'cumulative_weeks', activities: paidWork, minHours: 20, weeks: 13, price: r.sustained },
      { id: 'sustainment', label: LABELS.sustainment, rule: 'periodic', after: 'sustained_13', activities: paidWork, minHours: 20, weeks: 4, times: 6, price: r.sustainment },
      { id: 'education_start', label: LABELS.education_start, rule: 'first_week', activities: ['education'], minHours: 10, price: r.education },
    ],
    benefit: { ...specExampleContract().benefit, weeklyRate: r.weeklyRate, hourlyWage: r.hourlyWage, priorWeeksOnBenefit: r.priorWeeks },
  };
}
