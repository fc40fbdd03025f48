// The read-only sections of a statement, top to bottom: warnings (rejected reports,
// the statement's own), the key figures, "does it pay for itself?", the chart, the
// outcomes with the weeks and hours behind each payment. Weeks are shown as dates.

import { chartLegend, chartSeries, renderChart, LINES } from '../chart.js';
import { h } from '../dom.js';
import { hours, kroner, language, monthName, percent, t } from '../i18n.js';
import { monthOfWeek, weekText } from '../weeks.js';

/** A week as the reader's dates (`uge 49, 2020 (30.11.–6.12.)`), never the code. */
export const weekName = (week) => weekText(week, language());

/** The key figures, cumulative and this month's, in the order the statement explains them. */
const FIGURES = ['outcomePayments', 'grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'fees', 'net'];

/** The statement's own warning (spec 8) as a sentence. */
function statementWarning(w) {
  return w.kind === 'not_on_roster'
    ? t('warningNotOnRoster', { participant: w.participant, week: weekName(w.referralWeek) })
    : t('warningHoursAfterExit', { participant: w.participant, week: weekName(w.exitWeek), weeks: w.weeks.map(weekName).join('; ') });
}

/** Reports rejected whole or in part (the statement may miss hours), and the statement's warnings. */
export function warnings(statement) {
  const rejected = statement.rejectedReports ?? [];
  const own = statement.warnings ?? [];
  const count = String(rejected.length + own.length);
  if (!rejected.length && !own.length) return h('p.ok-note', { 'data-testid': 'warnings', 'data-count': '0' }, t('noWarnings'));
  return h(
    'section.warnings',
    { 'data-testid': 'warnings', 'data-count': count, 'aria-labelledby': 'warnings-title' },
    h('h3', { id: 'warnings-title' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), t(rejected.length ? 'warningsTitle' : 'statementWarningsTitle')),
    rejected.length
      ? [
          h('ul', rejected.map((r) => h('li', { 'data-key': r.key }, r.outcome === 'rejected' ? t('warningRejectedWhole', { source: r.source, month: monthName(r.month) }) : t('warningRejectedRows', { source: r.source, month: monthName(r.month), n: r.rejectedRows })))),
          h('p.hint', t('warningsHint')),
        ]
      : undefined,
    own.length ? [rejected.length ? h('h4', t('statementWarningsTitle')) : undefined, h('ul', { 'data-testid': 'statement-warnings' }, own.map((w) => h('li', statementWarning(w))))] : undefined,
  );
}

export function figures(statement) {
  return h(
    'section.figures-section',
    { 'aria-labelledby': 'figures-title' },
    h('h3', { id: 'figures-title' }, t('figuresTitle')),
    h(
      'dl.figures',
      { 'data-testid': 'figures' },
      FIGURES.map((key) =>
        h(
          'div.figure',
          { 'data-testid': `figure-${key}`, class: key === 'net' ? (statement.totals[key] >= 0 ? 'positive' : 'negative') : undefined },
          h('dt', t(`fig_${key}`)),
          h('dd.value', kroner(statement.totals[key])),
          h('dd.month', `${t('thisMonth')}: ${kroner(statement.month[key])}`),
          h('dd.hint', key === 'net' ? `${t('figHint_net')} ${t('figHint_netMonth')}` : t(`figHint_${key}`)),
        ),
      ),
    ),
  );
}

/** `uge 39, 2022 (26.9.–2.10.), september 2022`: the projection's last week and its month (spec 3). */
export function untilText(projection) {
  const until = monthOfWeek(projection.until);
  return until ? `${weekName(projection.until)}, ${monthName(until)}` : projection.until;
}

/** The chance the net ends non-negative, what that means and rests on, and the P10/P50/P90 at the contract's end. */
export function probability(statement) {
  const projection = statement.projection;
  if (!projection) return h('p.empty', { 'data-testid': 'probability', 'data-value': '' }, t('noProjection'));
  const p = projection.probabilityNetNonNegative;
  return h(
    'section.projection',
    { 'aria-labelledby': 'projection-title' },
    h('h3', { id: 'projection-title' }, t('probabilityTitle')),
    h(
      'div.probability',
      { 'data-testid': 'probability', 'data-value': String(p) },
      h('span.big', { class: p >= 0.5 ? 'positive' : 'negative' }, percent(p)),
      h('div',
        h('p', t('probabilityText', { until: untilText(projection) })),
        h('p.meaning', { 'data-testid': 'probability-meaning' }, t('probabilityMeaning', { runs: projection.runs, until: untilText(projection) }), ' ',
          // what the projection rests on (statements stored before it have no basis: nothing is said)
          projection.basis ? h('span.basis', { 'data-testid': 'projection-basis' }, t('projectionBasis', projection.basis)) : undefined),
        h('p.hint', t('probabilityRuns', { runs: projection.runs, seed: projection.seed })),
      ),
    ),
    h('div.table-scroll', { tabindex: '0', role: 'region', 'aria-labelledby': 'projection-table-caption' }, h(
      'table.data.projection-table',
      { 'data-testid': 'projection-table' },
      h('caption', { id: 'projection-table-caption' }, t('projectionTitle'), ` (${untilText(projection)})`),
      h('thead', h('tr', h('th', { scope: 'col' }, h('span.sr-only', t('figuresTitle'))), ['p10', 'p50', 'p90'].map((q) => h('th.num', { scope: 'col' }, t(q))))),
      h('tbody', ['outcomePayments', 'municipalSavings', 'net'].map((key) => h('tr', h('th', { scope: 'row' }, t(`fig_${key}`)), ['p10', 'p50', 'p90'].map((q) => h('td.num', kroner(projection[key][q])))))),
    )),
  );
}

/** The chart's figures as table rows: one a month, then the projected months (or the end) as P10–P90 bands. */
function chartRows(statement, feesDue) {
  const { observed, bands, end } = chartSeries(statement, feesDue);
  const band = (b) => (b ? h('td.num.band-cell', h('span', `${kroner(b.p10)} –`), h('span', kroner(b.p90)), h('span.median', `P50 ${kroner(b.p50)}`)) : h('td.num', '–'));
  const projected = (row) => h('tr.projected', h('th', { scope: 'row' }, `${monthName(row.month)} (${t('chartTableProjected')})`), h('td.num', '–'), band(row.costs), band(row.net));
  return [
    ...observed.map((row) => h('tr', h('th', { scope: 'row' }, monthName(row.month)), LINES.map((line) => h('td.num', kroner(row[line.key]))))),
    ...[...bands, ...(end ? [end] : [])].map(projected),
  ];
}

/** The chart in a focusable scrolling region, its legend, and its figures as a table for screen readers and copying. */
export function chartSection(statement, { feesDue } = {}) {
  const svg = renderChart(statement, { feesDue });
  if (!svg) return undefined;
  return h(
    'section.chart-section',
    { 'aria-labelledby': 'chart-heading' },
    h('h3', { id: 'chart-heading' }, t('chartTitleNet')),
    chartLegend(statement, { feesDue }),
    statement.projection ? h('p.hint', t('legendNoSavingsBand')) : undefined,
    h('div.chart-wrap', { tabindex: '0', role: 'region', 'aria-label': t('chartRegion') }, svg),
    h(
      'details.chart-table',
      h('summary', t('chartTableToggle')),
      h(
        'div.table-scroll',
        { tabindex: '0', role: 'region', 'aria-label': t('chartTableToggle') },
        h(
          'table.data',
          { 'data-testid': 'chart-table' },
          h('caption.sr-only', t('chartTitleNet')),
          h('thead', h('tr', h('th', { scope: 'col' }, t('chartTableMonth')), h('th.num', { scope: 'col' }, t('fig_attributableSavings')), h('th.num', { scope: 'col' }, t('chartColCosts')), h('th.num', { scope: 'col' }, t('fig_net')))),
          h('tbody', chartRows(statement, feesDue)),
        ),
      ),
    ),
  );
}

/** The weeks and hours that reached a payment, folded under a one-line summary. */
function evidenceCell(evidence) {
  if (!evidence?.length) return h('td.hint', t('evidenceNone'));
  const total = evidence.reduce((sum, e) => sum + e.hours, 0);
  return h('td.evidence', h('details', { 'data-testid': 'evidence' },
    h('summary', t('evidenceSummary', { weeks: evidence.length, hours: hours(total) })),
    h('ul', evidence.map((e) => h('li', t('evidenceHours', { week: weekName(e.week), hours: hours(e.hours) })))),
  ));
}

/** Every outcome paid so far by its label, this month's marked, with its evidence. */
export function outcomesTable(statement) {
  const outcomes = statement.outcomes ?? [];
  const thisMonth = new Set((statement.month?.outcomes ?? []).map((o) => `${o.participant}|${o.outcome}|${o.week}`));
  const total = outcomes.reduce((sum, o) => sum + o.amount, 0);
  const row = (o) => {
    const recent = thisMonth.has(`${o.participant}|${o.outcome}|${o.week}`);
    return h(
      'tr',
      { class: recent ? 'this-month' : undefined },
      h('td.mono', o.participant),
      h('td', o.label ?? o.outcome, recent ? h('span.tag', t('thisMonthMark')) : undefined),
      h('td.week', weekName(o.week)),
      h('td.num', kroner(o.amount)),
      evidenceCell(o.evidence),
    );
  };
  return h(
    'section.outcomes',
    { 'aria-labelledby': 'outcomes-title' },
    h('h3', { id: 'outcomes-title' }, t('outcomesTitle')),
    outcomes.length ? h('p.hint', t('outcomesIntro')) : undefined,
    h(
      'div.table-scroll',
      { tabindex: '0', role: 'region', 'aria-labelledby': 'outcomes-title' },
      h(
        'table.data',
        { 'data-testid': 'outcomes-table', 'data-rows': String(outcomes.length) },
        h('caption.sr-only', t('outcomesTitle')),
        h('thead', h('tr', h('th', { scope: 'col' }, t('colParticipant')), h('th', { scope: 'col' }, t('colOutcome')), h('th', { scope: 'col' }, t('colWeek')), h('th.num', { scope: 'col' }, t('colAmount')), h('th', { scope: 'col' }, t('colEvidence')))),
        h('tbody', outcomes.length ? outcomes.map(row) : h('tr', h('td.empty', { colSpan: 5 }, t('outcomesEmpty')))),
        outcomes.length ? h('tfoot', h('tr', h('th', { scope: 'row', colSpan: 3 }, t('outcomesTotal')), h('td.num', kroner(total)), h('td'))) : undefined,
      ),
    ),
  );
}
