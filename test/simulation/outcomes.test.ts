import { describe, expect, it } from 'vitest';
import type { Contract } from '../../shared/simulation/contract.ts';
import { outcomeLines, rosterRow, series, statementOf, testContract, week, type ContractDocument } from './builders.ts';

/*
 * Spec 6 on hand-made cases. Calendar used throughout: 2024-W01 is Mon 1 Jan –
 * Sun 7 Jan 2024, so 2024-Wnn starts on 1 Jan + 7(nn−1) days; 2023-W51 is
 * 18–24 Dec 2023, 2023-W52 is 25–31 Dec 2023. The test contract runs
 * 2024-01-01 – 2025-12-31 with no fee, no deadweight and caps out of reach,
 * unless a test says otherwise.
 */

type OutcomeDoc = Record<string, unknown>;

function contractWith(outcomes: OutcomeDoc[], edit: (doc: ContractDocument) => void = () => {}): Contract {
  return testContract((doc) => {
    doc.outcomes = outcomes;
    edit(doc);
  });
}

const referral = (id = 'attach', price = 1000): OutcomeDoc => ({ id, rule: 'referral', price });
const firstWeek = (id: string, activities: string[], minHours: number, price: number): OutcomeDoc => ({ id, rule: 'first_week', activities, minHours, price });
const cumulative = (id: string, activities: string[], minHours: number, weeks: number, price: number): OutcomeDoc => ({
  id,
  rule: 'cumulative_weeks',
  activities,
  minHours,
  weeks,
  price,
});
const periodic = (id: string, after: string, activities: string[], minHours: number, weeks: number, times: number, price: number): OutcomeDoc => ({
  id,
  rule: 'periodic',
  after,
  activities,
  minHours,
  weeks,
  times,
  price,
});

describe('referral (attachment fee)', () => {
  it('is reached in the referral week of a roster participant, without any hours', () => {
    const contract = contractWith([referral()]);
    // 2024-01-10 is a Wednesday of 2024-W02 (8–14 Jan).
    const statement = statementOf(contract, [], '2024-03', [rosterRow('P1', '2024-01-10')]);
    expect(outcomeLines(statement)).toEqual(['2024-W02 P1 attach 1000']);
    expect(statement.participants).toBe(1);
  });

  it('without a roster row the referral week is the first week with hours', () => {
    const contract = contractWith([referral()]);
    const weeks = [week('P2', '2024-W07', { training: 5 }), week('P2', '2024-W05', { training: 10 })];
    expect(outcomeLines(statementOf(contract, weeks, '2024-03'))).toEqual(['2024-W05 P2 attach 1000']);
  });

  it('is not reached when the referral week lies before the contract start', () => {
    const contract = contractWith([referral(), firstWeek('job', ['ordinary'], 10, 500)]);
    // 2023-12-20 is in 2023-W51, before the contract's first week 2024-W01.
    const weeks = [week('P1', '2024-W03', { ordinary: 10 })];
    const statement = statementOf(contract, weeks, '2024-03', [rosterRow('P1', '2023-12-20')]);
    expect(outcomeLines(statement)).toEqual(['2024-W03 P1 job 500']);
  });

  it('is reached when the referral week overlaps the contract start (referral before the start date, same week)', () => {
    // Contract starts Wed 2024-01-03; referral Mon 2024-01-01: both in 2024-W01.
    const contract = contractWith([referral()], (d) => (d.start = '2024-01-03'));
    expect(outcomeLines(statementOf(contract, [], '2024-01', [rosterRow('P1', '2024-01-01')]))).toEqual(['2024-W01 P1 attach 1000']);
  });

  it('a referral after the as-of month is not in the statement yet', () => {
    const contract = contractWith([referral()]);
    // 2024-02-01 is the Thursday of 2024-W05, a February week.
    expect(outcomeLines(statementOf(contract, [], '2024-01', [rosterRow('P1', '2024-02-01')]))).toEqual([]);
    expect(outcomeLines(statementOf(contract, [], '2024-02', [rosterRow('P1', '2024-02-01')]))).toEqual(['2024-W05 P1 attach 1000']);
  });
});

