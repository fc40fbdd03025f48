import { csvRow, numberCell, textCell, type CsvField } from '../spreadsheet-cells.ts';
import type { Projection } from '../simulation/projection.ts';
import type { SimulatedStatement } from '../simulation/simulate.ts';
import type { Figures, StatementOutcome, StatementWarning } from '../simulation/statement.ts';
import type { InputVersionRef, StoredStatement } from '../partnerships/ports.ts';

/** The statement's figures with their Danish names, in the order every format shows them. */
export const FIGURES: { key: keyof Figures; danish: string }[] = [
  { key: 'outcomePayments', danish: 'Resultatbetalinger' },
  { key: 'grossBenefitSavings', danish: 'Sparet ydelse (brutto)' },
  { key: 'municipalSavings', danish: 'Kommunal besparelse (efter refusion)' },
  { key: 'attributableSavings', danish: 'Henførbar besparelse (efter dødvægt)' },
  { key: 'fees', danish: 'Programgebyr (forfaldent)' },
  { key: 'net', danish: 'Netto' },
];

// signDisplay 'negative': an amount that is or rounds to zero (e.g. -0 from a saving that exactly cancels a cost) shows as 0,00, never -0,00.
const kroner = new Intl.NumberFormat('da-DK', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'negative' });
/** DKK the Danish way: `1.234,50 kr.` */
export const formatKroner = (amount: number) => `${kroner.format(amount)} kr.`;
const percent = new Intl.NumberFormat('da-DK', { style: 'percent', maximumFractionDigits: 1 });
const hoursFormat = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 2 });

const count = new Intl.NumberFormat('da-DK', { maximumFractionDigits: 0 });
const wholePercent = new Intl.NumberFormat('da-DK', { style: 'percent', maximumFractionDigits: 0 });
/** `1 deltager`, `1.312 deltagere`. */
const counted = (n: number, one: string, many: string) => `${count.format(n)} ${n === 1 ? one : many}`;

/** What a projection rests on (spec 8). */
type ProjectionBasis = Projection['basis'];

/** Where the prior came from, as a Danish phrase. */
function priorText(prior: ProjectionBasis['prior']): string {
  if (prior.source === 'pooled') return `programmets erfaringer fra ${counted(prior.partnerships, 'partnerskab', 'partnerskaber')}`;
  if (prior.source === 'file') return 'programmets erfaringer fra en prior-fil';
  return 'kildeprogrammets erfaringer (Region Sjælland)';
}

/**
 * What a projection rests on, in one Danish sentence a finance officer can judge it by
 * (spec 8): the partnership's own observed participant-weeks, how much the prior
 * weighs and where it came from, and how many participants are projected, of whom
 * planned referrals. The statement text and the CLI use it; the portal says the
 * same from its strings (strings.js `projectionBasis`).
 */
export function projectionBasisText(basis: ProjectionBasis): string {
  const prior = priorText(basis.prior);
  const observed = counted(basis.observedParticipantWeeks, 'observeret deltageruge', 'observerede deltageruger');
  const weight = wholePercent.format(basis.priorWeight);
  const rests =
    basis.observedParticipantWeeks === 0
      ? `Bygger alene på ${prior} (ingen observerede uger endnu)`
      : basis.priorWeight < 0.5
        ? `Bygger på ${observed} (og for ${weight} på ${prior})`
        : `Bygger på ${observed} og for ${weight} på ${prior}`;
  const planned = basis.plannedReferrals > 0 ? `, heraf ${counted(basis.plannedReferrals, 'planlagt visitation', 'planlagte visitationer')}` : '';
  const held = basis.backtest
    ? ` Partnerskabets tidligere fremskrivninger holdt i ${basis.backtest.inside} af ${basis.backtest.projections} tilfælde nettoresultatet ${basis.backtest.horizonMonths} måneder frem inden for P10–P90.`
    : '';
  return `${rests}; fremskrivningen omfatter ${counted(basis.participants, 'deltager', 'deltagere')}${planned}.${held}`;
}

