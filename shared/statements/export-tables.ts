import type { InputVersionRef, StoredStatement } from '../partnerships/ports.ts';
import type { Band } from '../simulation/projection.ts';
import type { Figures, StatementOutcome } from '../simulation/statement.ts';
import { ACTIVITIES, type Activity } from '../weekly-hours/activities.ts';
import { activeCentiHours, paidCentiHours, type WeeklyHours } from '../weekly-hours/weekly-hours.ts';
import { mondayOf, weekIndexOfLabel } from '../weeks/iso-week.ts';
import { FIGURES, projectionBasisText, warningText } from './statement-format.ts';

/**
 * The statement and the weekly hours as the tables a finance officer opens in a
 * spreadsheet: Danish headings, every value typed (kroner, hours, dates, shares),
 * so the XLSX (danish-xlsx.ts) and the Danish CSV (danish-csv.ts) show the same
 * sheets and only differ in how they write a value. Participants are the stored
 * pseudonyms: no CPR number reaches these tables.
 */

/** One value, typed so each format can write it its own way; null is an empty cell. */
export type ExportCell =
  | { kind: 'text'; value: string }
  | { kind: 'kroner' | 'hours' | 'count'; value: number }
  /** A share 0–1 (written as a percentage). */
  | { kind: 'share'; value: number }
  /** A calendar date as a day number (days since 1970-01-01). */
  | { kind: 'date'; value: number }
  | null;

/** A table within a sheet: an optional title line, a header row, rows, and notes under it. */
export interface ExportBlock {
  title?: string;
  header: string[];
  rows: ExportCell[][];
  notes?: string[];
}

/** A sheet of the workbook (a section of the CSV). */
export interface ExportSheet {
  name: string;
  blocks: ExportBlock[];
}

/** A stored statement as the exports need it: the evidence and the efterregulering beside the figures. */
export type StatementExport = Pick<StoredStatement, 'statement' | 'manifest' | 'baseline' | 'adjustments'>;

export const text = (value: string): ExportCell => ({ kind: 'text', value });
const kroner = (value: number): ExportCell => ({ kind: 'kroner', value });
const hours = (value: number): ExportCell => ({ kind: 'hours', value });
const count = (value: number): ExportCell => ({ kind: 'count', value });

const MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];
/** `2022-09` → `september 2022`. */
export const danishMonth = (month: string) => `${MONTHS[Number(month.slice(5, 7)) - 1] ?? month} ${month.slice(0, 4)}`;
/** `2020-W49` → `uge 49, 2020`. */
export const danishWeek = (week: string) => `uge ${Number(week.slice(6))}, ${week.slice(0, 4)}`;
/** The Monday of an ISO week as a date cell; the week as text if it is not one. */
function mondayCell(week: string): ExportCell {
  try {
    return { kind: 'date', value: mondayOf(weekIndexOfLabel(week)) };
  } catch {
    return text(week);
  }
}
/** An ISO timestamp as `dd.mm.yyyy kl. hh.mm UTC`, the way Danish dates are written. */
function danishTimestamp(iso: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  return match ? `${match[3]}.${match[2]}.${match[1]} kl. ${match[4]}.${match[5]} UTC` : iso;
}

const figureRows = (...columns: Figures[]) => FIGURES.map((f) => [text(f.danish), ...columns.map((c) => kroner(c[f.key]))]);
const bandCells = (band: Band) => [kroner(band.p10), kroner(band.p50), kroner(band.p90)];
const PROJECTED = [
  { key: 'outcomePayments', danish: 'Resultatbetalinger' },
  { key: 'municipalSavings', danish: 'Kommunal besparelse' },
  { key: 'net', danish: 'Netto' },
] as const;

function overview({ statement, manifest }: StatementExport): ExportSheet {
  const facts: ExportCell[][] = [
    [text('Partnerskab'), text(statement.name)],
    [text('Kommune'), text(statement.municipality)],
    [text('Opgjort pr.'), text(danishMonth(statement.asOf))],
    [text('Deltagere'), count(statement.participants)],
    [text('Opnåede resultater'), count(statement.outcomes.length)],
  ];
  if (manifest) facts.push([text('Beregnet'), text(danishTimestamp(manifest.computedAt))]);
  const blocks: ExportBlock[] = [
    { title: `Betalingsopgørelse: ${statement.name} (${statement.municipality})`, header: ['Oplysning', 'Værdi'], rows: facts },
    {
      title: 'Beløb',
      header: ['Post', `Måneden ${danishMonth(statement.asOf)} (kr.)`, 'I alt til og med måneden (kr.)'],
      rows: figureRows(statement.month, statement.totals),
      notes: ['Netto = henførbar besparelse − resultatbetalinger − programgebyr; månederne summer til i alt.'],
    },
  ];
  const projection = statement.projection;
  if (projection) {
    blocks.push(
      {
        title: `Fremskrivning til kontraktens udløb (${danishWeek(projection.until)}), ${projection.runs} kørsler`,
        header: ['Post', 'P10 (kr.)', 'P50 (kr.)', 'P90 (kr.)'],
        rows: PROJECTED.map((p) => [text(p.danish), ...bandCells(projection[p.key])]),
      },
      {
        header: ['Oplysning', 'Værdi'],
        rows: [
          [text('Sandsynlighed for at initiativet betaler sig selv (netto ≥ 0)'), { kind: 'share', value: projection.probabilityNetNonNegative }],
          [text('Kontraktens sidste uge begynder'), mondayCell(projection.until)],
          // An identifier of the run, not an amount: no thousands separators.
          [text('Seed'), text(String(projection.seed))],
        ],
        // Statements stored before the basis have none: nothing is said then.
        notes: projection.basis ? [projectionBasisText(projection.basis)] : undefined,
      },
    );
  }
  return { name: 'Oversigt', blocks };
}

