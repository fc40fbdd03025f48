import { describe, expect, it } from 'vitest';
import { weeksOfMonth } from '../../shared/simulation/cohort.ts';
import type { RejectedReport } from '../../shared/simulation/statement.ts';
import { weekIndexOfLabel, weekLabel } from '../../shared/weeks/iso-week.ts';
import { outcomeLines, rosterRow, series, statementOf, testContract, week } from './builders.ts';

const labels = (m: { first: number; last: number }) => ({ first: weekLabel(m.first), last: weekLabel(m.last) });

describe('weeksOfMonth: a week belongs to the month of its Thursday (spec 3)', () => {
  it.each([
    // January 2024: W01 (1–7 Jan, Thu 4 Jan) … W04 (22–28 Jan, Thu 25 Jan); W05 (29 Jan – 4 Feb) has Thu 1 Feb.
    ['2024-01', '2024-W01', '2024-W04'],
    // February 2024: W05 (Thu 1 Feb) … W09 (26 Feb – 3 Mar, Thu 29 Feb, a leap day).
    ['2024-02', '2024-W05', '2024-W09'],
    // March 2024: W10 (4–10 Mar) … W13 (25–31 Mar, Thu 28 Mar).
    ['2024-03', '2024-W10', '2024-W13'],
    // December 2020: W49 (30 Nov – 6 Dec, Thu 3 Dec) … W53 (28 Dec 2020 – 3 Jan 2021, Thu 31 Dec).
    ['2020-12', '2020-W49', '2020-W53'],
    // January 2021: W01 (4–10 Jan, Thu 7 Jan) … W04 (25–31 Jan, Thu 28 Jan).
    ['2021-01', '2021-W01', '2021-W04'],
    // December 2024: W49 (2–8 Dec, Thu 5 Dec) … W52 (23–29 Dec, Thu 26 Dec); 2025-W01 (30 Dec – 5 Jan) is January's.
    ['2024-12', '2024-W49', '2024-W52'],
  ])('%s is %s … %s', (month, first, last) => {
    expect(labels(weeksOfMonth(month))).toEqual({ first, last });
  });

  it('consecutive months tile the weeks without gap or overlap', () => {
    const months = ['2020-11', '2020-12', '2021-01', '2021-02'].map(weeksOfMonth);
    for (let i = 1; i < months.length; i++) expect(months[i]!.first).toBe(months[i - 1]!.last + 1);
  });

  it('a malformed month is an error', () => {
    expect(() => weeksOfMonth('2024-13')).toThrow(/not a month/);
  });
});