/** The weeks and hours behind an outcome, on one line: `2024-W01 10 t, 2024-W02 12,5 t`. */
const evidenceText = (outcome: StatementOutcome) => (outcome.evidence ?? []).map((e) => `${e.week} ${hoursFormat.format(e.hours)} t`).join(', ');

/** A warning as a Danish sentence (spec 8); the spreadsheet exports list the same. */
export function warningText(warning: StatementWarning): string {
  return warning.kind === 'not_on_roster'
    ? `${warning.participant}: ikke på deltagerlisten; visiteret antaget i ${warning.referralWeek} (første uge med timer)`
    : `${warning.participant}: timer efter udmeldelse i ${warning.exitWeek} er ikke medregnet (${warning.weeks.join(', ')})`;
}

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
    '  (netto = henførbar besparelse − resultatbetalinger − programgebyr; månederne summer til i alt)',
    '',
    'Resultater i afregningsrækkefølge',
  ];
  if (statement.outcomes.length === 0) lines.push('  ingen endnu');
  for (const o of statement.outcomes) {
    lines.push(`  ${o.week}  ${o.participant.padEnd(20)}  ${(o.label ?? o.outcome).padEnd(18)}${column(formatKroner(o.amount))}`);
    if (o.evidence?.length) lines.push(`      belæg: ${evidenceText(o)}`);
  }
  lines.push('', 'Advarsler');
  if (!statement.warnings?.length) lines.push('  ingen');
  for (const w of statement.warnings ?? []) lines.push(`  ${warningText(w)}`);
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
    // Statements stored before the basis have none: nothing is said then.
    if (projection.basis) lines.push(projectionBasisText(projection.basis));
  }
  return lines.join('\n') + '\n';
}

/** An input version as a Danish phrase: `contracts/koege.json, version abc (sekvens 0001)`. */
const versionText = (ref: InputVersionRef) => `${ref.key}, version ${ref.versionId ?? 'ukendt'} (sekvens ${ref.sequencer})`;

/** What the statement rests on: input versions, seed, runs, code version and time (spec 8, evidence). */
function manifestLines(stored: Pick<StoredStatement, 'manifest'>): string[] {
  const m = stored.manifest;
  if (!m) return ['Grundlag', '  ikke registreret (opgørelsen er beregnet før grundlaget blev gemt)'];
  const lines = [
    'Grundlag',
    `  Beregnet ${m.computedAt} af kodeversion ${m.codeVersion}; fremskrivning med ${m.runs} kørsler, seed ${m.seed}`,
    `  Kontrakt: ${m.contract ? versionText(m.contract) : 'version ikke registreret'}`,
    `  Deltagerliste: ${m.roster ? versionText(m.roster) : 'ingen'}`,
    `  Indberetninger medregnet (${m.reports.length}):`,
  ];
  for (const r of m.reports) lines.push(`    ${r.month} ${r.source}: ${versionText(r)}: ${r.acceptedRows} rækker godkendt, ${r.rejectedRows} afvist`);
  return lines;
}

/** The efterregulering with the reconciliation N = N−1 + month + adjustments, per figure and per changed payment. */
function adjustmentLines(stored: Pick<StoredStatement, 'statement' | 'baseline' | 'adjustments'>, width: number, column: (text: string) => string): string[] {
  const { statement, baseline, adjustments } = stored;
  if (!baseline || !adjustments) return ['Efterregulering', '  ingen (der er ingen tidligere opgørelse at regulere imod)'];
  const lines = [
    `Efterregulering i forhold til opgørelsen pr. ${adjustments.since}`,
    `${''.padEnd(width)}${column(`Opgjort pr. ${adjustments.since}`)}${column('Efterregulering')}${column(`Måneden ${statement.asOf}`)}${column('I alt')}`,
    ...FIGURES.map(
      (f) => `${f.danish.padEnd(width)}${column(formatKroner(baseline.totals[f.key]))}${column(formatKroner(adjustments.figures[f.key]))}${column(formatKroner(statement.month[f.key]))}${column(formatKroner(statement.totals[f.key]))}`,
    ),
    '  (i alt = tidligere opgjort + efterregulering + måneden, på øren)',
  ];
  if (adjustments.outcomes.length === 0) lines.push('  ingen ændrede resultatbetalinger i tidligere måneder');
  for (const a of adjustments.outcomes) {
    lines.push(`  ${a.week}  ${a.participant.padEnd(20)}  ${(a.label ?? a.outcome).padEnd(18)}  før ${formatKroner(a.stated)}, nu ${formatKroner(a.current)}: ${formatKroner(a.amount)}`);
  }
  return lines;
}

