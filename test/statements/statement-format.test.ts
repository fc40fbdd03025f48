import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimulatedStatement } from '../../shared/simulation/simulate.ts';
import { formatKroner, formatStatementCsv, formatStatementText, projectionBasisText } from '../../shared/statements/statement-format.ts';
import { escapeFormula } from '../../shared/spreadsheet-cells.ts';
import { readCsvCells } from '../support/read-csv.ts';
import { statementOf, testContract, week } from '../simulation/builders.ts';
import { FORMULA_CASES } from '../support/formula-cases.ts';

/** A statement written by hand, with amounts chosen to exercise the number formats. */
function handStatement(): SimulatedStatement {
  const outcomes = [
    { participant: 'P1', outcome: 'job_start', week: '2024-W05', amount: 15000 },
    { participant: 'px_0123456789abcdef', outcome: 'sustained_13', week: '2024-W07', amount: 1234.5 },
  ];
  return {
    partnership: 'koege',
    name: 'Vækstpartnerskab Køge',
    municipality: 'Køge',
    asOf: '2024-02',
    participants: 2,
    outcomes,
    totals: { outcomePayments: 16234.5, grossBenefitSavings: 1234567.89, municipalSavings: -465, attributableSavings: -348.75, fees: 450000, net: -466583.25 },
    month: { outcomePayments: 2000, grossBenefitSavings: 0.5, municipalSavings: 0, attributableSavings: 0, fees: 0, net: -2000, outcomes: outcomes.slice(1) },
    byMonth: [],
    rejectedReports: [
      { key: 'koege/2024-02/actor-a', month: '2024-02', source: 'actor-a', outcome: 'accepted', rejectedRows: 3, reasons: 3 },
      { key: 'koege/2024-02/firm-b', month: '2024-02', source: 'firm-b', outcome: 'rejected', rejectedRows: 0, reasons: 1 },
    ],
    projection: {
      runs: 1000,
      seed: 42,
      until: '2026-W01',
      outcomePayments: { p10: 100000, p50: 150000.5, p90: 200000 },
      municipalSavings: { p10: -1000.25, p50: 0, p90: 2500 },
      net: { p10: -500000, p50: -450000, p90: 12.34 },
      probabilityNetNonNegative: 0.123,
      basis: { participants: 12, plannedReferrals: 3, observedParticipantWeeks: 1312, priorWeight: 0.2, prior: { source: 'pooled', partnerships: 4, participantWeeks: 5400 } },
    },
  };
}

type Basis = NonNullable<SimulatedStatement['projection']>['basis'];

/** Any basis a projection may report. */
const arbitraryBasis: fc.Arbitrary<Basis> = fc.record({
  participants: fc.nat({ max: 100_000 }),
  plannedReferrals: fc.nat({ max: 100_000 }),
  observedParticipantWeeks: fc.nat({ max: 10_000_000 }),
  priorWeight: fc.double({ min: 0, max: 1, noNaN: true }),
  prior: fc.record({ source: fc.constantFrom('default' as const, 'pooled' as const, 'file' as const), partnerships: fc.integer({ min: 1, max: 200 }), participantWeeks: fc.nat() }),
  backtest: fc.option(fc.record({ projections: fc.integer({ min: 1, max: 60 }), inside: fc.nat({ max: 60 }), horizonMonths: fc.constant(6) }), { nil: undefined }),
});

describe('formatKroner: Danish number format', () => {
  it.each([
    [1234.5, '1.234,50 kr.'],
    [1234567.891, '1.234.567,89 kr.'],
    [0, '0,00 kr.'],
    [0.5, '0,50 kr.'],
    [999, '999,00 kr.'],
    [-465, '-465,00 kr.'],
    [-466583.25, '-466.583,25 kr.'],
    // no "minus zero": an amount that rounds to 0 is 0
    [-0, '0,00 kr.'],
    [-0.004, '0,00 kr.'],
  ])('%f → %s', (amount, text) => {
    expect(formatKroner(amount)).toBe(text);
  });
});

