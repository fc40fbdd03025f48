// What a statement rests on and how it reconciles (spec 8): the efterregulering
// against the previous statement, and the collapsible "Grundlag" with computedAt and
// the manifest (contract, roster and report versions, seed, runs, prior, code version).

import { h } from '../dom.js';
import { dateTime, integer, kroner, monthName, t } from '../i18n.js';
import { weekName } from './statement-sections.js';

const FIGURES = ['outcomePayments', 'grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'fees', 'net'];

/** A table in a keyboard-reachable scrolling region. */
const scrolling = (label, table) => h('div.table-scroll', { tabindex: '0', role: 'region', 'aria-label': label }, table);

/** The adjustments to earlier months since the previous statement; nothing when the statement has none recorded. */
export function adjustmentsSection(statement) {
  const adjustments = statement.adjustments;
  if (!adjustments) return undefined;
  const title = t('adjustmentsTitle', { month: monthName(adjustments.since) });
  const head = (...cells) => h('thead', h('tr', cells.map(([text, num]) => h(num ? 'th.num' : 'th', { scope: 'col' }, text))));
  return h(
    'section.adjustments',
    { 'aria-labelledby': 'adjustments-title', 'data-testid': 'adjustments' },
    h('h3', { id: 'adjustments-title' }, title),
    h('p.hint', t('adjustmentsIntro')),
    scrolling(title, h('table.data', { 'data-testid': 'adjustment-figures' },
      h('caption.sr-only', title),
      head([t('colFigure')], [t('colAdjustment'), true]),
      h('tbody', FIGURES.map((key) => h('tr', h('th', { scope: 'row' }, t(`fig_${key}`)), h('td.num', { 'data-value': String(adjustments.figures[key]) }, kroner(adjustments.figures[key], { signed: true }))))),
    )),
    adjustments.outcomes.length
      ? scrolling(title, h('table.data', { 'data-testid': 'adjustment-outcomes' },
          h('caption.sr-only', title),
          head([t('colParticipant')], [t('colOutcome')], [t('colWeek')], [t('colStated'), true], [t('colCurrent'), true], [t('colAdjustment'), true]),
          h('tbody', adjustments.outcomes.map((a) => h('tr', h('td.mono', a.participant), h('td', a.label ?? a.outcome), h('td', weekName(a.week)), h('td.num', kroner(a.stated)), h('td.num', kroner(a.current)), h('td.num', kroner(a.amount, { signed: true }))))),
        ))
      : h('p', t('adjustmentsNone')),
  );
}

/** An input version as a phrase: key, version id and sequencer. */
const versionText = (ref) => (ref ? t('basisVersion', ref) : t('basisNone'));

/** "Grundlag": when and from what the statement was computed, folded away below the statement. */
export function basisSection(statement) {
  const m = statement.manifest;
  const title = t('basisTitle');
  if (!m) return h('details.basis', { 'data-testid': 'basis' }, h('summary', title), h('p', t('basisMissing')));
  const reportsTitle = t('basisReports', { n: m.reports.length });
  return h(
    'details.basis',
    { 'data-testid': 'basis' },
    h('summary', title),
    h('p', { 'data-testid': 'computed-at' }, t('basisComputedAt', { at: dateTime(m.computedAt), code: m.codeVersion })),
    h('p', t('basisRuns', { runs: m.runs, seed: m.seed }), m.prior ? [' ', t('basisPriorLine', m.prior)] : undefined),
    h('dl.contract-terms',
      h('div', { 'data-testid': 'basis-contract' }, h('dt', t('basisContract')), h('dd', versionText(m.contract))),
      h('div', { 'data-testid': 'basis-roster' }, h('dt', t('basisRoster')), h('dd', versionText(m.roster))),
    ),
    scrolling(reportsTitle, h('table.data', { 'data-testid': 'basis-reports' },
      h('caption', reportsTitle),
      h('thead', h('tr', [[t('colMonth')], [t('colSource')], [t('colRowsAccepted'), true], [t('colRowsRejected'), true], [t('colVersion')]].map(([text, num]) => h(num ? 'th.num' : 'th', { scope: 'col' }, text)))),
      h('tbody', m.reports.map((r) => h('tr', h('td', monthName(r.month)), h('td', r.source), h('td.num', integer(r.acceptedRows)), h('td.num', integer(r.rejectedRows)), h('td.mono', r.versionId ?? r.sequencer)))),
    )),
  );
}