describe('statement months, month figures and totals', () => {
  // job 1000 on the first 10 h week; sus 2000 on the fifth. Deadweight 0.25, fee 10000.
  const contract = testContract((d) => {
    d.outcomes = [
      { id: 'job', rule: 'first_week', activities: ['ordinary'], minHours: 10, price: 1000 },
      { id: 'sus', rule: 'cumulative_weeks', activities: ['ordinary'], minHours: 10, weeks: 5, price: 2000 },
    ];
    d.deadweight = 0.25;
    d.programmeFee = 10000;
  });
  // 10 h ordinary in W01–W09: each week reduces benefit by 10 × 120 = 1200;
  // W01–W04 (k 1–4, r 0.8) save 240 each, W05–W09 (k 5–9, r 0.4) 720 each.
  const weeks = series('P1', '2024-W01', 9, { ordinary: 10 });

  it('as of February: totals since the start, the month alone (W05–W09), the cumulative figures by month', () => {
    const statement = statementOf(contract, weeks, '2024-02');
    expect(statement.totals).toEqual({
      outcomePayments: 3000, // 1000 + 2000
      grossBenefitSavings: 10800, // 9 × 1200
      municipalSavings: 4560, // 4 × 240 + 5 × 720 = 960 + 3600
      attributableSavings: 3420, // 4560 × 0.75
      fees: 10000, // due in the start month, January
      net: -9580, // 3420 − 3000 − 10000
    });
    expect(statement.month).toEqual({
      outcomePayments: 2000,
      grossBenefitSavings: 6000, // 5 × 1200
      municipalSavings: 3600, // 5 × 720
      attributableSavings: 2700, // 3600 × 0.75
      fees: 0, // the fee was due in January
      net: 700, // 2700 − 2000 − 0
      // outcomes carry their label (here the Danish name of the rule) and evidence: the 5 qualifying weeks counted
      outcomes: [
        {
          participant: 'P1',
          outcome: 'sus',
          label: '5 kvalificerende uger',
          week: '2024-W05',
          amount: 2000,
          evidence: ['2024-W01', '2024-W02', '2024-W03', '2024-W04', '2024-W05'].map((w) => ({ week: w, hours: 10 })),
        },
      ],
    });
    expect(outcomeLines(statement)).toEqual(['2024-W01 P1 job 1000', '2024-W05 P1 sus 2000']);
    expect(statement.byMonth).toEqual([
      // January (W01–W04): 1000 paid, 4 × 1200 = 4800 gross, 4 × 240 = 960 municipal, 720 attributable, 720 − 1000 − 10000
      { month: '2024-01', outcomePayments: 1000, grossBenefitSavings: 4800, municipalSavings: 960, attributableSavings: 720, fees: 10000, net: -10280 },
      { month: '2024-02', ...statement.totals },
    ]);
  });

  it('as of January: week 2024-W05 (29 Jan – 4 Feb) is February\'s, so its hours are not counted yet', () => {
    const statement = statementOf(contract, weeks, '2024-01');
    expect(statement.totals).toEqual({ outcomePayments: 1000, grossBenefitSavings: 4800, municipalSavings: 960, attributableSavings: 720, fees: 10000, net: -10280 });
    expect(statement.month).toEqual({
      outcomePayments: 1000,
      grossBenefitSavings: 4800,
      municipalSavings: 960,
      attributableSavings: 720,
      fees: 10000,
      net: -10280, // 720 − 1000 − 10000: the month carries the fee due in it (spec 7, issue 8)
      outcomes: [{ participant: 'P1', outcome: 'job', label: 'Første kvalificerende uge', week: '2024-W01', amount: 1000, evidence: [{ week: '2024-W01', hours: 10 }] }],
    });
    expect(outcomeLines(statement)).toEqual(['2024-W01 P1 job 1000']);
  });

  it('a month without activity has zero month figures while the totals carry on', () => {
    const statement = statementOf(contract, weeks, '2024-04');
    expect(statement.totals).toEqual(statementOf(contract, weeks, '2024-02').totals);
    expect(statement.month).toEqual({ outcomePayments: 0, grossBenefitSavings: 0, municipalSavings: 0, attributableSavings: 0, fees: 0, net: 0, outcomes: [] });
    expect(statement.byMonth.map((m) => m.month)).toEqual(['2024-01', '2024-02', '2024-03', '2024-04']);
  });

  it('as of a month before the contract start: nothing yet, not even the fee (due in the start month, spec 4)', () => {
    const statement = statementOf(contract, weeks, '2023-12');
    expect(statement.totals).toEqual({ outcomePayments: 0, grossBenefitSavings: 0, municipalSavings: 0, attributableSavings: 0, fees: 0, net: 0 });
    expect(statement.outcomes).toEqual([]);
    expect(statement.byMonth).toEqual([]);
  });

  it('a contract starting Fri 1 March 2024 starts in week 2024-W09, booked in March though its Thursday is 29 Feb (spec 7, issue 8)', () => {
    const c = testContract((d) => {
      d.start = '2024-03-01';
      d.outcomes = [{ id: 'attach', rule: 'referral', price: 100 }];
    });
    const statement = statementOf(c, [week('P1', '2024-W09', { training: 10 })], '2024-03');
    expect(outcomeLines(statement)).toEqual(['2024-W09 P1 attach 100']);
    expect(statement.byMonth.map((m) => [m.month, m.outcomePayments])).toEqual([['2024-03', 100]]);
    expect(statement.month.outcomes.map((o) => o.week)).toEqual(['2024-W09']); // March is W09–W13 for this contract
    expect(statementOf(c, [week('P1', '2024-W09', { training: 10 })], '2024-02').outcomes).toEqual([]);
  });
});

