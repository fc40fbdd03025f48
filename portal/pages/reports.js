// Every processed version of a partnership's timesheets, newest first, with
// rows accepted and rejected and the reasons; shown under the upload form.

import * as api from '../api.js';
import { errorBox, h } from '../dom.js';
import { dateTime, integer, language, t } from '../i18n.js';
import { refresh } from '../router.js';
import { cached, state } from '../store.js';
import { reasonTexts } from '../strings-validation.js';

/** Versions listed before "show all". */
const REPORTS_SHOWN = 50;

/** A version with rejected rows, or not accepted at all. */
const hasProblems = (r) => r.rejectedRows > 0 || r.outcome !== 'accepted';

/** Fills `slot` with the report table and `sourcesList` with the sources seen, for the upload form. */
export async function loadReports(partnership, slot, sourcesList, current) {
  let data;
  try {
    data = await cached(`/reports/${partnership.partnership}`, () => api.getReports(partnership.partnership));
  } catch (error) {
    if (current() && error?.status !== 401) slot.replaceChildren(h('h3', { id: 'reports-title' }, t('reportsTitle')), errorBox(error, { retry: () => refresh() }));
    return;
  }
  if (!current()) return;
  // newest first, so an upload just made is on top
  const reports = [...(data.reports ?? [])].sort((a, b) => String(b.processedAt).localeCompare(String(a.processedAt)) || b.month.localeCompare(a.month) || a.source.localeCompare(b.source));
  sourcesList.replaceChildren(...[...new Set(reports.map((r) => r.source))].sort().map((s) => h('option', { value: s })));
  const again = () => loadReports(partnership, slot, sourcesList, current);
  const filter = h('label.checkbox', h('input', { type: 'checkbox', checked: state.reportsOnlyRejected, onchange: (e) => { state.reportsOnlyRejected = e.target.checked; again(); } }), h('span', t('reportsOnlyRejected')));
  const matching = state.reportsOnlyRejected ? reports.filter(hasProblems) : reports;
  const shown = state.reportsShowAll ? matching : matching.slice(0, REPORTS_SHOWN);
  const more =
    matching.length > shown.length
      ? h('button.secondary', { type: 'button', 'data-testid': 'reports-show-all', onclick: () => { state.reportsShowAll = true; again(); } }, t('reportsShowAll', { shown: shown.length, total: matching.length }))
      : undefined;
  // replaceChildren would write an undefined as the text "undefined": only the parts there are
  slot.replaceChildren(
    ...[
      h('h3', { id: 'reports-title' }, t('reportsTitle')),
      reports.length ? filter : undefined,
      reports.length ? h('div.table-scroll', reportsTable(shown)) : h('p.empty', t('reportsEmpty')),
      more,
    ].filter(Boolean),
  );
}

function reportsTable(reports) {
  return h(
    'table.data.reports-table',
    { 'data-testid': 'reports-table' },
    h('caption.sr-only', t('reportsTitle')),
    h('thead', h('tr', ['colMonth', 'colSource', 'colResult', 'colProcessed'].map((c) => h('th', { scope: 'col' }, t(c))), ['colRows', 'colAccepted', 'colRejected'].map((c) => h('th.num', { scope: 'col' }, t(c))), h('th', { scope: 'col' }, t('colReasons')))),
    h('tbody', reports.map(reportRow)),
  );
}

/** One version; one no longer current is dimmed, one with problems marked. */
function reportRow(r) {
  return h(
    'tr',
    { class: [hasProblems(r) ? 'has-problems' : '', r.current ? '' : 'old'].filter(Boolean).join(' ') || undefined },
    h('td', r.month),
    h('td', r.source),
    h('td', h('span.badge', { class: r.outcome === 'accepted' && !r.rejectedRows ? 'badge-ok' : 'badge-warn' }, t(`outcome_${r.outcome}`)), r.current ? [' ', h('span.hint', t('current'))] : r.outcome === 'accepted' ? [' ', h('span.hint', t('notCurrent'))] : undefined),
    h('td', dateTime(r.processedAt)),
    h('td.num', integer(r.rows ?? 0)),
    h('td.num', integer(r.acceptedRows ?? 0)),
    h('td.num', integer(r.rejectedRows ?? 0)),
    h('td', r.reasons?.length ? h('details', h('summary', t('showReasons', { n: r.reasonsTotal ?? r.reasons.length })), h('ul.reasons', reasonTexts(r, language()).map((x) => h('li', x)))) : '–'),
  );
}