/**
 * `pbr statement --explain`: in Danish, what the statement rests on (every input
 * version, seed, code version, time), its efterregulering against the previous
 * statement, and each payment's qualifying weeks with their hours.
 */
export function formatStatementExplanation(stored: Pick<StoredStatement, 'statement' | 'manifest' | 'baseline' | 'adjustments'>): string {
  const { statement } = stored;
  const width = Math.max(...FIGURES.map((f) => f.danish.length)) + 2;
  const column = (text: string) => text.padStart(20);
  const lines = [
    `Forklaring af betalingsopgørelsen: ${statement.name} (${statement.municipality}) pr. ${statement.asOf}`,
    '',
    ...manifestLines(stored),
    '',
    ...adjustmentLines(stored, width, column),
    '',
    'Resultatbetalinger og de uger med timer, der udløste dem',
  ];
  if (statement.outcomes.length === 0) lines.push('  ingen endnu');
  for (const o of statement.outcomes) {
    lines.push(`  ${o.week}  ${o.participant.padEnd(20)}  ${(o.label ?? o.outcome).padEnd(18)}${column(formatKroner(o.amount))}`);
    lines.push(`      ${o.evidence?.length ? `uger: ${evidenceText(o)}` : 'belæg ikke registreret'}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * The statement as one long CSV table (`section,item,week,participant,amount`),
 * easy to pivot in a spreadsheet: every outcome followed by its evidence weeks
 * (`evidence` rows, hours in the amount column), the cumulative and month
 * figures, the warnings (no amount) and the projection band. Amounts with `.` and two decimals, written
 * as numbers (negative ones too); every other cell is text, formula-escaped
 * (spec 2.4: an outcome id or participant `=HYPERLINK(…)` is written `'=HYPERLINK(…)`).
 */
export function formatStatementCsv(statement: SimulatedStatement): string {
  const row = (section: string, item: string, week: string, participant: string, amount: string): CsvField[] => [
    textCell(section),
    textCell(item),
    textCell(week),
    textCell(participant),
    numberCell(amount),
  ];
  const money = (amount: number) => amount.toFixed(2);
  const rows = [['section', 'item', 'week', 'participant', 'amount'].map(textCell)];
  for (const o of statement.outcomes) {
    rows.push(row('outcome', o.outcome, o.week, o.participant, money(o.amount)));
    for (const e of o.evidence ?? []) rows.push(row('evidence', o.outcome, e.week, o.participant, money(e.hours)));
  }
  for (const f of FIGURES) rows.push(row('total', f.key, '', '', money(statement.totals[f.key])));
  for (const f of FIGURES) rows.push(row(`month ${statement.asOf}`, f.key, '', '', money(statement.month[f.key])));
  for (const w of statement.warnings ?? []) {
    rows.push(row('warning', w.kind, w.kind === 'not_on_roster' ? w.referralWeek : w.weeks.join(' '), w.participant, ''));
  }
  const projection = statement.projection;
  if (projection) {
    for (const key of ['outcomePayments', 'municipalSavings', 'net'] as const) {
      for (const q of ['p10', 'p50', 'p90'] as const) rows.push(row('projection', `${key}.${q}`, projection.until, '', money(projection[key][q])));
    }
    rows.push(row('projection', 'probabilityNetNonNegative', projection.until, '', String(projection.probabilityNetNonNegative)));
  }
  return rows.map(csvRow).join('\n') + '\n';
}
