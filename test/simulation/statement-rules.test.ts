import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthAfter } from '../../shared/weeks/iso-week.ts';
import type { Figures } from '../../shared/simulation/statement.ts';
import { ACTIVITIES } from '../../shared/weekly-hours/activities.ts';
import type { WeeklyHours } from '../../shared/weekly-hours/weekly-hours.ts';
import { addWeeks, outcomeLines, problemsOf, rosterRow, series, specContractDocument, statementOf, testContract, week, type ContractDocument } from './builders.ts';

/*
 * The statement rules issue 8 brought into spec sections 4–7, on hand-computed
 * cases: the fee schedule and month figures that add up, deadweight on the
 * benefit saving only, qualifying weeks need hours, weeks at the contract's
 * edges, roster exits, outcome labels and the evidence behind each payment.
 * The test contract starts Mon 2024-01-01 (2024-W01); 10 h ordinary in benefit
 * week 1–4 reduce benefit by 1200 and save the municipality 240 (r = 0.8).
 */

const FIGURE_KEYS: (keyof Figures)[] = ['outcomePayments', 'grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'fees', 'net'];
const oere = (amount: number) => Math.round(amount * 100);

describe('the fee schedule (spec 4) and month figures with the fee due that month (spec 7)', () => {
  const contract = testContract((d) => {
    d.outcomes = [{ id: 'attach', rule: 'referral', price: 0 }];
    d.programmeFee = 10000;
    (d as Record<string, unknown>).feeSchedule = [
      { month: '2024-03', amount: 6000 },
      { month: '2024-01', amount: 4000 },
    ];
  });

  it('each month carries the instalment due in it; the totals the instalments due so far', () => {
    expect(statementOf(contract, [], '2024-01')).toMatchObject({ month: { fees: 4000, net: -4000 }, totals: { fees: 4000, net: -4000 } });
    expect(statementOf(contract, [], '2024-02')).toMatchObject({ month: { fees: 0, net: 0 }, totals: { fees: 4000, net: -4000 } });
    const march = statementOf(contract, [], '2024-03');
    expect(march).toMatchObject({ month: { fees: 6000, net: -6000 }, totals: { fees: 10000, net: -10000 } });
    expect(march.byMonth.map((m) => [m.month, m.fees])).toEqual([
      ['2024-01', 4000],
      ['2024-02', 4000],
      ['2024-03', 10000],
    ]);
  });

  it('without a schedule the whole fee is due in the start month', () => {
    const plain = testContract((d) => (d.programmeFee = 10000));
    expect(statementOf(plain, [], '2024-01').month.fees).toBe(10000);
    expect(statementOf(plain, [], '2024-02').month.fees).toBe(0);
  });

  it.each<[string, (d: ContractDocument & Record<string, unknown>) => void, string[]]>([
    ['amounts not summing to the fee', (d) => (d.feeSchedule = [{ month: '2019-02', amount: 400000 }]), ['feeSchedule: the amounts sum to 400000.00, not the programme fee 450000.00']],
    [
      'a month outside the contract',
      (d) => (d.feeSchedule = [{ month: '2019-01', amount: 50000 }, { month: '2019-02', amount: 400000 }]),
      ['feeSchedule[0].month: 2019-01 is outside the contract (2019-02 – 2022-09)'],
    ],
    [
      'a month listed twice',
      (d) => (d.feeSchedule = [{ month: '2019-02', amount: 50000 }, { month: '2019-02', amount: 400000 }]),
      ['feeSchedule[1].month: 2019-02 is listed twice (first at feeSchedule[0])'],
    ],
    ['a month that is not YYYY-MM', (d) => (d.feeSchedule = [{ month: '2019-2', amount: 450000 }]), ['feeSchedule[0].month: must be a month YYYY-MM']],
    ['a negative amount', (d) => (d.feeSchedule = [{ month: '2019-02', amount: -1 }, { month: '2019-03', amount: 450001 }]), ['feeSchedule[0].amount: must not be negative']],
  ])('rejects %s with field: reason', (_, edit, problems) => {
    const doc = specContractDocument() as ContractDocument & Record<string, unknown>;
    edit(doc);
    expect(problemsOf(doc)).toEqual(problems);
  });

  it('months figures add up to the cumulative figures to the øre, fee included (property)', () => {
    const arb = fc.record({
      deadweight: fc.double({ min: 0, max: 1, noNaN: true }),
      fee: fc.integer({ min: 0, max: 99999 }).map((n) => n + 0.37),
      split: fc.integer({ min: 0, max: 100 }),
      endDay: fc.integer({ min: 60, max: 200 }),
      hours: fc.array(fc.record({ offset: fc.integer({ min: -2, max: 30 }), centi: fc.array(fc.integer({ min: 0, max: 3333 }), { minLength: ACTIVITIES.length, maxLength: ACTIVITIES.length }) }), { maxLength: 30 }),
    });
    fc.assert(
      fc.property(arb, (r) => {
        const end = new Date(Date.UTC(2024, 0, r.endDay)).toISOString().slice(0, 10);
        const first = Math.round((r.fee * r.split) / 100 * 100) / 100;
        const contract = testContract((d) => {
          d.end = end;
          d.deadweight = r.deadweight;
          d.programmeFee = r.fee;
          d.benefit.municipalCostPerHour = { wage_subsidy: 95.5, flexjob: 70.25 };
          (d as Record<string, unknown>).feeSchedule = [
            { month: '2024-01', amount: first },
            { month: end.slice(0, 7), amount: Math.round((r.fee - first) * 100) / 100 },
          ]; // endDay ≥ 60: the end month is never January
        });
        const weeks: WeeklyHours[] = r.hours.map((h, i) => ({ participant: `P${i % 3}`, week: addWeeks('2024-W01', h.offset), centiHours: h.centi, estimated: false }));
        const lastMonth = monthAfter(end.slice(0, 7));
        const sums = Object.fromEntries(FIGURE_KEYS.map((k) => [k, 0])) as Record<keyof Figures, number>;
        for (let month = '2023-12'; month <= lastMonth; month = monthAfter(month)) {
          const s = statementOf(contract, weeks, month);
          for (const k of FIGURE_KEYS) sums[k] += oere(s.month[k]);
        }
        const total = statementOf(contract, weeks, lastMonth).totals;
        for (const k of FIGURE_KEYS) expect([k, sums[k]]).toEqual([k, oere(total[k])]);
        expect(total.fees).toBe(r.fee);
      }),
      { numRuns: 25 },
    );
  });
});

describe('attributable savings: deadweight on the benefit saving only (spec 7)', () => {
  it('a higher deadweight never raises net (property)', () => {
    const centi = fc.array(fc.integer({ min: 0, max: 4000 }), { minLength: ACTIVITIES.length, maxLength: ACTIVITIES.length });
    const arb = fc.record({ low: fc.double({ min: 0, max: 1, noNaN: true }), high: fc.double({ min: 0, max: 1, noNaN: true }), rows: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 40 }), centi }), { maxLength: 20 }) });
    fc.assert(
      fc.property(arb, ({ low, high, rows }) => {
        [low, high] = low <= high ? [low, high] : [high, low];
        const weeks: WeeklyHours[] = rows.map((r, i) => ({ participant: `P${i % 2}`, week: addWeeks('2024-W01', r.offset), centiHours: r.centi, estimated: false }));
        const net = (deadweight: number) => statementOf(testContract((d) => (d.deadweight = deadweight)), weeks, '2024-12').totals.net;
        expect(net(high)).toBeLessThanOrEqual(net(low));
      }),
      { numRuns: 60 },
    );
  });
});

