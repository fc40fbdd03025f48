import { describe, expect, it } from 'vitest';
import type { Contract } from '../../shared/simulation/contract.ts';
import { rosterRow, series, statementOf, testContract, week, type ContractDocument, type Hours } from './builders.ts';

/*
 * Spec 7 on hand-made cases. Benefit parameters are those of the spec's example
 * (weekly rate 2900, hourly wage 150, disregard 30 → 120 kr. less benefit per
 * earning hour, education off benefit from 15 h, costs per hour wage subsidy 95
 * and flexjob 70, refusion 0.8 / 0.4 from week 5 / 0.3 from 27 / 0.2 from 53),
 * but priorWeeksOnBenefit 0, so k = weeks since referral + 1. The test contract
 * runs 2024-01-01 – 2025-12-31; 2024-W01 starts Mon 1 Jan 2024; 2024 has 52 ISO
 * weeks, so 2025-W01 (30 Dec 2024 – 5 Jan 2025) comes right after 2024-W52.
 */

const harmless = [{ id: 'attach', rule: 'referral', price: 0 }];

function savingsContract(edit: (doc: ContractDocument) => void = () => {}): Contract {
  return testContract((doc) => {
    doc.outcomes = harmless;
    edit(doc);
  });
}

/** Gross and municipal savings of one participant referred on Mon 2024-01-01 (2024-W01) with hours in one week. */
function oneWeek(label: string, hours: Hours, contract = savingsContract(), extra = {}) {
  const statement = statementOf(contract, [week('P1', label, hours)], '2025-12', [rosterRow('P1', '2024-01-01', extra)]);
  return { gross: statement.totals.grossBenefitSavings, municipal: statement.totals.municipalSavings };
}

describe('refusion steps (k = priorWeeksOnBenefit + weeks since referral + 1)', () => {
  // 10 h ordinary: reduction = min(2900, 10 × (150 − 30)) = 1200; municipal = 1200 × (1 − r).
  it.each([
    ['2024-W01', 1, 0.8, 240], //  1200 × 0.2
    ['2024-W04', 4, 0.8, 240], //  last week at 0.8
    ['2024-W05', 5, 0.4, 720], //  1200 × 0.6
    ['2024-W26', 26, 0.4, 720],
    ['2024-W27', 27, 0.3, 840], // 1200 × 0.7
    ['2024-W52', 52, 0.3, 840],
    ['2025-W01', 53, 0.2, 960], // 1200 × 0.8
    ['2025-W30', 82, 0.2, 960], // the last step holds for ever after
  ])('%s is benefit week k = %i, refusion %f: municipal saving %f', (label, _k, _rate, municipal) => {
    expect(oneWeek(label, { ordinary: 10 })).toEqual({ gross: 1200, municipal });
  });

  it('a full year and a week: 4 weeks at 0.8, 22 at 0.4, 26 at 0.3, 1 at 0.2', () => {
    const contract = savingsContract();
    const statement = statementOf(contract, series('P1', '2024-W01', 53, { ordinary: 10 }), '2025-01');
    // gross 53 × 1200 = 63600; municipal 4 × 240 + 22 × 720 + 26 × 840 + 1 × 960 = 960 + 15840 + 21840 + 960 = 39600
    expect(statement.totals.grossBenefitSavings).toBe(63600);
    expect(statement.totals.municipalSavings).toBe(39600);
  });

  it("the contract's priorWeeksOnBenefit shifts k: 104 prior weeks mean the last step (0.2) from the referral week", () => {
    const contract = savingsContract((d) => (d.benefit.priorWeeksOnBenefit = 104));
    // k = 104 + 0 + 1 = 105 ≥ 53 → r = 0.2: 1200 × 0.8 = 960
    expect(oneWeek('2024-W01', { ordinary: 10 }, contract)).toEqual({ gross: 1200, municipal: 960 });
  });

  it("a roster row's prior_weeks_on_benefit overrides the contract's", () => {
    const contract = savingsContract((d) => (d.benefit.priorWeeksOnBenefit = 104));
    // prior 3: W01 k = 3 + 0 + 1 = 4 → 0.8 → 240; W02 k = 5 → 0.4 → 720; total 960
    const weeks = series('P1', '2024-W01', 2, { ordinary: 10 });
    const statement = statementOf(contract, weeks, '2024-01', [rosterRow('P1', '2024-01-01', { priorWeeksOnBenefit: 3 })]);
    expect(statement.totals.municipalSavings).toBe(960);
    // without the roster row: 104 prior weeks, both weeks at 0.2: 2 × 960 = 1920
    expect(statementOf(contract, weeks, '2024-01').totals.municipalSavings).toBe(1920);
  });

  it('k counts the weeks since referral even before the contract start', () => {
    // Referral Mon 2023-12-04 = 2023-W49; 2024-W01 is 4 weeks later (W50, W51, W52, 2024-W01): k = 0 + 4 + 1 = 5 → 0.4.
    const contract = savingsContract();
    const statement = statementOf(contract, [week('P1', '2024-W01', { ordinary: 10 })], '2024-01', [rosterRow('P1', '2023-12-04')]);
    expect(statement.totals.municipalSavings).toBe(720); // 1200 × 0.6
  });
});

