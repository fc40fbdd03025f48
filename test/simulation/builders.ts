import { parseContract, type Contract } from '../../shared/simulation/contract.ts';
import type { RosterEntry } from '../../shared/simulation/roster.ts';
import { evaluate, type Statement, type StatementInput } from '../../shared/simulation/statement.ts';
import type { Activity } from '../../shared/timesheets/vocabulary.ts';
import { dayNumber, weekIndexOfLabel, weekLabel } from '../../shared/weeks/iso-week.ts';
import type { WeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';

/*
 * Builders for the simulation tests: contracts as plain documents (so a test can
 * break one field and see the validation message) and weekly hours written in
 * hours per activity by name, never by index.
 */

/** A fresh copy of the example contract of spec section 4, as a plain JSON-like document. */
export function specContractDocument() {
  return {
    partnership: 'koege',
    name: 'Vækstpartnerskab Køge',
    municipality: 'Køge',
    start: '2019-02-04',
    end: '2022-09-30',
    programmeFee: 450000,
    cap: 600000,
    maxPerParticipant: 80000,
    deadweight: 0.25,
    outcomes: [
      { id: 'job_start', rule: 'first_week', activities: ['ordinary', 'flexjob'], minHours: 10, price: 15000 },
      { id: 'sustained_13', rule: 'cumulative_weeks', activities: ['ordinary', 'flexjob'], minHours: 20, weeks: 13, price: 25000 },
      { id: 'sustainment', rule: 'periodic', after: 'sustained_13', activities: ['ordinary', 'flexjob'], minHours: 20, weeks: 4, times: 6, price: 2000 },
      { id: 'education_start', rule: 'first_week', activities: ['education'], minHours: 10, price: 10000 },
    ] as Record<string, unknown>[],
    benefit: {
      weeklyRate: 2900,
      hourlyWage: 150,
      disregardPerHour: 30,
      educationOffBenefitHours: 15,
      priorWeeksOnBenefit: 104,
      refusion: [
        { fromWeek: 1, rate: 0.8 },
        { fromWeek: 5, rate: 0.4 },
        { fromWeek: 27, rate: 0.3 },
        { fromWeek: 53, rate: 0.2 },
      ],
      municipalCostPerHour: { wage_subsidy: 95, flexjob: 70 } as Record<string, number>,
    },
  };
}

export type ContractDocument = ReturnType<typeof specContractDocument>;

/**
 * A small test contract over 2024–2025 with no caps to speak of, no deadweight and
 * no fee, so that each test sets exactly the parameters it is about. `edit` may
 * change the document before it is validated.
 */
export function testContract(edit: (doc: ContractDocument) => void = () => {}): Contract {
  const doc = specContractDocument();
  doc.partnership = 'test';
  doc.name = 'Testpartnerskab';
  doc.municipality = 'Testby';
  doc.start = '2024-01-01'; // a Monday: 2024-W01 starts on it
  doc.end = '2025-12-31';
  doc.programmeFee = 0;
  doc.cap = 1_000_000_000;
  doc.maxPerParticipant = 1_000_000_000;
  doc.deadweight = 0;
  doc.benefit.priorWeeksOnBenefit = 0;
  edit(doc);
  return parseContract(doc);
}

export type Hours = Partial<Record<Activity, number>>;

const ORDER: Activity[] = ['training', 'internship', 'ordinary', 'flexjob', 'wage_subsidy', 'education', 'absence'];

/** One participant-week from hours per activity (in hours; stored in hundredths). */
export function week(participant: string, label: string, hours: Hours, estimated = false): WeeklyHours {
  return { participant, week: label, centiHours: ORDER.map((a) => Math.round((hours[a] ?? 0) * 100)), estimated };
}

/** The week `n` weeks after `label` (n may be negative), across year ends. */
export function addWeeks(label: string, n: number): string {
  return weekLabel(weekIndexOfLabel(label) + n);
}

/** Number of weeks from `from` to `to` (0 when equal). */
export function weeksBetween(from: string, to: string): number {
  return weekIndexOfLabel(to) - weekIndexOfLabel(from);
}

/**
 * `count` consecutive weeks of one participant from `first`, with the same hours
 * every week or hours per week offset (return undefined to skip that week).
 */
export function series(participant: string, first: string, count: number, hours: Hours | ((i: number) => Hours | undefined)): WeeklyHours[] {
  const rows: WeeklyHours[] = [];
  for (let i = 0; i < count; i++) {
    const h = typeof hours === 'function' ? hours(i) : hours;
    if (h) rows.push(week(participant, addWeeks(first, i), h));
  }
  return rows;
}

/** A roster row (already pseudonymised) with a referral date `YYYY-MM-DD`. */
export function rosterRow(participant: string, referral: string, extra: Partial<RosterEntry> = {}, partnership = 'test'): RosterEntry {
  const [y, m, d] = referral.split('-').map(Number);
  return { participant, partnership, referralDay: dayNumber(y!, m!, d!), ...extra };
}

/** The deterministic statement of `contract` on `weeks` as of `asOf`. */
export function statementOf(contract: Contract, weeks: readonly WeeklyHours[], asOf: string, roster: readonly RosterEntry[] = [], extra: Partial<StatementInput> = {}): Statement {
  return evaluate({ contract, weeks, roster, asOf, ...extra }).statement;
}

/** Outcomes as compact `week participant outcome amount` strings, for readable expectations. */
export function outcomeLines(statement: Pick<Statement, 'outcomes'>): string[] {
  return statement.outcomes.map((o) => `${o.week} ${o.participant} ${o.outcome} ${o.amount}`);
}