describe('qualifying weeks need hours over the activities (spec 6)', () => {
  it('minHours 0 means "any hours": a week with none over the activities does not qualify', () => {
    const contract = testContract((d) => (d.outcomes = [{ id: 'job', rule: 'first_week', activities: ['ordinary'], minHours: 0, price: 100 }]));
    const weeks = [week('P1', '2024-W01', { training: 30 }), week('P1', '2024-W03', { ordinary: 0.5 })];
    expect(outcomeLines(statementOf(contract, weeks, '2024-02'))).toEqual(['2024-W03 P1 job 100']);
  });
});

describe('weeks at the contract\'s edges are booked inside its months (spec 7)', () => {
  it('a contract ending Wed 31 July 2024 books week 2024-W31 (Thursday 1 August) in July', () => {
    const contract = testContract((d) => {
      d.end = '2024-07-31';
      d.outcomes = [{ id: 'job', rule: 'first_week', activities: ['ordinary'], minHours: 10, price: 100 }];
    });
    const weeks = [week('P1', '2024-W31', { ordinary: 10 })];
    const july = statementOf(contract, weeks, '2024-07', [rosterRow('P1', '2024-07-29')]);
    expect(july.month).toMatchObject({ outcomePayments: 100, grossBenefitSavings: 1200, municipalSavings: 240 });
    expect(july.month.outcomes.map((o) => o.week)).toEqual(['2024-W31']);
    const august = statementOf(contract, weeks, '2024-08', [rosterRow('P1', '2024-07-29')]);
    expect(august.month).toMatchObject({ outcomePayments: 0, grossBenefitSavings: 0, net: 0 });
    expect(august.totals).toEqual(july.totals);
  });
});