describe('benefit reduction and municipal saving (first benefit week: r = 0.8, municipal share 0.2)', () => {
  it.each<[string, Hours, number, number]>([
    // [case, hours, gross = reduction, municipal = reduction × 0.2 − cost]
    ['10 h ordinary', { ordinary: 10 }, 1200, 240], // 10 × 120
    ['20 h ordinary', { ordinary: 20 }, 2400, 480], // 20 × 120
    ['30 h ordinary: at most the weekly rate', { ordinary: 30 }, 2900, 580], // min(2900, 3600)
    ['24.17 h ordinary: just over the weekly rate', { ordinary: 24.17 }, 2900, 580], // 24.17 × 120 = 2900.40 → 2900
    [
      '5 h each of ordinary, flexjob and wage subsidy (savings can be negative)',
      { ordinary: 5, flexjob: 5, wage_subsidy: 5 },
      1800, // 15 × 120
      -465, // 1800 × 0.2 − (5 × 70 + 5 × 95) = 360 − 825
    ],
    ['30 h wage subsidy', { wage_subsidy: 30 }, 2900, -2270], // min(2900, 3600) × 0.2 − 30 × 95 = 580 − 2850
    ['20 h flexjob', { flexjob: 20 }, 2400, -920], // 2400 × 0.2 − 20 × 70 = 480 − 1400
    ['internship and training earn nothing', { internship: 30, training: 7 }, 0, 0],
    ['absence earns nothing', { absence: 37 }, 0, 0],
    ['15 h education = educationOffBenefitHours: off benefit', { education: 15 }, 2900, 580],
    ['14.99 h education: still on benefit', { education: 14.99 }, 0, 0],
    ['14.99 h education + 10 h ordinary', { education: 14.99, ordinary: 10 }, 1200, 240],
    ['15 h education + 30 h ordinary: never more than the weekly rate', { education: 15, ordinary: 30 }, 2900, 580],
  ])('%s', (_, hours, gross, municipal) => {
    expect(oneWeek('2024-W01', hours)).toEqual({ gross, municipal });
  });

  it('a municipal cost on any activity is subtracted (here internship at 10 kr./h)', () => {
    const contract = savingsContract((d) => (d.benefit.municipalCostPerHour.internship = 10));
    expect(oneWeek('2024-W01', { internship: 30 }, contract)).toEqual({ gross: 0, municipal: -300 }); // 0 − 30 × 10
  });

  it('a disregard above the hourly wage reduces nothing (never a negative reduction)', () => {
    const contract = savingsContract((d) => (d.benefit.disregardPerHour = 200));
    expect(oneWeek('2024-W01', { ordinary: 30 }, contract)).toEqual({ gross: 0, municipal: 0 }); // max(0, 30 × (150 − 200))
  });

  it("a roster row's weekly_benefit overrides the weekly rate, for the cap and for education", () => {
    const extra = { weeklyBenefit: 2000 };
    expect(oneWeek('2024-W01', { ordinary: 30 }, undefined, extra)).toEqual({ gross: 2000, municipal: 400 }); // min(2000, 3600); × 0.2
    expect(oneWeek('2024-W01', { education: 20 }, undefined, extra)).toEqual({ gross: 2000, municipal: 400 });
    expect(oneWeek('2024-W01', { ordinary: 10 }, undefined, extra)).toEqual({ gross: 1200, municipal: 240 }); // under the rate: unchanged
  });
});

