// What-if scenarios on a statement: the form that reruns it with changed contract
// figures through the API, and while its result is shown the banner and the
// difference to the stored statement.

import * as api from '../api.js';
import { errorBox, h } from '../dom.js';
import { kroner, monthName, percent, signedPoints, t } from '../i18n.js';
import { refresh } from '../router.js';
import { state } from '../store.js';
import { numberField, readNumberField, writeNumber } from '../number-field.js';

/** The figures a user may change: contract path, label, limits (number-field.js; `share`: asked as a percentage). */
const FIELDS = [
  ['benefit.weeklyRate', 'scenarioWeeklyRate', { min: 0 }],
  ['deadweight', 'scenarioDeadweight', { min: 0, max: 1, share: true }],
  ['programmeFee', 'scenarioProgrammeFee', { min: 0 }],
  ['cap', 'scenarioCap', { min: 0 }],
];

/**
 * The scenario last run if it was for this partnership and month; a scenario of
 * another month is forgotten, so the form starts empty whenever the month changes.
 */
export function scenarioOfMonth(partnership, month) {
  const scenario = state.scenario;
  if (scenario?.partnership === partnership && scenario.month === month) return scenario;
  state.scenario = undefined;
  return undefined;
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

/** One row of the side-by-side table: the statement's value, the scenario's, and the API's difference. */
function comparisonRow(label, key, stated, scenario, difference, testId) {
  return h('tr', h('th', { scope: 'row' }, label), h('td.num', kroner(stated)), h('td.num', kroner(scenario)), difference === undefined ? h('td.num', '–') : differenceCell(key, difference, testId));
}

/**
 * The scenario beside the stored statement of the month (same seed and runs, so
 * without changes every difference is 0): totals, the projection's percentiles and
 * the probability, each with the difference the API computed.
 */
export function scenarioComparison(statement, scenario) {
  const { baseline, difference } = scenario.statement;
  const result = scenario.statement;
  const title = t('scenarioComparisonTitle');
  const projected = statement.projection && result.projection;
  const rows = [
    ...COMPARED.map((key) => comparisonRow(t(`fig_${key}`), key, statement.totals[key], result.totals[key], difference?.totals[key], `difference-${key}`)),
    ...(projected
      ? PROJECTED.flatMap((key) => ['p10', 'p50', 'p90'].map((q) =>
          comparisonRow(t('scenarioProjectionRow', { figure: t(`fig_${key}`), q: q.toUpperCase() }), key, statement.projection[key][q], result.projection[key][q], difference?.projection?.[key][q], `difference-projection-${key}-${q}`)))
      : []),
  ];
  const probability = projected
    ? h('tr', h('th', { scope: 'row' }, t('scenarioProbabilityRow')), h('td.num', percent(statement.projection.probabilityNetNonNegative)), h('td.num', percent(result.projection.probabilityNetNonNegative)),
        h('td.num', { 'data-testid': 'difference-probability' }, difference?.projection ? t('differencePoints', { points: signedPoints(difference.projection.probabilityNetNonNegative) }) : '–'))
    : undefined;
  return h(
    'section.scenario-difference',
    { 'aria-labelledby': 'difference-title', 'data-testid': 'scenario-difference' },
    h('h3', { id: 'difference-title' }, t('scenarioDifferenceTitle')),
    baseline ? h('p.hint', t('scenarioDifferenceIntro', { month: monthName(baseline.asOf), seed: baseline.seed ?? '–', runs: baseline.runs })) : h('p.hint', t('scenarioNoBaseline')),
    baseline?.samePrior === false ? h('p.hint', { 'data-testid': 'scenario-prior-changed' }, t('scenarioPriorChanged')) : undefined,
    h('div.table-scroll', { tabindex: '0', role: 'region', 'aria-label': title }, h(
      'table.data.side-by-side',
      h('caption.sr-only', title),
      h('thead', h('tr', h('th', { scope: 'col' }, t('colFigure')), h('th.num', { scope: 'col' }, t('colStatement')), h('th.num', { scope: 'col' }, t('colScenario')), h('th.num', { scope: 'col' }, t('colDifference')))),
      h('tbody', rows, probability),
    )),
  );
}

/** The form, filled with the last scenario's values; a run shows its statement in place of the stored one. */
export function scenarioForm(partnership, statement) {
  const current = scenarioOfMonth(partnership.partnership, statement.asOf);
  const previous = current?.set ?? {};
  const inputs = FIELDS.map(([key, label, limits]) => ({ key, label, limits, field: numberField({ id: `scenario-${key}`, name: key, share: limits.share, value: previous[key], 'data-testid': `scenario-${key}` }) }));
  const status = h('div', { role: 'status' });
  const submit = h('button.secondary', { type: 'submit' }, t('scenarioRun'));
  const onsubmit = async (event) => {
    event.preventDefault();
    const set = {};
    for (const { key, limits, field } of inputs) {
      const value = readNumberField(field, { ...limits, optional: true }); // Danish notation; a refused text says why
      if (value === undefined && field.input.value.trim() !== '') return;
      if (value !== undefined) set[key] = value;
    }
    if (!Object.keys(set).length) return status.replaceChildren(h('p.hint', t('scenarioNothing')));
    submit.disabled = true;
    status.replaceChildren(h('p.loading', t('scenarioRunning')));
    try {
      const result = await api.runScenario(partnership.partnership, { asOf: statement.asOf, set });
      const description = inputs.filter(({ key }) => key in set).map(({ key, label, limits }) => `${t(label)} = ${writeNumber(set[key], limits)}`).join(', ');
      state.scenario = { partnership: partnership.partnership, month: statement.asOf, statement: result, description, set };
      refresh();
    } catch (error) {
      status.replaceChildren(errorBox(error));
      submit.disabled = false;
    }
  };
  return h(
    'details.scenario',
    { open: current ? true : undefined },
    h('summary', t('scenarioTitle')),
    h(
      'form',
      { 'data-testid': 'scenario-form', onsubmit },
      h('p.hint', t('scenarioIntro')),
      h('div.form-grid', inputs.map(({ key, label, field }) => h('div.field', h('label', { htmlFor: `scenario-${key}` }, t(label)), field.input, field.error))),
      submit,
      status,
    ),
  );
}
