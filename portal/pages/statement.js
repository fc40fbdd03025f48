// The statements page (every role): the partnerships on the left, the chosen
// month's statement on the right, newest month first in the picker.

import * as api from '../api.js';
import { errorBox, h, loading, setMain } from '../dom.js';
import { statementDownloads } from '../downloads.js';
import { integer, monthName, t } from '../i18n.js';
import { remember } from '../partnerships.js';
import { partnershipList } from '../partnership-list.js';
import { go, refresh } from '../router.js';
import { cached, partnershipsPage, state, statementMonthsOf } from '../store.js';
import { scenarioBanner, scenarioComparison, scenarioForm, scenarioOfMonth } from './scenario.js';
import { adjustmentsSection, basisSection } from './statement-basis.js';
import { contractSection, feesDueOf } from './statement-contract.js';
import { chartSection, figures, outcomesTable, probability, warnings } from './statement-sections.js';

/**
 * `#/statements/partnership/month`: without a partnership, the one last looked at
 * (or the only one); a missing or unknown month is the newest. The list beside it
 * is searched, sorted and paged by itself (partnership-list.js).
 */
export async function renderStatements(partnershipId, month, current) {
  if (!partnershipId) {
    if (state.partnership) return go('statements', state.partnership);
    const first = await partnershipsPage({ limit: 2 });
    if (!current()) return;
    if (first.total === 0) return setMain(h('p.empty', { 'data-testid': 'empty' }, t('noPartnerships')));
    if (first.total === 1) return go('statements', first.partnerships[0].partnership);
    return setMain(h('div.layout', partnershipList(undefined), h('section.content', h('p.empty', t('choosePartnership')))));
  }
  const list = partnershipList(partnershipId);
  const content = h('section.content', loading());
  setMain(h('div.layout', list, content));
  // a partnership the user may not see answers 404, like one that does not exist
  const partnership = await statementMonthsOf(partnershipId).catch((error) => {
    if (error?.status !== 404) throw error;
    return undefined;
  });
  if (!current()) return;
  if (!partnership) {
    if (state.partnership === partnershipId) state.partnership = undefined;
    return content.replaceChildren(h('p.empty', t('choosePartnership')));
  }
  remember(partnership);
  const months = [...partnership.months].sort();
  if (!months.length) return content.replaceChildren(h('p.empty', { 'data-testid': 'empty' }, t('noStatements')));
  if (!month || !months.includes(month)) return go('statements', partnership.partnership, months[months.length - 1]);

  const scenario = scenarioOfMonth(partnership.partnership, month);
  // the contract is shown beside the statement; without it the page still shows the statement
  const contract = cached(`/contract/${partnership.partnership}`, () => api.getContract(partnership.partnership)).catch(() => undefined);
  const statement = await cached(`/statements/${partnership.partnership}/${month}`, () => api.getStatement(partnership.partnership, month)).catch((error) => {
    if (current()) content.replaceChildren(errorBox(error, { retry: () => refresh() }));
    throw Object.assign(error, { handled: true });
  });
  const answer = await contract;
  if (!current()) return;
  content.replaceChildren(...statementView(partnership, months, statement, scenario, answer));
}

function monthPicker(partnership, months, month) {
  return h(
    'label.month-picker',
    h('span', t('statementMonth')),
    h(
      'select',
      {
        'data-testid': 'month-picker',
        onchange: (event) => go('statements', partnership.partnership, event.target.value),
      },
      [...months].reverse().map((m) => h('option', { value: m, selected: m === month }, monthName(m))),
    ),
  );
}

/**
 * The stored statement, with its contract (`answer`: the API's, or undefined), and a
 * what-if of the month side by side with it when one was run.
 */
function statementView(partnership, months, statement, scenario, answer) {
  const feesDue = answer?.contract ? feesDueOf(answer.contract) : undefined;
  const header = h(
    'header.statement-header',
    h('div',
      h('h2', { 'data-testid': 'statement-title' }, statement.name),
      h('p.meta', t('asOfLine', { month: monthName(statement.asOf), participants: integer(statement.participants) })),
    ),
    h('div.statement-tools', monthPicker(partnership, months, statement.asOf), statementDownloads(partnership.partnership, statement.asOf)),
  );
  return [
    header,
    scenario ? scenarioBanner(scenario) : undefined,
    scenario ? scenarioComparison(statement, scenario) : undefined,
    warnings(statement),
    figures(statement),
    probability(statement),
    chartSection(statement, { feesDue }),
    outcomesTable(statement),
    adjustmentsSection(statement),
    contractSection(answer),
    basisSection(statement),
    scenarioForm(partnership, statement),
  ].filter(Boolean);
}