const outcomeName = (o: Pick<StatementOutcome, 'label' | 'outcome'>) => o.label ?? o.outcome;

function outcomes({ statement }: StatementExport): ExportSheet {
  const byLabel = new Map<string, { n: number; amount: number }>();
  for (const o of statement.outcomes) {
    const sum = byLabel.get(outcomeName(o)) ?? { n: 0, amount: 0 };
    byLabel.set(outcomeName(o), { n: sum.n + 1, amount: Math.round((sum.amount + o.amount) * 100) / 100 });
  }
  return {
    name: 'Resultater',
    blocks: [
      { title: 'Resultater efter type', header: ['Resultat', 'Antal', 'Beløb i alt (kr.)'], rows: [...byLabel].map(([label, sum]) => [text(label), count(sum.n), kroner(sum.amount)]) },
      {
        title: 'Resultater i afregningsrækkefølge',
        header: ['Uge', 'Ugens mandag', 'Deltager', 'Resultat', 'Beløb (kr.)'],
        rows: statement.outcomes.map((o) => [text(danishWeek(o.week)), mondayCell(o.week), text(o.participant), text(outcomeName(o)), kroner(o.amount)]),
      },
    ],
  };
}

function months({ statement }: StatementExport): ExportSheet {
  const blocks: ExportBlock[] = [
    {
      title: 'Kumulerede beløb ved hver måneds udgang',
      header: ['Måned', ...FIGURES.map((f) => `${f.danish} (kr.)`)],
      rows: statement.byMonth.map((m) => [text(danishMonth(m.month)), ...FIGURES.map((f) => kroner(m[f.key]))]),
    },
  ];
  const projected = statement.projection?.byMonth;
  if (projected?.length) {
    blocks.push({
      title: 'Fremskrivning ved hver måneds udgang (kumuleret)',
      header: ['Måned', ...PROJECTED.flatMap((p) => ['P10', 'P50', 'P90'].map((q) => `${p.danish} ${q} (kr.)`))],
      rows: projected.map((m) => [text(danishMonth(m.month)), ...PROJECTED.flatMap((p) => bandCells(m[p.key]))]),
    });
  }
  return { name: 'Måneder', blocks };
}

const versionCells = (ref: InputVersionRef) => [text(ref.key), text(ref.versionId ?? 'ukendt'), text(ref.sequencer)];

function evidence({ statement, manifest }: StatementExport): ExportSheet {
  const warnings = statement.warnings ?? [];
  const blocks: ExportBlock[] = [
    {
      title: 'Belæg: de uger med timer, der udløste hver resultatbetaling',
      header: ['Deltager', 'Resultat', 'Udløst i uge', 'Uge med timer', 'Ugens mandag', 'Timer'],
      rows: statement.outcomes.flatMap((o) =>
        (o.evidence ?? []).map((e) => [text(o.participant), text(outcomeName(o)), text(danishWeek(o.week)), text(danishWeek(e.week)), mondayCell(e.week), hours(e.hours)]),
      ),
    },
    { title: 'Advarsler', header: ['Advarsel'], rows: warnings.map((w) => [text(warningText(w))]), notes: warnings.length ? undefined : ['Ingen advarsler.'] },
    {
      title: 'Indberetninger med afviste rækker',
      header: ['Måned', 'Kilde', 'Udfald', 'Afviste rækker', 'Fil'],
      rows: statement.rejectedReports.map((r) => [text(danishMonth(r.month)), text(r.source), text(r.outcome === 'rejected' ? 'hele filen afvist' : 'delvist godkendt'), count(r.rejectedRows), text(r.key)]),
    },
  ];
  if (!manifest) {
    blocks.push({ title: 'Inddata', header: [], rows: [], notes: ['Ikke registreret: opgørelsen er beregnet før grundlaget blev gemt.'] });
    return { name: 'Grundlag', blocks };
  }
  const empty = [null, null] as ExportCell[];
  blocks.push(
    {
      title: 'Inddata (de versioner opgørelsen er beregnet af)',
      header: ['Inddata', 'Nøgle', 'Version', 'Sekvens', 'Godkendte rækker', 'Afviste rækker'],
      rows: [
        ...(manifest.contract ? [[text('Kontrakt'), ...versionCells(manifest.contract), ...empty]] : []),
        ...(manifest.roster ? [[text('Deltagerliste'), ...versionCells(manifest.roster), ...empty]] : []),
        ...manifest.reports.map((r) => [text(`Indberetning ${danishMonth(r.month)}, ${r.source}`), ...versionCells(r), count(r.acceptedRows), count(r.rejectedRows)]),
      ],
    },
    {
      header: ['Oplysning', 'Værdi'],
      rows: [
        [text('Beregnet'), text(danishTimestamp(manifest.computedAt))],
        [text('Kodeversion'), text(manifest.codeVersion)],
        [text('Kørsler i fremskrivningen'), count(manifest.runs)],
        [text('Seed'), text(String(manifest.seed))],
      ],
    },
  );
  return { name: 'Grundlag', blocks };
}

