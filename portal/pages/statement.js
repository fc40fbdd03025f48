// The statements page (every role): the partnerships on the left, the chosen
// month's statement on the right, newest month first in the picker.

import * as api from '../api.js';
import { errorBox, h, loading, setMain } from '../dom.js';
import { integer, monthName, t } from '../i18n.js';
import { remember } from '../partnerships.js';
import { go, hrefOf, refresh } from '../router.js';
import { cached, listPartnerships, state } from '../store.js';
import { scenarioBanner, scenarioDifference, scenarioForm, scenarioFor } from './scenario.js';
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
  const scenario = scenarioFor(partnership.partnership, month);
  const statement = scenario?.statement ?? (await cached(`/statements/${partnership.partnership}/${month}`, () => api.getStatement(partnership.partnership, month)).catch((error) => {
    if (current()) content.replaceChildren(errorBox(error, { retry: () => refresh() }));
    throw Object.assign(error, { handled: true });
  }));
  if (!current()) return;
  content.replaceChildren(...statementView(partnership, months, statement, scenario));
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

/** Downloads the stored statement's CSV (a fetch with the token, saved through a Blob). */
function csvButton(partnership, month) {
  const status = h('span.sr-only', { role: 'status' });
  const button = h(
    'button.secondary',
    {
      type: 'button',
      'data-testid': 'csv-download',
      onclick: async () => {
        button.disabled = true;
        status.textContent = t('downloading');
        try {
          await api.downloadStatementCsv(partnership.partnership, month);
          status.textContent = '';
        } catch (error) {
          button.after(errorBox(error));
        } finally {
          button.disabled = false;
        }
      },
    },
    '⤓ ',
    t('downloadCsv'),
  );
  return h('span', button, status);
}

/** A statement, stored or a what-if scenario's (which has no CSV to download). */
function statementView(partnership, months, statement, scenario) {
  const header = h(
    'header.statement-header',
    h('div',
      h('h2', { 'data-testid': 'statement-title' }, statement.name),
      h('p.meta', t('asOfLine', { month: monthName(statement.asOf), participants: integer(statement.participants) })),
    ),
    h('div.statement-tools', monthPicker(partnership, months, statement.asOf), scenario ? undefined : csvButton(partnership, statement.asOf)),
  );
  return [
    header,
    scenario ? scenarioBanner(scenario) : undefined,
    scenario ? scenarioDifference(statement) : undefined,
    warnings(statement),
    figures(statement),
    probability(statement),
    chartSection(statement),
    outcomesTable(statement),
    scenarioForm(partnership, statement),
  ].filter(Boolean);
}