describe('first_week', () => {
  const contract = contractWith([firstWeek('job', ['ordinary', 'flexjob'], 10, 15000)]);

  it('is reached in the first week whose hours over its activities reach minHours (exactly minHours counts), once', () => {
    const weeks = [
      week('P1', '2024-W01', { internship: 37 }), // wrong activity: 0 h counted
      week('P1', '2024-W02', { ordinary: 9.99, wage_subsidy: 20 }), // 9.99 < 10 (wage subsidy is not one of its activities)
      week('P1', '2024-W03', { ordinary: 6, flexjob: 4 }), // 6 + 4 = 10 = minHours: reached
      week('P1', '2024-W04', { ordinary: 30 }), // already reached: not again
    ];
    expect(outcomeLines(statementOf(contract, weeks, '2024-03'))).toEqual(['2024-W03 P1 job 15000']);
  });

  it('fractional thresholds compare exactly: 7.5 h reaches minHours 7.5, 7.49 h does not', () => {
    const c = contractWith([firstWeek('job', ['ordinary'], 7.5, 100)]);
    const weeks = [week('A', '2024-W01', { ordinary: 7.49 }), week('A', '2024-W02', { ordinary: 7.5 })];
    expect(outcomeLines(statementOf(c, weeks, '2024-01'))).toEqual(['2024-W02 A job 100']);
  });
});

describe('cumulative_weeks', () => {
  it('counts non-consecutive qualifying weeks since the referral week only', () => {
    const contract = contractWith([cumulative('sus', ['ordinary'], 20, 3, 25000)]);
    // Referral Mon 2024-01-08 = 2024-W02.
    const weeks = [
      week('P1', '2024-W01', { ordinary: 30 }), // before referral: does not count
      week('P1', '2024-W02', { ordinary: 20 }), // 1
      week('P1', '2024-W03', { ordinary: 5 }), //  too few
      week('P1', '2024-W04', { ordinary: 25 }), // 2
      // 2024-W05: no hours
      week('P1', '2024-W06', { ordinary: 19.99 }), // too few
      week('P1', '2024-W07', { ordinary: 20 }), // 3 = weeks: reached
      week('P1', '2024-W08', { ordinary: 20 }), // at most once
    ];
    // Had W01 counted, it would have been reached in W04.
    expect(outcomeLines(statementOf(contract, weeks, '2024-03', [rosterRow('P1', '2024-01-08')]))).toEqual(['2024-W07 P1 sus 25000']);
  });
});

