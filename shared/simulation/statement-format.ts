import { csvValue } from '../csv-value.ts';
import type { SimulatedStatement } from './simulate.ts';
import type { Figures } from './statement.ts';

const FIGURES: { key: keyof Figures; danish: string }[] = [
  { key: 'outcomePayments', danish: 'Resultatbetalinger' },
  { key: 'grossBenefitSavings', danish: 'Sparet ydelse (brutto)' },
  { key: 'municipalSavings', danish: 'Kommunal besparelse (efter refusion)' },
  { key: 'attributableSavings', danish: 'Henførbar besparelse (efter dødvægt)' },
  { key: 'net', danish: 'Netto' },
];

// signDisplay 'negative': an amount that is or rounds to zero (e.g. -0 from a saving that exactly cancels a cost) shows as 0,00, never -0,00.
const kroner = new Intl.NumberFormat('da-DK', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'negative' });
/** DKK the Danish way: `1.234,50 kr.` */
export const formatKroner = (amount: number) => `${kroner.format(amount)} kr.`;
const percent = new Intl.NumberFormat('da-DK', { style: 'percent', maximumFractionDigits: 1 });

/**
 * The statement as a municipal finance officer reads it: Danish labels and
 * number format, the month beside the cumulative figures, every outcome, the
 * reports with rejected rows and the projection band.
 */
export function formatStatementText(statement: SimulatedStatement): string {
  const width = Math.max(...FIGURES.map((f) => f.danish.length)) + 2;
  const column = (text: string) => text.padStart(20);
  const lines = [
    `Betalingsopgørelse: ${statement.name} (${statement.municipality})`,
    `Opgjort pr. ${statement.asOf} · ${statement.participants} deltagere · ${statement.outcomes.length} opnåede resultater`,
    '',
    `${''.padEnd(width)}${column(`Måneden ${statement.asOf}`)}${column('I alt')}`,
    ...FIGURES.map((f) => `${f.danish.padEnd(width)}${column(formatKroner(statement.month[f.key]))}${column(formatKroner(statement.totals[f.key]))}`),
    '  (netto i alt er efter programgebyret; månedens netto er uden gebyr)',
    '',
    'Resultater i afregningsrækkefølge',
  ];
  if (statement.outcomes.length === 0) lines.push('  ingen endnu');
  for (const o of statement.outcomes) {
    lines.push(`  ${o.week}  ${o.participant.padEnd(20)}  ${o.outcome.padEnd(18)}${column(formatKroner(o.amount))}`);
  }
  lines.push('', 'Rapporter med afviste rækker');
  if (statement.rejectedReports.length === 0) lines.push('  ingen');
  for (const r of statement.rejectedReports) {
    lines.push(`  ${r.month} ${r.source}: ${r.outcome === 'rejected' ? 'hele filen afvist' : `${r.rejectedRows} rækker afvist`} (${r.key})`);
  }
  const projection = statement.projection;
  if (projection) {
    lines.push(
      '',
      `Fremskrivning til kontraktens udløb (${projection.until}), ${projection.runs} kørsler, seed ${projection.seed}`,
      `${''.padEnd(width)}${column('P10')}${column('P50')}${column('P90')}`,
      ...(['outcomePayments', 'municipalSavings', 'net'] as const).map((key) => {
        const band = projection[key];
        const label = FIGURES.find((f) => f.key === key)!.danish;
        return `${label.padEnd(width)}${column(formatKroner(band.p10))}${column(formatKroner(band.p50))}${column(formatKroner(band.p90))}`;
      }),
      `Sandsynlighed for at initiativet betaler sig selv (netto ≥ 0): ${percent.format(projection.probabilityNetNonNegative)}`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * The statement as one long CSV table (`section,item,week,participant,amount`),
 * easy to pivot in a spreadsheet: every outcome, the cumulative and month
 * figures, and the projection band. Amounts with `.` and two decimals.
 */
export function formatStatementCsv(statement: SimulatedStatement): string {
  const rows = [['section', 'item', 'week', 'participant', 'amount']];
  const money = (amount: number) => amount.toFixed(2);
  for (const o of statement.outcomes) rows.push(['outcome', o.outcome, o.week, o.participant, money(o.amount)]);
  for (const f of FIGURES) rows.push(['total', f.key, '', '', money(statement.totals[f.key])]);
  for (const f of FIGURES) rows.push([`month ${statement.asOf}`, f.key, '', '', money(statement.month[f.key])]);
  const projection = statement.projection;
  if (projection) {
    for (const key of ['outcomePayments', 'municipalSavings', 'net'] as const) {
      for (const q of ['p10', 'p50', 'p90'] as const) rows.push(['projection', `${key}.${q}`, projection.until, '', money(projection[key][q])]);
    }
    rows.push(['projection', 'probabilityNetNonNegative', projection.until, '', String(projection.probabilityNetNonNegative)]);
  }
  return rows.map((row) => row.map(csvValue).join(',')).join('\n') + '\n';
}