describe('roster exits (spec 5) and warnings', () => {
  const contract = testContract((d) => (d.outcomes = [{ id: 'sus', rule: 'cumulative_weeks', activities: ['ordinary'], minHours: 10, weeks: 4, price: 1000 }]));
  // Referred Mon 2024-01-01 (W01), exit Wed 2024-01-17 (W03); 10 h ordinary W01–W06.
  const roster = [rosterRow('P1', '2024-01-01', { exitDay: rosterRow('', '2024-01-17').referralDay, exitReason: 'employment' })];
  const weeks = series('P1', '2024-W01', 6, { ordinary: 10 });

  it('from the week after the exit week the participant counts for nothing', () => {
    const statement = statementOf(contract, weeks, '2024-02', roster);
    expect(statement.outcomes).toEqual([]); // 3 weeks counted, 4 needed
    expect(statement.totals).toMatchObject({ grossBenefitSavings: 3600, municipalSavings: 720 }); // W01–W03: 3 × 1200; 3 × 240
  });

  it('hours after the exit are listed as a warning, up to the as-of month', () => {
    expect(statementOf(contract, weeks, '2024-01', roster).warnings).toEqual([{ kind: 'hours_after_exit', participant: 'P1', exitWeek: '2024-W03', weeks: ['2024-W04'] }]);
    expect(statementOf(contract, weeks, '2024-02', roster).warnings).toEqual([{ kind: 'hours_after_exit', participant: 'P1', exitWeek: '2024-W03', weeks: ['2024-W04', '2024-W05', '2024-W06'] }]);
  });

  it('a participant with hours but no roster row is referred in their first week with hours, with a warning', () => {
    const statement = statementOf(contract, [...weeks, ...series('Q1', '2024-W02', 4, { ordinary: 10 })], '2024-01', roster);
    expect(statement.warnings).toContainEqual({ kind: 'not_on_roster', participant: 'Q1', referralWeek: '2024-W02' });
    expect(statementOf(contract, series('Q2', '2024-W06', 1, { ordinary: 10 }), '2024-01').warnings).toEqual([]); // referred after January
  });
});

describe('outcome labels and evidence (spec 4 and 8)', () => {
  it('a label is carried onto the statement; without one a Danish name for the rule', () => {
    const contract = testContract((d) => {
      d.outcomes = [
        { id: 'attach', rule: 'referral', price: 1 },
        { id: 'job', label: 'Job, første uge', rule: 'first_week', activities: ['ordinary'], minHours: 10, price: 1 },
      ];
    });
    const statement = statementOf(contract, [week('P1', '2024-W01', { ordinary: 12.5, absence: 3 })], '2024-01');
    expect(statement.outcomes.map((o) => [o.label, o.evidence])).toEqual([
      ['Visitation (tilknytning)', [{ week: '2024-W01', hours: 12.5 }]], // active hours of the referral week (absence is not active)
      ['Job, første uge', [{ week: '2024-W01', hours: 12.5 }]],
    ]);
  });

  it('periodic payments show the weeks of their own period; the cumulative outcome every week it counted', () => {
    const contract = testContract((d) => {
      d.outcomes = [
        { id: 'sus', rule: 'cumulative_weeks', activities: ['ordinary'], minHours: 10, weeks: 2, price: 100 },
        { id: 'keep', rule: 'periodic', after: 'sus', activities: ['ordinary', 'flexjob'], minHours: 10, weeks: 2, times: 2, price: 10 },
      ];
    });
    // W01, W02 qualify (sus in W02); W03 has too few hours; W04, W05 → keep; W06, W07 → keep; W08 (times used up).
    const weeks = series('P1', '2024-W01', 8, (i) => (i === 2 ? { ordinary: 9 } : { ordinary: 10, flexjob: i }));
    const statement = statementOf(contract, weeks, '2024-02');
    expect(statement.outcomes.map((o) => [o.outcome, o.week, o.evidence])).toEqual([
      ['sus', '2024-W02', [{ week: '2024-W01', hours: 10 }, { week: '2024-W02', hours: 10 }]],
      ['keep', '2024-W05', [{ week: '2024-W04', hours: 13 }, { week: '2024-W05', hours: 14 }]],
      ['keep', '2024-W07', [{ week: '2024-W06', hours: 15 }, { week: '2024-W07', hours: 16 }]],
    ]);
  });
});
