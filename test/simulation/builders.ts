import { expect } from 'vitest';
import { ContractError, parseContract, type Contract } from '../../shared/simulation/contract.ts';
import { specExampleContract } from '../../shared/simulation/spec-example.ts';
import type { RosterEntry } from '../../shared/simulation/roster-entry.ts';
import { evaluate, type Statement, type StatementInput } from '../../shared/simulation/statement.ts';
import type { Activity } from '../../shared/weekly-hours/activities.ts';
import { dayNumber, weekIndexOfLabel, weekLabel } from '../../shared/weeks/iso-week.ts';
import type { WeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';

/*
 * Builders for the simulation tests: contracts as plain documents (so a test can
 * break one field and see the validation message) and weekly hours written in
 * hours per activity by name, never by index.
 */

/** A fresh copy of the example contract of spec section 4, as a plain JSON-like document. */
export const specContractDocument = specExampleContract;

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

/** The problems a contract document is rejected with (fails the test if it is accepted). */
export function problemsOf(document: unknown): string[] {
  try {
    parseContract(document, 'koege.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    return (error as ContractError).problems;
  }
  throw new Error('the contract was accepted');
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