describe('formatStatementText', () => {
  const text = formatStatementText(handStatement());
  const lines = text.split('\n');
  const line = (start: string) => lines.find((l) => l.startsWith(start));

  it('heads the statement with the partnership, the month and the counts', () => {
    expect(lines[0]).toBe('Betalingsopgørelse: Vækstpartnerskab Køge (Køge)');
    expect(lines[1]).toBe('Opgjort pr. 2024-02 · 2 deltagere · 2 opnåede resultater');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('shows the month beside the cumulative figures in Danish number format', () => {
    expect(line('Resultatbetalinger')).toMatch(/^Resultatbetalinger +2\.000,00 kr\. +16\.234,50 kr\.$/);
    expect(line('Sparet ydelse (brutto)')).toMatch(/ 0,50 kr\. +1\.234\.567,89 kr\.$/);
    expect(line('Kommunal besparelse (efter refusion)')).toMatch(/ 0,00 kr\. +-465,00 kr\.$/);
    expect(line('Henførbar besparelse (efter dødvægt)')).toMatch(/ 0,00 kr\. +-348,75 kr\.$/);
    expect(line('Netto')).toMatch(/^Netto +-2\.000,00 kr\. +-466\.583,25 kr\.$/);
    // the figures line up in columns
    const figureLines = ['Resultatbetalinger', 'Sparet ydelse', 'Kommunal', 'Henførbar', 'Netto'].map((l) => line(l)!);
    expect(new Set(figureLines.map((l) => l.length)).size).toBe(1);
  });

  it('lists the outcomes in settlement order, the rejected reports and the projection band', () => {
    const outcomes = lines.slice(lines.indexOf('Resultater i afregningsrækkefølge') + 1, lines.indexOf('Resultater i afregningsrækkefølge') + 3);
    expect(outcomes[0]).toMatch(/^ {2}2024-W05 {2}P1 +job_start +15\.000,00 kr\.$/);
    expect(outcomes[1]).toMatch(/^ {2}2024-W07 {2}px_0123456789abcdef +sustained_13 +1\.234,50 kr\.$/);
    expect(text).toContain('  2024-02 actor-a: 3 rækker afvist (koege/2024-02/actor-a)\n');
    expect(text).toContain('  2024-02 firm-b: hele filen afvist (koege/2024-02/firm-b)\n');
    expect(text).toContain('Fremskrivning til kontraktens udløb (2026-W01), 1000 kørsler, seed 42\n');
    expect(lines.filter((l) => l.startsWith('Resultatbetalinger')).at(-1)).toMatch(/ 100\.000,00 kr\. +150\.000,50 kr\. +200\.000,00 kr\.$/);
    expect(lines.filter((l) => l.startsWith('Kommunal besparelse')).at(-1)).toMatch(/ -1\.000,25 kr\. +0,00 kr\. +2\.500,00 kr\.$/);
    expect(lines.filter((l) => l.startsWith('Netto')).at(-1)).toMatch(/ -500\.000,00 kr\. +-450\.000,00 kr\. +12,34 kr\.$/);
    // 0.123 as a Danish percentage with one decimal (ICU writes a no-break space before %)
    expect(text).toContain('Sandsynlighed for at initiativet betaler sig selv (netto ≥ 0): 12,3\u00a0%\n');
  });

  it('says under the projection what it rests on, in one Danish sentence (issue 9)', () => {
    const probabilityLine = lines.findIndex((l) => l.startsWith('Sandsynlighed for at initiativet betaler sig selv'));
    expect(lines[probabilityLine + 1]).toBe(
      'Bygger på 1.312 observerede deltageruger (og for 20\u00a0% på programmets erfaringer fra 4 partnerskaber); fremskrivningen omfatter 12 deltagere, heraf 3 planlagte visitationer.',
    );
  });

  it('a statement stored before the basis says nothing about it (no "undefined")', () => {
    const old = handStatement();
    delete (old.projection as Partial<typeof old.projection>)!.basis;
    const t = formatStatementText(old);
    expect(t).toContain('Sandsynlighed for at initiativet betaler sig selv');
    expect(t).not.toContain('Bygger');
    expect(t).not.toMatch(/undefined|NaN/);
  });

  it('names each source of the prior and weighs it; own data in front when it dominates', () => {
    const basis = (edit: Partial<Basis>): Basis => ({ ...handStatement().projection!.basis, ...edit });
    expect(projectionBasisText(basis({ priorWeight: 0.7, observedParticipantWeeks: 40, plannedReferrals: 0, participants: 2, prior: { source: 'default', partnerships: 4, participantWeeks: 1500 } }))).toBe(
      'Bygger på 40 observerede deltageruger og for 70\u00a0% på kildeprogrammets erfaringer (Region Sjælland); fremskrivningen omfatter 2 deltagere.',
    );
    expect(projectionBasisText(basis({ priorWeight: 1, observedParticipantWeeks: 0, plannedReferrals: 1, participants: 1, prior: { source: 'file', partnerships: 3, participantWeeks: 900 } }))).toBe(
      'Bygger alene på programmets erfaringer fra en prior-fil (ingen observerede uger endnu); fremskrivningen omfatter 1 deltager, heraf 1 planlagt visitation.',
    );
    expect(projectionBasisText(basis({ priorWeight: 0.05, observedParticipantWeeks: 1, prior: { source: 'pooled', partnerships: 1, participantWeeks: 10 } }))).toBe(
      'Bygger på 1 observeret deltageruge (og for 5\u00a0% på programmets erfaringer fra 1 partnerskab); fremskrivningen omfatter 12 deltagere, heraf 3 planlagte visitationer.',
    );
  });

  it('the basis sentence is one Danish sentence for any basis, with the counts in Danish format (property)', () => {
    fc.assert(
      fc.property(arbitraryBasis, (b) => {
        const sentence = projectionBasisText(b);
        expect(sentence).toMatch(/^Bygger (alene )?på [^\n]+\.$/);
        expect(sentence).not.toMatch(/undefined|NaN|\d{4}/); // thousands are grouped: 1.312, never 1312
        expect(sentence).toContain(`omfatter ${new Intl.NumberFormat('da-DK').format(b.participants)} deltager`);
        expect(sentence.includes('ingen observerede uger')).toBe(b.observedParticipantWeeks === 0);
      }),
    );
  });

  it("the portal says the same sentence from its own strings (it cannot import TypeScript) (property)", async () => {
    // i18n.js falls back to Danish where there is no browser storage, as here
    const portal = (await import(new URL('../../portal/i18n.js', import.meta.url).href)) as { t(key: string, params: object): string };
    fc.assert(
      fc.property(arbitraryBasis, (b) => {
        expect(portal.t('projectionBasis', b)).toBe(projectionBasisText(b));
      }),
    );
  });

  it('says so when there are no outcomes, no rejected reports and no projection', () => {
    const empty = { ...handStatement(), outcomes: [], rejectedReports: [], projection: undefined };
    const t = formatStatementText(empty);
    expect(t).toContain('Resultater i afregningsrækkefølge\n  ingen endnu\n');
    expect(t).toContain('Rapporter med afviste rækker\n  ingen\n');
    expect(t).not.toContain('Fremskrivning');
  });

  it('a saving that exactly cancels a cost shows 0,00 kr., not -0,00 kr.', () => {
    // 10 h wage subsidy at a municipal cost of 24 kr./h in benefit week 1 (r = 0.8):
    // 10 × 120 × (1 − 0.8) − 10 × 24 = 240 − 240 = 0 (in floating point a hair below 0).
    const contract = testContract((d) => {
      d.outcomes = [{ id: 'attach', rule: 'referral', price: 0 }];
      d.benefit.municipalCostPerHour = { wage_subsidy: 24 };
    });
    const statement = statementOf(contract, [week('P1', '2024-W01', { wage_subsidy: 10 })], '2024-01');
    const t = formatStatementText(statement);
    expect(t).not.toContain('-0,00');
    expect(t).toMatch(/^Kommunal besparelse \(efter refusion\) +0,00 kr\. +0,00 kr\.$/m);
    expect(t).toMatch(/^Netto +0,00 kr\. +0,00 kr\.$/m);
  });
});

describe('formatStatementCsv', () => {
  it('one long table with the header section,item,week,participant,amount and amounts with `.`', () => {
    expect(formatStatementCsv(handStatement())).toBe(
      [
        'section,item,week,participant,amount',
        'outcome,job_start,2024-W05,P1,15000.00',
        'outcome,sustained_13,2024-W07,px_0123456789abcdef,1234.50',
        'total,outcomePayments,,,16234.50',
        'total,grossBenefitSavings,,,1234567.89',
        'total,municipalSavings,,,-465.00',
        'total,attributableSavings,,,-348.75',
        'total,fees,,,450000.00', // spec 7 (issue 8): the fee due is a figure of its own
        'total,net,,,-466583.25',
        'month 2024-02,outcomePayments,,,2000.00',
        'month 2024-02,grossBenefitSavings,,,0.50',
        'month 2024-02,municipalSavings,,,0.00',
        'month 2024-02,attributableSavings,,,0.00',
        'month 2024-02,fees,,,0.00',
        'month 2024-02,net,,,-2000.00',
        'projection,outcomePayments.p10,2026-W01,,100000.00',
        'projection,outcomePayments.p50,2026-W01,,150000.50',
        'projection,outcomePayments.p90,2026-W01,,200000.00',
        'projection,municipalSavings.p10,2026-W01,,-1000.25',
        'projection,municipalSavings.p50,2026-W01,,0.00',
        'projection,municipalSavings.p90,2026-W01,,2500.00',
        'projection,net.p10,2026-W01,,-500000.00',
        'projection,net.p50,2026-W01,,-450000.00',
        'projection,net.p90,2026-W01,,12.34',
        'projection,probabilityNetNonNegative,2026-W01,,0.123',
        '',
      ].join('\n'),
    );
  });

  it('quotes a participant or outcome that holds a comma or a quote; no projection rows without a projection', () => {
    const statement = {
      ...handStatement(),
      outcomes: [{ participant: 'Hansen, P', outcome: 'job "start"', week: '2024-W05', amount: 1 }],
      projection: undefined,
    };
    const csv = formatStatementCsv(statement);
    expect(csv.split('\n')[1]).toBe('outcome,"job ""start""",2024-W05,"Hansen, P",1.00');
    expect(csv).not.toContain('projection');
  });

  it.each(FORMULA_CASES)('escapes a participant or outcome %j a spreadsheet would run as a formula, never the amounts (spec 2.4)', (value, cell) => {
    const statement = { ...handStatement(), outcomes: [{ participant: value, outcome: value, week: '2024-W05', amount: -1234.5 }] };
    const lines = formatStatementCsv(statement).split('\n');
    expect(lines[1]).toBe(`outcome,${cell},2024-W05,${cell},-1234.50`);
    expect(lines).toContain('total,net,,,-466583.25');
  });

  it('reads back (papaparse) as the escaped text cells and the amounts as numbers (property)', () => {
    const unit = fc.oneof(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', ';'), fc.string({ minLength: 1, maxLength: 1 }));
    const text = fc.string({ unit, maxLength: 12 });
    const outcome = fc.record({ participant: text, outcome: text, week: text, amount: fc.double({ min: -1e9, max: 1e9, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(outcome, { maxLength: 6 }), (outcomes) => {
        const cells = readCsvCells(formatStatementCsv({ ...handStatement(), outcomes }));
        expect(cells[0]).toEqual(['section', 'item', 'week', 'participant', 'amount']);
        const written = cells.slice(1, 1 + outcomes.length);
        expect(written.map((c) => c.slice(0, 4))).toEqual(outcomes.map((o) => ['outcome', escapeFormula(o.outcome), escapeFormula(o.week), escapeFormula(o.participant)]));
        expect(written.map((c) => c[4])).toEqual(outcomes.map((o) => o.amount.toFixed(2)));
        // every amount, negative ones included, is a plain number
        for (const row of cells.slice(1)) expect(row[4]).toMatch(/^-?\d+(\.\d+)?$/);
      }),
    );
  });
});