describe('ISO years with 53 weeks: 2020-W53 then 2021-W01', () => {
  const contract = testContract((d) => {
    d.start = '2020-12-01';
    d.end = '2021-06-30';
    d.outcomes = [
      { id: 'attach', rule: 'referral', price: 10 },
      { id: 'sus2', rule: 'cumulative_weeks', activities: ['ordinary'], minHours: 10, weeks: 2, price: 100 },
      { id: 'sus3', rule: 'cumulative_weeks', activities: ['ordinary'], minHours: 10, weeks: 3, price: 1000 },
    ];
  });
  // 10 h ordinary in 2020-W52, 2020-W53, 2021-W01 (consecutive weeks): k = 1, 2, 3, all at r 0.8 → 240 each.
  const weeks = [week('P1', '2021-W01', { ordinary: 10 }), week('P1', '2020-W53', { ordinary: 10 }), week('P1', '2020-W52', { ordinary: 10 })];

  it('the builder agrees: the week after 2020-W52 is 2020-W53, and after that 2021-W01', () => {
    expect(weekIndexOfLabel('2020-W53') - weekIndexOfLabel('2020-W52')).toBe(1);
    expect(weekIndexOfLabel('2021-W01') - weekIndexOfLabel('2020-W53')).toBe(1);
  });

  it('as of December 2020 the statement includes 2020-W53 (Thu 31 Dec)', () => {
    const statement = statementOf(contract, weeks, '2020-12');
    expect(outcomeLines(statement)).toEqual(['2020-W52 P1 attach 10', '2020-W53 P1 sus2 100']);
    expect(statement.totals).toMatchObject({ outcomePayments: 110, grossBenefitSavings: 2400, municipalSavings: 480 }); // 2 × 1200; 2 × 240
    expect(statement.month).toMatchObject({ outcomePayments: 110, grossBenefitSavings: 2400, municipalSavings: 480 });
  });

  it('as of January 2021 the month is 2021-W01 … W04 and counts carry across the year end', () => {
    const statement = statementOf(contract, weeks, '2021-01');
    expect(outcomeLines(statement)).toEqual(['2020-W52 P1 attach 10', '2020-W53 P1 sus2 100', '2021-W01 P1 sus3 1000']);
    expect(statement.totals).toMatchObject({ outcomePayments: 1110, grossBenefitSavings: 3600, municipalSavings: 720 }); // 3 × 1200; 3 × 240
    expect(statement.month).toMatchObject({ outcomePayments: 1000, grossBenefitSavings: 1200, municipalSavings: 240 });
    expect(statement.month.outcomes.map((o) => o.week)).toEqual(['2021-W01']);
    expect(statement.byMonth.map((m) => [m.month, m.outcomePayments, m.grossBenefitSavings])).toEqual([
      ['2020-12', 110, 2400],
      ['2021-01', 1110, 3600],
    ]);
  });

  it('a referral on Fri 1 January 2021 falls in 2020-W53, a December week', () => {
    const statement = statementOf(contract, [], '2020-12', [rosterRow('P2', '2021-01-01')]);
    expect(outcomeLines(statement)).toEqual(['2020-W53 P2 attach 10']);
  });
});

describe('statement header, participants and rejected reports', () => {
  const contract = testContract((d) => (d.outcomes = [{ id: 'attach', rule: 'referral', price: 10 }]));

  it('names the partnership and month, counts roster participants without hours, ignores other partnerships\' rows', () => {
    const rejected: RejectedReport[] = [{ key: 'test/2024-01/actor-a', month: '2024-01', source: 'actor-a', outcome: 'accepted', rejectedRows: 2, reasons: 2 }];
    const roster = [rosterRow('R1', '2024-01-03'), rosterRow('R2', '2024-02-01'), rosterRow('X1', '2024-01-03', {}, 'other')];
    const statement = statementOf(contract, [week('H1', '2024-W02', { training: 3 })], '2024-01', roster, { rejectedReports: rejected });
    expect(statement).toMatchObject({ partnership: 'test', name: 'Testpartnerskab', municipality: 'Testby', asOf: '2024-01' });
    // R1, R2 (roster, no hours) and H1 (hours, no roster row); X1 belongs to another partnership.
    expect(statement.participants).toBe(3);
    // R2 is referred in 2024-W05, after January.
    expect(outcomeLines(statement)).toEqual(['2024-W01 R1 attach 10', '2024-W02 H1 attach 10']);
    expect(statement.rejectedReports).toEqual(rejected);
  });
});
