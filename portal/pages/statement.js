// The statements page (every role): the partnerships on the left, the chosen
// month's statement on the right, newest month first in the picker.

import * as api from '../api.js';
import { errorBox, h, loading, setMain } from '../dom.js';
import { statementDownloads } from '../downloads.js';
import { integer, monthName, t } from '../i18n.js';
import { remember } from '../partnerships.js';
import { go, hrefOf, refresh } from '../router.js';
import { cached, listPartnerships, state } from '../store.js';
import { scenarioBanner, scenarioComparison, scenarioForm, scenarioOfMonth } from './scenario.js';
import { adjustmentsSection, basisSection } from './statement-basis.js';
import { contractSection, feesDueOf } from './statement-contract.js';
import { chartSection, figures, outcomesTable, probability, warnings } from './statement-sections.js';

/**
 * `#/statements/partnership/month`: a missing partnership is the only one or the one
 * last looked at, a missing or unknown month the newest.
 */
export async function renderStatements(partnershipId, month, current) {
  const { partnerships } = await listPartnerships();
  if (!current()) return;
  if (!partnerships.length) return setMain(h('p.empty', { 'data-testid': 'empty' }, t('noPartnerships')));
  if (!partnershipId && partnerships.length === 1) return go('statements', partnerships[0].partnership);
  const partnership = partnerships.find((p) => p.partnership === partnershipId);
  const list = partnershipList(partnerships, partnership?.partnership);
  if (!partnership) {
    if (!partnershipId && partnerships.some((p) => p.partnership === state.partnership)) return go('statements', state.partnership);
    return setMain(h('div.layout', list, h('section.content', h('p.empty', t('choosePartnership')))));
  }
  remember(partnership);
  const months = [...partnership.statementMonths].sort();
  if (!months.length) return setMain(h('div.layout', list, h('section.content', h('p.empty', { 'data-testid': 'empty' }, t('noStatements')))));
  if (!month || !months.includes(month)) return go('statements', partnership.partnership, months[months.length - 1]);

  const content = h('section.content', loading());
  setMain(h('div.layout', list, content));
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

function partnershipList(partnerships, selected) {
  return h(
    'nav.partnerships',
    { 'aria-label': t('partnerships') },
    h('h2.section-title', t('partnerships')),
    h(
      'ul',
      { 'data-testid': 'partnership-list' },
      partnerships.map((p) =>
        h(
          'li',
          h(
            'a',
            { href: hrefOf('statements', p.partnership), 'aria-current': p.partnership === selected ? 'page' : undefined, 'data-partnership': p.partnership },
            h('span.name', p.name),
            h('span.meta', `${p.municipality} · ${t('statementMonthsCount', { n: p.statementMonths.length })}`),
          ),
        ),
      ),
    ),
  );
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