function adjustmentSheet({ statement, baseline, adjustments }: StatementExport): ExportSheet | undefined {
  if (!baseline || !adjustments) return undefined;
  return {
    name: 'Efterregulering',
    blocks: [
      {
        title: `Efterregulering i forhold til opgørelsen pr. ${danishMonth(adjustments.since)}`,
        header: ['Post', `Opgjort pr. ${danishMonth(adjustments.since)} (kr.)`, 'Efterregulering (kr.)', `Måneden ${danishMonth(statement.asOf)} (kr.)`, 'I alt (kr.)'],
        rows: figureRows(baseline.totals, adjustments.figures, statement.month, statement.totals),
        notes: ['I alt = tidligere opgjort + efterregulering + måneden, på øren.'],
      },
      {
        title: 'Ændrede resultatbetalinger i tidligere måneder',
        header: ['Uge', 'Ugens mandag', 'Deltager', 'Resultat', 'Før (kr.)', 'Nu (kr.)', 'Efterregulering (kr.)'],
        rows: adjustments.outcomes.map((a) => [text(danishWeek(a.week)), mondayCell(a.week), text(a.participant), text(outcomeName(a)), kroner(a.stated), kroner(a.current), kroner(a.amount)]),
      },
    ],
  };
}

/**
 * A stored statement as sheets (spec 8): Oversigt (month and cumulative figures,
 * fee, net, projection bands, probability and what it rests on), Resultater
 * (by label, then every payment with its week as a date), Måneder (cumulative
 * figures and projection per month), Grundlag (each payment's weeks and hours,
 * warnings, rejected reports, input versions) and, when there is one, the
 * Efterregulering.
 */
export function statementSheets(stored: StatementExport): ExportSheet[] {
  return [overview(stored), outcomes(stored), months(stored), evidence(stored), adjustmentSheet(stored)].filter((s): s is ExportSheet => s !== undefined);
}

/** The activities' Danish column names, in the order of ACTIVITIES. */
const ACTIVITY_NAMES: Record<Activity, string> = {
  training: 'Opkvalificering',
  internship: 'Praktik',
  ordinary: 'Ordinære timer',
  flexjob: 'Fleksjob',
  wage_subsidy: 'Løntilskud',
  education: 'Uddannelse',
  absence: 'Fravær',
};

/** The weekly hours per participant and week (rows as given: sorted by participant, then week), with active and paid hours (spec 3). */
export function hoursSheets(partnership: string, weeks: readonly WeeklyHours[]): ExportSheet[] {
  const header = ['Deltager', 'Uge', 'Ugens mandag', 'Aktive timer', 'Lønnede timer', ...ACTIVITIES.map((a) => ACTIVITY_NAMES[a]), 'Skønnet (månedstal fordelt)'];
  const rows = weeks.map((w) => [
    text(w.participant),
    text(danishWeek(w.week)),
    mondayCell(w.week),
    hours(activeCentiHours(w) / 100),
    hours(paidCentiHours(w) / 100),
    ...w.centiHours.map((centi) => hours(centi / 100)),
    text(w.estimated ? 'ja' : 'nej'),
  ]);
  return [{ name: 'Ugentlige timer', blocks: [{ title: `Ugentlige timer pr. deltager: ${partnership}`, header, rows, notes: ['Aktive timer = alle aktiviteter undtagen fravær; lønnede timer = ordinære timer, fleksjob og løntilskud.'] }] }];
}