describe('periodic (sustainment)', () => {
  const contract = contractWith([cumulative('sus', ['ordinary'], 20, 2, 1000), periodic('per', 'sus', ['ordinary'], 20, 2, 2, 100)]);

  it('counts only weeks after the week `after` was reached, every `weeks` qualifying weeks, at most `times` times', () => {
    const weeks = series('P1', '2024-W01', 12, { ordinary: 20 });
    // sus: W01 (1), W02 (2) → reached W02. per counts from W03: W03 (1), W04 (2) → reached;
    // W05 (3), W06 (4) → reached; times = 2, so nothing more in W07–W12.
    // (Had W02 itself counted, per would come in W03 and W05.)
    expect(outcomeLines(statementOf(contract, weeks, '2024-03'))).toEqual(['2024-W02 P1 sus 1000', '2024-W04 P1 per 100', '2024-W06 P1 per 100']);
  });

  it('non-qualifying weeks in between do not count and do not reset the count', () => {
    const hours: Record<number, number> = { 1: 20, 2: 20, 4: 20, 5: 10, 6: 20, 9: 20, 10: 20, 11: 20 };
    const weeks = series('P2', '2024-W01', 12, (i) => (hours[i + 1] ? { ordinary: hours[i + 1] } : undefined));
    // sus reached W02. per: W04 (1), W05 10 h no, W06 (2) → reached; W09 (3), W10 (4) → reached; W11: times used up.
    expect(outcomeLines(statementOf(contract, weeks, '2024-03'))).toEqual(['2024-W02 P2 sus 1000', '2024-W06 P2 per 100', '2024-W10 P2 per 100']);
  });

  it('qualifying weeks every other week: counted across the gaps', () => {
    const weeks = series('P3', '2024-W01', 10, (i) => ({ ordinary: i % 2 === 0 ? 20 : 0 })); // 20 h in W01, W03, W05, W07, W09
    // sus: W01 (1), W03 (2) → W03; per from W04: W05 (1), W07 (2) → W07; W09 (3) only.
    expect(outcomeLines(statementOf(contract, weeks, '2024-03'))).toEqual(['2024-W03 P3 sus 1000', '2024-W07 P3 per 100']);
  });

  it('is never reached while `after` is not', () => {
    // One week at 40 h, then 19 h weeks: sus counts only 1 qualifying week, so per never starts.
    const weeks = [week('P4', '2024-W01', { ordinary: 40 }), ...series('P4', '2024-W02', 9, { ordinary: 19 })];
    expect(outcomeLines(statementOf(contract, weeks, '2024-03'))).toEqual([]);
  });

  it('`after` can be any one-off outcome; weeks before it was reached never count', () => {
    const c = contractWith([firstWeek('edu', ['education'], 10, 500), periodic('per', 'edu', ['ordinary'], 20, 2, 1, 100)]);
    const weeks = series('P1', '2024-W01', 8, (i) => (i === 3 ? { ordinary: 20, education: 10 } : { ordinary: 20 }));
    // edu reached W04 (its W04 education); per counts W05 (1), W06 (2) → reached W06; times = 1.
    expect(outcomeLines(statementOf(c, weeks, '2024-02'))).toEqual(['2024-W04 P1 edu 500', '2024-W06 P1 per 100']);
  });
});

describe('contract period', () => {
  it('weeks before the contract start do not count, even after the referral', () => {
    const contract = contractWith([firstWeek('job', ['ordinary'], 10, 500), cumulative('sus', ['ordinary'], 20, 3, 1000)]);
    const weeks = series('P1', '2023-W51', 5, { ordinary: 20 }); // 2023-W51, 2023-W52, 2024-W01, W02, W03
    // job: first qualifying week inside the contract = 2024-W01; sus: W01 (1), W02 (2), W03 (3).
    expect(outcomeLines(statementOf(contract, weeks, '2024-03', [rosterRow('P1', '2023-12-18')]))).toEqual([
      '2024-W01 P1 job 500',
      '2024-W03 P1 sus 1000',
    ]);
  });

  it('weeks overlapping the start or end count; weeks wholly outside do not', () => {
    // Thu 2024-01-04 – Wed 2024-03-27: first week 2024-W01 (1–7 Jan), last week 2024-W13 (25–31 Mar).
    const contract = contractWith([firstWeek('job', ['ordinary'], 10, 500)], (d) => {
      d.start = '2024-01-04';
      d.end = '2024-03-27';
    });
    const weeks = [
      week('A', '2023-W52', { ordinary: 20 }), // before the first week
      week('A', '2024-W01', { ordinary: 20 }), // overlaps the start: counts
      week('B', '2024-W13', { ordinary: 20 }), // overlaps the end: counts
      week('C', '2024-W14', { ordinary: 20 }), // after the end
    ];
    expect(outcomeLines(statementOf(contract, weeks, '2024-04'))).toEqual(['2024-W01 A job 500', '2024-W13 B job 500']);
  });
});

