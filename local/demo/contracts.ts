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
}

/** A contract document (contracts/<id>.json) paying for job starts, sustained work and education, as the spec's example does. */
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
    outcomes: [
      ...(r.referralFee ? [{ id: 'referral', rule: 'referral', price: r.referralFee }] : []),
      { id: 'job_start', rule: 'first_week', activities: paidWork, minHours: 10, price: r.jobStart },
      { id: 'sustained_13', rule: 'cumulative_weeks', activities: paidWork, minHours: 20, weeks: 13, price: r.sustained },
      { id: 'sustainment', rule: 'periodic', after: 'sustained_13', activities: paidWork, minHours: 20, weeks: 4, times: 6, price: r.sustainment },
      { id: 'education_start', rule: 'first_week', activities: ['education'], minHours: 10, price: r.education },
    ],
    benefit: { ...specExampleContract().benefit, weeklyRate: r.weeklyRate, hourlyWage: r.hourlyWage, priorWeeksOnBenefit: r.priorWeeks },
  };
}
