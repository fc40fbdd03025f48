// The read-only sections of a statement, top to bottom: warnings about rejected
// reports, the key figures, the projection's probability, the chart, the outcomes.

import { chartLegend, renderChart, SERIES } from '../chart.js';
import { h } from '../dom.js';
import { kroner, monthName, percent, t } from '../i18n.js';
import { monthOfWeek } from '../weeks.js';

/** The key figures, cumulative and this month's, in the order the statement explains them. */
const FIGURES = ['outcomePayments', 'grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'net'];

/** Reports rejected whole or in part: the statement may miss hours. */
export function warnings(statement) {
  const rejected = statement.rejectedReports ?? [];
  if (!rejected.length) return h('p.ok-note', { 'data-testid': 'warnings', 'data-count': '0' }, t('noWarnings'));
  return h(
    'section.warnings',
    { 'data-testid': 'warnings', 'data-count': String(rejected.length), 'aria-labelledby': 'warnings-title' },
    h('h3', { id: 'warnings-title' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), t('warningsTitle')),
    h(
      'ul',
      rejected.map((r) =>
        h('li', { 'data-key': r.key }, r.outcome === 'rejected' ? t('warningRejectedWhole', { source: r.source, month: monthName(r.month) }) : t('warningRejectedRows', { source: r.source, month: monthName(r.month), n: r.rejectedRows })),
      ),
    ),
    h('p.hint', t('warningsHint')),
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

/** `2022-W39, september 2022`: the projection's last week and its month (spec 3). */
function untilText(projection) {
  const until = monthOfWeek(projection.until);
  return until ? `${projection.until}, ${monthName(until)}` : projection.until;
}

/** The chance the net result ends non-negative, and the projection's P10/P50/P90 at the contract's end. */
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
        h('p.hint', t('probabilityRuns', { runs: projection.runs, seed: projection.seed })),
        // what the projection rests on (statements stored before it have no basis: nothing is said)
        projection.basis ? h('p.basis', { 'data-testid': 'projection-basis' }, t('projectionBasis', projection.basis)) : undefined,
      ),
    ),
    h('div.table-scroll', h(
      'table.data.projection-table',
      { 'data-testid': 'projection-table' },
      h('caption', t('projectionTitle'), ` (${untilText(projection)})`),
      h('thead', h('tr', h('th', { scope: 'col' }, h('span.sr-only', t('figuresTitle'))), ['p10', 'p50', 'p90'].map((q) => h('th.num', { scope: 'col' }, t(q))))),
      h(
        'tbody',
        ['outcomePayments', 'municipalSavings', 'net'].map((key) => h('tr', h('th', { scope: 'row' }, t(`fig_${key}`)), ['p10', 'p50', 'p90'].map((q) => h('td.num', kroner(projection[key][q]))))),
      ),
    )),
  );
}

/** The chart's figures as table rows: one a month, then the projected months (or the end) as P10–P90 bands. */
function chartRows(statement) {
  const band = (b) => h('td.num.band-cell', h('span', `${kroner(b.p10)} –`), h('span', kroner(b.p90)), h('span.median', `P50 ${kroner(b.p50)}`));
  const projected = (label, figures) => h('tr.projected', h('th', { scope: 'row' }, `${label} (${t('chartTableProjected')})`), SERIES.map((s) => band(figures[s.key])), h('td.num', '–'), band(figures.net));
  const rows = (statement.byMonth ?? []).map((row) =>
    h('tr', h('th', { scope: 'row' }, monthName(row.month)), SERIES.map((s) => h('td.num', kroner(row[s.key]))), h('td.num', kroner(row.attributableSavings)), h('td.num', kroner(row.net))),
  );
  const projection = statement.projection;
  if (projection?.byMonth?.length) {
    for (const row of projection.byMonth) rows.push(projected(monthName(row.month), row));
  } else if (projection) {
    const until = monthOfWeek(projection.until);
    rows.push(projected(until ? monthName(until) : projection.until, projection));
  }
  return rows;
}

/** The chart, and its figures as a table for screen readers and for copying. */
export function chartSection(statement) {
  const svg = renderChart(statement);
  if (!svg) return undefined;
  return h(
    'section.chart-section',
    { 'aria-labelledby': 'chart-heading' },
    h('h3', { id: 'chart-heading' }, t('chartTitle')),
    chartLegend(statement),
    h('div.chart-wrap', svg),
    h(
      'details.chart-table',
      h('summary', t('chartTableToggle')),
      h(
        'div.table-scroll',
        h(
          'table.data',
          { 'data-testid': 'chart-table' },
          h('caption.sr-only', t('chartTitle')),
          h('thead', h('tr', h('th', { scope: 'col' }, t('chartTableMonth')), SERIES.map((s) => h('th.num', { scope: 'col' }, t(`fig_${s.key}`))), h('th.num', { scope: 'col' }, t('fig_attributableSavings')), h('th.num', { scope: 'col' }, t('fig_net')))),
          h('tbody', chartRows(statement)),
        ),
      ),
    ),
  );
}

/** Every outcome paid so far, this month's marked. */
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
      h('td', o.outcome, recent ? h('span.tag', t('thisMonthMark')) : undefined),
      h('td.mono', o.week),
      h('td.num', kroner(o.amount)),
    );
  };
  return h(
    'section.outcomes',
    { 'aria-labelledby': 'outcomes-title' },
    h('h3', { id: 'outcomes-title' }, t('outcomesTitle')),
    outcomes.length ? h('p.hint', t('outcomesIntro')) : undefined,
    h(
      'div.table-scroll',
      h(
        'table.data',
        { 'data-testid': 'outcomes-table', 'data-rows': String(outcomes.length) },
        h('caption.sr-only', t('outcomesTitle')),
        h('thead', h('tr', h('th', { scope: 'col' }, t('colParticipant')), h('th', { scope: 'col' }, t('colOutcome')), h('th', { scope: 'col' }, t('colWeek')), h('th.num', { scope: 'col' }, t('colAmount')))),
        h('tbody', outcomes.length ? outcomes.map(row) : h('tr', h('td.empty', { colSpan: 4 }, t('outcomesEmpty')))),
        outcomes.length ? h('tfoot', h('tr', h('th', { scope: 'row', colSpan: 3 }, t('outcomesTotal')), h('td.num', kroner(total)))) : undefined,
      ),
    ),
  );
}