describe('settlement order and caps', () => {
  it('settles week ascending, then participant in string order, then outcome position in the contract', () => {
    const contract = contractWith([firstWeek('job', ['ordinary'], 10, 100), referral('attach', 10)]);
    const weeks = [
      week('P1', '2024-W02', { ordinary: 10 }),
      week('P10', '2024-W02', { ordinary: 10 }),
      week('a1', '2024-W01', { ordinary: 10 }),
      week('P2', '2024-W01', { ordinary: 10 }),
      week('P10', '2024-W01', { training: 5 }),
    ];
    // String (code unit) order: 'P1' < 'P10' < 'P2' < 'a1' (upper case before lower case).
    // Within a participant-week, job (position 0) comes before attach (position 1).
    expect(outcomeLines(statementOf(contract, weeks, '2024-01'))).toEqual([
      '2024-W01 P10 attach 10',
      '2024-W01 P2 job 100',
      '2024-W01 P2 attach 10',
      '2024-W01 a1 job 100',
      '2024-W01 a1 attach 10',
      '2024-W02 P1 job 100',
      '2024-W02 P1 attach 10',
      '2024-W02 P10 job 100',
    ]);
  });

  it('maxPerParticipant cuts the payment that crosses it and pays 0 after, still listing the outcomes', () => {
    const contract = contractWith(
      [firstWeek('job', ['ordinary'], 10, 15000), cumulative('sus', ['ordinary'], 20, 2, 15000), periodic('per', 'sus', ['ordinary'], 20, 1, 3, 2000)],
      (d) => (d.maxPerParticipant = 25000),
    );
    const weeks = [...series('P1', '2024-W01', 6, { ordinary: 20 }), ...series('P2', '2024-W01', 6, { ordinary: 20 })];
    const statement = statementOf(contract, weeks, '2024-02');
    // P1: W01 job 15000 (paid 15000); W02 sus: room 25000 − 15000 = 10000 → 10000;
    // per every qualifying week after W02, 3 times: W03, W04, W05 at 0 (room 0). P2 the same, on its own maximum.
    expect(outcomeLines(statement)).toEqual([
      '2024-W01 P1 job 15000',
      '2024-W01 P2 job 15000',
      '2024-W02 P1 sus 10000',
      '2024-W02 P2 sus 10000',
      '2024-W03 P1 per 0',
      '2024-W03 P2 per 0',
      '2024-W04 P1 per 0',
      '2024-W04 P2 per 0',
      '2024-W05 P1 per 0',
      '2024-W05 P2 per 0',
    ]);
    expect(statement.totals.outcomePayments).toBe(50000); // 2 × 25000
  });

  it('the contract cap is cut across participants in settlement order', () => {
    const contract = contractWith([firstWeek('job', ['ordinary'], 10, 15000)], (d) => (d.cap = 20000));
    const weeks = [week('B', '2024-W01', { ordinary: 10 }), week('A', '2024-W01', { ordinary: 10 }), week('C', '2024-W02', { ordinary: 10 }), week('D', '2024-W03', { ordinary: 10 })];
    // W01: A 15000 (total 15000), B min(15000, 20000 − 15000) = 5000 (total 20000); C and D: 0.
    const statement = statementOf(contract, weeks, '2024-01');
    expect(outcomeLines(statement)).toEqual(['2024-W01 A job 15000', '2024-W01 B job 5000', '2024-W02 C job 0', '2024-W03 D job 0']);
    expect(statement.totals.outcomePayments).toBe(20000);
  });

  it('an earlier week is settled before a participant that sorts first', () => {
    const contract = contractWith([firstWeek('job', ['ordinary'], 10, 15000)], (d) => (d.cap = 20000));
    const weeks = [week('A', '2024-W02', { ordinary: 10 }), week('B', '2024-W01', { ordinary: 10 })];
    // B in W01 gets 15000; A in W02 gets 20000 − 15000 = 5000.
    expect(outcomeLines(statementOf(contract, weeks, '2024-01'))).toEqual(['2024-W01 B job 15000', '2024-W02 A job 5000']);
  });

  it('both limits at once: the smaller room decides', () => {
    const contract = contractWith([firstWeek('job', ['ordinary'], 10, 15000)], (d) => {
      d.cap = 25000;
      d.maxPerParticipant = 10000;
    });
    const weeks = ['A', 'B', 'C'].map((p) => week(p, '2024-W01', { ordinary: 10 }));
    // A: min(15000, 10000, 25000) = 10000; B: min(15000, 10000, 15000) = 10000; C: min(15000, 10000, 5000) = 5000.
    expect(outcomeLines(statementOf(contract, weeks, '2024-01'))).toEqual(['2024-W01 A job 10000', '2024-W01 B job 10000', '2024-W01 C job 5000']);
  });
});