describe('which weeks save', () => {
  it('weeks before the referral week save nothing', () => {
    // Referral Mon 2024-01-15 = 2024-W03; hours W01–W05: W03, W04, W05 count, at k = 1, 2, 3 (r = 0.8).
    const contract = savingsContract();
    const statement = statementOf(contract, series('P1', '2024-W01', 5, { ordinary: 10 }), '2024-02', [rosterRow('P1', '2024-01-15')]);
    expect(statement.totals.grossBenefitSavings).toBe(3600); // 3 × 1200
    expect(statement.totals.municipalSavings).toBe(720); // 3 × 240
  });

  it('weeks after the contract end save nothing', () => {
    // End Sun 2024-03-31: last week 2024-W13. Hours W12–W15 from referral W12 (k = 1, 2 at 0.8).
    const contract = savingsContract((d) => (d.end = '2024-03-31'));
    const statement = statementOf(contract, series('P1', '2024-W12', 4, { ordinary: 10 }), '2024-05');
    expect(statement.totals.grossBenefitSavings).toBe(2400); // W12, W13: 2 × 1200
    expect(statement.totals.municipalSavings).toBe(480); // 2 × 240
  });

  it('weeks after the as-of month are not in the statement', () => {
    const contract = savingsContract();
    // January 2024 is W01–W04 (W05's Thursday is 1 Feb); hours W01–W08.
    const statement = statementOf(contract, series('P1', '2024-W01', 8, { ordinary: 10 }), '2024-01');
    expect(statement.totals.grossBenefitSavings).toBe(4800); // 4 × 1200
  });
});

describe('attributable savings and net (deadweight and programme fee)', () => {
  it('attributable = municipal × (1 − deadweight); net = attributable − payments − fee', () => {
    const contract = testContract((d) => {
      d.outcomes = [{ id: 'job', rule: 'first_week', activities: ['ordinary'], minHours: 10, price: 1000 }];
      d.deadweight = 0.25;
      d.programmeFee = 450000;
    });
    const statement = statementOf(contract, [week('P1', '2024-W01', { ordinary: 20 })], '2024-01');
    expect(statement.totals).toEqual({
      outcomePayments: 1000,
      grossBenefitSavings: 2400, // 20 × 120
      municipalSavings: 480, // 2400 × (1 − 0.8)
      attributableSavings: 360, // 480 × (1 − 0.25)
      fees: 450000, // no fee schedule: the whole fee is due in the start month (spec 4)
      net: -450640, // 360 − 1000 − 450000
    });
  });

  it('deadweight shrinks the benefit saving only; the municipal costs count in full (spec 7, issue 8)', () => {
    const contract = savingsContract((d) => (d.deadweight = 0.5));
    const statement = statementOf(contract, [week('P1', '2024-W01', { wage_subsidy: 30 })], '2024-01');
    // reduction 2900, saving 2900 × 0.2 = 580, cost 30 × 95 = 2850: municipal 580 − 2850 = −2270;
    // attributable 580 × (1 − 0.5) − 2850 = −2560; net −2560 − 0 − 0
    expect(statement.totals).toMatchObject({ municipalSavings: -2270, attributableSavings: -2560, net: -2560 });
  });
});
