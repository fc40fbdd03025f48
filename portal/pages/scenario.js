// What-if scenarios on a statement: the form that reruns it with changed contract
// figures through the API, and while its result is shown the banner and the
// difference to the stored statement.

import * as api from '../api.js';
import { errorBox, h } from '../dom.js';
import { kroner, monthName, signedPoints, t } from '../i18n.js';
import { refresh } from '../router.js';
import { state } from '../store.js';

/** The figures a user may change: contract path, label, input limits. */
const FIELDS = [
  ['benefit.weeklyRate', 'scenarioWeeklyRate', { min: 0, step: 1 }],
  ['deadweight', 'scenarioDeadweight', { min: 0, max: 1, step: 0.01 }],
  ['programmeFee', 'scenarioProgrammeFee', { min: 0, step: 1000 }],
  ['cap', 'scenarioCap', { min: 0, step: 1000 }],
];

/** The scenario last run, if it was for this partnership and month. */
export function scenarioFor(partnership, month) {
  const scenario = state.scenario;
  return scenario?.partnership === partnership && scenario.month === month ? scenario : undefined;
}

/** Says which changes the statement shows, with a way back to the stored one. */
export function scenarioBanner(scenario) {
  return h('div.notice.scenario-banner', { role: 'status', 'data-testid': 'scenario-banner' },
    h('span', t('scenarioShowing', { changes: scenario.description })),
    h('button.link-button', { type: 'button', onclick: () => { state.scenario = undefined; refresh(); } }, t('scenarioReset')),
  );
}

/** The totals the API compares (scenario.ts), in the statement's order. */
const COMPARED = ['outcomePayments', 'municipalSavings', 'attributableSavings', 'fees', 'net'];
const PROJECTED = ['outcomePayments', 'municipalSavings', 'net'];

/** A signed difference cell, coloured by what it does to the municipality (`positive` good for savings and net, bad for payments and fees). */
function differenceCell(key, value, testId) {
  const good = key === 'outcomePayments' || key === 'fees' ? value < 0 : value > 0;
  return h('td.num', { class: value === 0 ? undefined : good ? 'positive' : 'negative', 'data-testid': testId, 'data-value': String(value) }, kroner(value, { signed: true }));
}

/**
 * The scenario's figures beside their difference to the stored statement of the
 * month (same seed and runs, so without changes every difference is 0), and the
 * projection's; says so when there is no stored statement to compare with.
 */
export function scenarioDifference(result) {
  const { baseline, difference } = result;
  const title = h('h3', { id: 'difference-title' }, t('scenarioDifferenceTitle'));
  if (!baseline || !difference) return h('section.scenario-difference', { 'aria-labelledby': 'difference-title', 'data-testid': 'scenario-difference' }, title, h('p.hint', t('scenarioNoBaseline')));
  const projection = difference.projection;
  return h(
    'section.scenario-difference',
    { 'aria-labelledby': 'difference-title', 'data-testid': 'scenario-difference' },
    title,
    h('p.hint', t('scenarioDifferenceIntro', { month: monthName(baseline.asOf), seed: baseline.seed ?? '–', runs: baseline.runs })),
    baseline.samePrior === false ? h('p.hint', { 'data-testid': 'scenario-prior-changed' }, t('scenarioPriorChanged')) : undefined,
    h('div.table-scroll', h(
      'table.data',
      h('caption.sr-only', t('scenarioDifferenceTitle')),
      h('thead', h('tr', h('th', { scope: 'col' }, t('colFigure')), h('th.num', { scope: 'col' }, t('colScenario')), h('th.num', { scope: 'col' }, t('colDifference')))),
      h('tbody', COMPARED.map((key) => h('tr', h('th', { scope: 'row' }, t(`fig_${key}`)), h('td.num', kroner(result.totals[key])), differenceCell(key, difference.totals[key], `difference-${key}`)))),
    )),
    projection ? h('div.table-scroll', h(
      'table.data',
      h('caption', t('differenceProjection')),
      h('thead', h('tr', h('th', { scope: 'col' }, h('span.sr-only', t('colFigure'))), ['p10', 'p50', 'p90'].map((q) => h('th.num', { scope: 'col' }, t(q))))),
      h('tbody', PROJECTED.map((key) => h('tr', h('th', { scope: 'row' }, t(`fig_${key}`)), ['p10', 'p50', 'p90'].map((q) => differenceCell(key, projection[key][q], `difference-projection-${key}-${q}`))))),
    )) : undefined,
    projection ? h('p', { 'data-testid': 'difference-probability' }, t('differenceProbability', { points: signedPoints(projection.probabilityNetNonNegative) })) : undefined,
  );
}

/** The form, filled with the last scenario's values; a run shows its statement in place of the stored one. */
export function scenarioForm(partnership, statement) {
  const previous = state.scenario?.set ?? {};
  const inputs = FIELDS.map(([key, label, limits]) => ({ key, label, input: h('input', { type: 'number', name: key, ...limits, value: key in previous ? String(previous[key]) : undefined, inputMode: 'decimal', 'data-testid': `scenario-${key}` }) }));
  const status = h('div', { role: 'status' });
  const submit = h('button.secondary', { type: 'submit' }, t('scenarioRun'));
  const onsubmit = async (event) => {
    event.preventDefault();
    const set = {};
    for (const { key, input } of inputs) if (input.value !== '') set[key] = Number(input.value);
    if (!Object.keys(set).length) return status.replaceChildren(h('p.hint', t('scenarioNothing')));
    submit.disabled = true;
    status.replaceChildren(h('p.loading', t('scenarioRunning')));
    try {
      const result = await api.runScenario(partnership.partnership, { asOf: statement.asOf, set });
      const description = inputs.filter(({ key }) => key in set).map(({ key, label }) => `${t(label)} = ${set[key]}`).join(', ');
      state.scenario = { partnership: partnership.partnership, month: statement.asOf, statement: result, description, set };
      refresh();
    } catch (error) {
      status.replaceChildren(errorBox(error));
      submit.disabled = false;
    }
  };
  return h(
    'details.scenario',
    { open: state.scenario ? true : undefined },
    h('summary', t('scenarioTitle')),
    h(
      'form',
      { 'data-testid': 'scenario-form', onsubmit },
      h('p.hint', t('scenarioIntro')),
      h('div.form-grid', inputs.map(({ label, input }) => h('label', h('span', t(label)), input))),
      submit,
      status,
    ),
  );
}
