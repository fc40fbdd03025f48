// What-if scenarios on a statement: the form that reruns it with changed contract
// figures through the API, and the banner while its result is shown.

import * as api from '../api.js';
import { errorBox, h } from '../dom.js';
import { t } from '../i18n.js';
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
