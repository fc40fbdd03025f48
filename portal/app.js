// The portal: sign-in, municipality statements, and the project holder's weekly
// hours and timesheet uploads. Plain ES modules, no framework; a small hash router.

import * as api from './api.js';
import { chartLegend, renderChart, SERIES } from './chart.js';
import { dateTime, hours, integer, kroner, language, monthName, monthOfWeek, percent, setLanguage, t } from './i18n.js';

const MUNICIPALITIES = ['Køge', 'Odsherred', 'Stevns', 'Holbæk'];
const FIGURES = ['outcomePayments', 'grossBenefitSavings', 'municipalSavings', 'attributableSavings', 'net'];
const DEFAULT_THRESHOLD = 15;
const REPORTS_SHOWN = 50;

const main = document.getElementById('main');
const nav = document.getElementById('nav');

/** GET results by path, so switching language or going back does not refetch. */
const cache = new Map();
const state = {
  notice: undefined,
  hours: { threshold: DEFAULT_THRESHOLD, weeks: 8, onlyBelow: false },
  reportsOnlyRejected: false,
  reportsShowAll: false,
  upload: undefined,
  scenario: undefined,
  /** The partnership last looked at, kept when switching pages. */
  partnership: undefined,
};
let renderId = 0;

// ---------------------------------------------------------------- DOM helpers

/** h('p.note', { 'data-testid': 'x' }, 'text', child): an element; strings become text nodes. */
function h(spec, attributes = {}, ...children) {
  if (typeof attributes !== 'object' || attributes === null || attributes instanceof Node || Array.isArray(attributes)) {
    children.unshift(attributes);
    attributes = {};
  }
  const [tag, ...classes] = spec.split('.');
  const node = document.createElement(tag || 'div');
  if (classes.length) node.className = classes.join(' ');
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === false || value === null) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = [node.className, value].filter(Boolean).join(' ');
    else if (key in node && !key.includes('-') && key !== 'list' && key !== 'form') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const srOnly = (text) => h('span.sr-only', text);

function setMain(...children) {
  main.replaceChildren(...children);
}

function loading() {
  return h('p.loading', { role: 'status', 'data-testid': 'loading' }, t('loading'));
}

/** The API's message (and problems), for any failed request. */
function errorBox(error, { retry } = {}) {
  const message =
    error?.status === 0 && !error.message
      ? t('errorNetwork')
      : error?.kind === 'put'
        ? t('uploadPutFailed', { status: error.status })
        : error?.message || t('errorStatus', { status: error?.status ?? '?' });
  return h(
    'div.error',
    { role: 'alert', 'data-testid': 'error' },
    h('strong', error?.status === 403 ? t('forbidden') : t('errorTitle')),
    h('p.error-message', message),
    error?.problems?.length ? h('ul', error.problems.map((p) => h('li', p))) : undefined,
    retry ? h('button.secondary', { type: 'button', onclick: retry }, t('retry')) : undefined,
  );
}

async function cached(path, load) {
  if (!cache.has(path)) {
    const promise = load();
    cache.set(path, promise);
    promise.catch(() => cache.delete(path));
  }
  return cache.get(path);
}

// ---------------------------------------------------------------- routing

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] ?? '', args: parts.slice(1) };
}

export function go(...parts) {
  const hash = `#/${parts.filter(Boolean).map(encodeURIComponent).join('/')}`;
  if (location.hash === hash) render();
  else location.hash = hash;
}

function renderChrome() {
  document.documentElement.lang = language();
  document.title = t('appTitle');
  document.getElementById('app-title').textContent = t('appTitle');
  document.getElementById('app-subtitle').textContent = t('appSubtitle');
  document.querySelector('.skip-link').textContent = t('skipToContent');
  const langButton = document.getElementById('lang-switch');
  langButton.textContent = t('switchLanguage');
  langButton.lang = language() === 'da' ? 'en' : 'da';
  langButton.setAttribute('aria-label', t('switchLanguageLabel'));
  const session = api.getSession();
  const signOutButton = document.getElementById('sign-out');
  signOutButton.hidden = !session;
  signOutButton.textContent = t('signOut');
  document.getElementById('who').textContent = session
    ? t('signedInAs', { who: session.role === 'holder' ? t('holder') : session.municipality ? t('municipalityOf', { name: session.municipality }) : t('roleMunicipality') })
    : '';

  const { page } = route();
  const tabs = session?.role === 'holder' ? [['hours', 'navHours'], ['upload', 'navUpload'], ['statements', 'navStatements']] : [];
  nav.hidden = tabs.length === 0;
  nav.replaceChildren(
    ...tabs.map(([name, label]) =>
      h('a', { href: `#/${name}${state.partnership ? `/${encodeURIComponent(state.partnership)}` : ''}`, 'aria-current': page === name ? 'page' : undefined, 'data-testid': `nav-${name}` }, t(label)),
    ),
  );
  nav.setAttribute('aria-label', t('mainMenu'));
}

async function render() {
  const id = ++renderId;
  const current = () => id === renderId;
  renderChrome();
  const session = api.getSession();
  if (!session) return renderSignIn();
  const { page, args } = route();
  try {
    if (page === 'hours' && session.role === 'holder') return await renderHours(args[0], current);
    if (page === 'upload' && session.role === 'holder') return await renderUpload(args[0], current);
    if (page === 'statements' || page === '' || session.role !== 'holder') {
      if (page === '' && session.role === 'holder') return go('hours');
      return await renderStatements(page === 'statements' ? args[0] : undefined, page === 'statements' ? args[1] : undefined, current);
    }
    return go(session.role === 'holder' ? 'hours' : 'statements');
  } catch (error) {
    if (!current()) return;
    if (error?.status === 401 || error?.handled) return;
    setMain(errorBox(error, { retry: () => render() }));
  }
}

// ---------------------------------------------------------------- sign-in

function renderSignIn() {
  const config = api.getConfig();
  const notice = state.notice ? h('p.notice', { role: 'status', 'data-testid': 'notice' }, state.notice) : undefined;
  if (config?.auth === 'cognito') {
    setMain(
      h('section.card.sign-in', { 'aria-labelledby': 'sign-in-title' },
        h('h2', { id: 'sign-in-title' }, t('signInTitle')),
        notice,
        h('p', t('signInCognitoIntro')),
        h('button.primary', { type: 'button', 'data-testid': 'sign-in-cognito', onclick: () => api.signInCognito().catch((e) => setMain(errorBox(e))) }, t('signInCognito')),
      ),
    );
    return;
  }

  const errorSlot = h('div');
  const holderRadio = h('input', { type: 'radio', name: 'role', value: 'holder', id: 'role-holder', 'data-testid': 'role-holder' });
  const municipalityRadio = h('input', { type: 'radio', name: 'role', value: 'municipality', id: 'role-municipality', checked: true, 'data-testid': 'role-municipality' });
  const municipalityInput = h('input', {
    type: 'text',
    id: 'municipality-name',
    name: 'municipality',
    list: 'municipalities',
    value: MUNICIPALITIES[0],
    autocomplete: 'off',
    'data-testid': 'municipality-input',
    oninput: () => (municipalityRadio.checked = true),
    onfocus: () => (municipalityRadio.checked = true),
  });
  const submit = h('button.primary', { type: 'submit', 'data-testid': 'sign-in' }, t('signInAction'));
  const form = h(
    'form.card.sign-in',
    {
      'data-testid': 'role-picker',
      'aria-labelledby': 'sign-in-title',
      onsubmit: async (event) => {
        event.preventDefault();
        const role = holderRadio.checked ? 'holder' : 'municipality';
        const municipality = municipalityInput.value.trim();
        if (role === 'municipality' && !municipality) {
          municipalityInput.focus();
          return;
        }
        submit.disabled = true;
        errorSlot.replaceChildren();
        try {
          await api.signInDev(role, municipality);
          state.notice = undefined;
          cache.clear();
          go(role === 'holder' ? 'hours' : 'statements');
        } catch (error) {
          errorSlot.replaceChildren(errorBox(error));
          submit.disabled = false;
        }
      },
    },
    h('h2', { id: 'sign-in-title' }, t('signInTitle')),
    notice,
    h('p', t('signInIntro')),
    h('fieldset.roles',
      h('legend.sr-only', t('signInTitle')),
      h('div.role-option',
        holderRadio,
        h('label', { htmlFor: 'role-holder' }, h('strong', t('roleHolder')), h('span.hint', t('roleHolderHint'))),
      ),
      h('div.role-option',
        municipalityRadio,
        h('label', { htmlFor: 'role-municipality' }, h('strong', t('roleMunicipality')), h('span.hint', t('roleMunicipalityHint'))),
        h('div.role-extra',
          h('label', { htmlFor: 'municipality-name' }, t('municipalityName')),
          municipalityInput,
          h('datalist', { id: 'municipalities' }, MUNICIPALITIES.map((name) => h('option', { value: name }))),
        ),
      ),
    ),
    submit,
    errorSlot,
  );
  setMain(form);
}

// ---------------------------------------------------------------- statements

const partnershipsPromise = () => cached('/partnerships', () => api.listPartnerships());

function partnershipList(partnerships, selected, page) {
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
            { href: `#/${page}/${encodeURIComponent(p.partnership)}`, 'aria-current': p.partnership === selected ? 'page' : undefined, 'data-partnership': p.partnership },
            h('span.name', p.name),
            h('span.meta', `${p.municipality} · ${t('statementMonthsCount', { n: p.statementMonths.length })}`),
          ),
        ),
      ),
    ),
  );
}

async function renderStatements(partnershipId, month, current) {
  const { partnerships } = await partnershipsPromise();
  if (!current()) return;
  if (!partnerships.length) return setMain(h('p.empty', { 'data-testid': 'empty' }, t('noPartnerships')));
  if (!partnershipId && partnerships.length === 1) return go('statements', partnerships[0].partnership);
  const partnership = partnerships.find((p) => p.partnership === partnershipId);
  const list = partnershipList(partnerships, partnership?.partnership, 'statements');
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
  const scenario = state.scenario?.partnership === partnership.partnership && state.scenario.month === month ? state.scenario : undefined;
  const statement = scenario?.statement ?? (await cached(`/statements/${partnership.partnership}/${month}`, () => api.getStatement(partnership.partnership, month)).catch((error) => {
    if (current()) content.replaceChildren(errorBox(error, { retry: () => render() }));
    throw Object.assign(error, { handled: true });
  }));
  if (!current()) return;
  content.replaceChildren(...statementView(partnership, months, statement, scenario));
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

function statementView(partnership, months, statement, scenario) {
  const header = h(
    'header.statement-header',
    h('div',
      h('h2', { 'data-testid': 'statement-title' }, statement.name),
      h('p.meta', t('asOfLine', { month: monthName(statement.asOf), participants: integer(statement.participants) })),
    ),
    h('div.statement-tools', monthPicker(partnership, months, statement.asOf), scenario ? undefined : csvButton(partnership, statement.asOf)),
  );
  const scenarioBanner = scenario
    ? h('div.notice.scenario-banner', { role: 'status', 'data-testid': 'scenario-banner' },
        h('span', t('scenarioShowing', { changes: scenario.description })),
        h('button.link-button', { type: 'button', onclick: () => { state.scenario = undefined; render(); } }, t('scenarioReset')),
      )
    : undefined;
  return [
    header,
    scenarioBanner,
    warnings(statement),
    figures(statement),
    probability(statement),
    chartSection(statement),
    outcomesTable(statement),
    scenarioForm(partnership, statement),
  ].filter(Boolean);
}

function warnings(statement) {
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

function figures(statement) {
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

function probability(statement) {
  const projection = statement.projection;
  if (!projection) return h('p.empty', { 'data-testid': 'probability', 'data-value': '' }, t('noProjection'));
  const until = monthOfWeek(projection.until);
  const untilText = until ? `${projection.until}, ${monthName(until)}` : projection.until;
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
        h('p', t('probabilityText', { until: untilText })),
        h('p.hint', t('probabilityRuns', { runs: projection.runs, seed: projection.seed })),
      ),
    ),
    h('div.table-scroll', h(
      'table.data.projection-table',
      { 'data-testid': 'projection-table' },
      h('caption', t('projectionTitle'), ` (${untilText})`),
      h('thead', h('tr', h('th', { scope: 'col' }, h('span.sr-only', t('figuresTitle'))), ['p10', 'p50', 'p90'].map((q) => h('th.num', { scope: 'col' }, t(q))))),
      h(
        'tbody',
        ['outcomePayments', 'municipalSavings', 'net'].map((key) => h('tr', h('th', { scope: 'row' }, t(`fig_${key}`)), ['p10', 'p50', 'p90'].map((q) => h('td.num', kroner(projection[key][q]))))),
      ),
    )),
  );
}

function chartSection(statement) {
  const svg = renderChart(statement);
  if (!svg) return undefined;
  const band = (b) => h('td.num.band-cell', h('span', `${kroner(b.p10)} –`), h('span', kroner(b.p90)), h('span.median', `P50 ${kroner(b.p50)}`));
  const rows = [
    ...(statement.byMonth ?? []).map((row) =>
      h('tr', h('th', { scope: 'row' }, monthName(row.month)), SERIES.map((s) => h('td.num', kroner(row[s.key]))), h('td.num', kroner(row.attributableSavings)), h('td.num', kroner(row.net))),
    ),
  ];
  const projection = statement.projection;
  if (projection?.byMonth?.length) {
    for (const row of projection.byMonth) {
      rows.push(h('tr.projected', h('th', { scope: 'row' }, `${monthName(row.month)} (${t('chartTableProjected')})`), SERIES.map((s) => band(row[s.key])), h('td.num', '–'), band(row.net)));
    }
  } else if (projection) {
    const until = monthOfWeek(projection.until);
    rows.push(h('tr.projected', h('th', { scope: 'row' }, `${until ? monthName(until) : projection.until} (${t('chartTableProjected')})`), SERIES.map((s) => band(projection[s.key])), h('td.num', '–'), band(projection.net)));
  }
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
          h('tbody', rows),
        ),
      ),
    ),
  );
}

function outcomesTable(statement) {
  const outcomes = statement.outcomes ?? [];
  const thisMonth = new Set((statement.month?.outcomes ?? []).map((o) => `${o.participant}|${o.outcome}|${o.week}`));
  const total = outcomes.reduce((sum, o) => sum + o.amount, 0);
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
        h(
          'tbody',
          outcomes.length
            ? outcomes.map((o) => {
                const recent = thisMonth.has(`${o.participant}|${o.outcome}|${o.week}`);
                return h(
                  'tr',
                  { class: recent ? 'this-month' : undefined },
                  h('td.mono', o.participant),
                  h('td', o.outcome, recent ? h('span.tag', t('thisMonthMark')) : undefined),
                  h('td.mono', o.week),
                  h('td.num', kroner(o.amount)),
                );
              })
            : h('tr', h('td.empty', { colSpan: 4 }, t('outcomesEmpty'))),
        ),
        outcomes.length ? h('tfoot', h('tr', h('th', { scope: 'row', colSpan: 3 }, t('outcomesTotal')), h('td.num', kroner(total)))) : undefined,
      ),
    ),
  );
}

function scenarioForm(partnership, statement) {
  const fields = [
    ['benefit.weeklyRate', 'scenarioWeeklyRate', { min: 0, step: 1 }],
    ['deadweight', 'scenarioDeadweight', { min: 0, max: 1, step: 0.01 }],
    ['programmeFee', 'scenarioProgrammeFee', { min: 0, step: 1000 }],
    ['cap', 'scenarioCap', { min: 0, step: 1000 }],
  ];
  const previous = state.scenario?.set ?? {};
  const inputs = fields.map(([key, label, limits]) => ({ key, label, input: h('input', { type: 'number', name: key, ...limits, value: key in previous ? String(previous[key]) : undefined, inputMode: 'decimal', 'data-testid': `scenario-${key}` }) }));
  const status = h('div', { role: 'status' });
  const submit = h('button.secondary', { type: 'submit' }, t('scenarioRun'));
  return h(
    'details.scenario',
    { open: state.scenario ? true : undefined },
    h('summary', t('scenarioTitle')),
    h(
      'form',
      {
        'data-testid': 'scenario-form',
        onsubmit: async (event) => {
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
            render();
          } catch (error) {
            status.replaceChildren(errorBox(error));
            submit.disabled = false;
          }
        },
      },
      h('p.hint', t('scenarioIntro')),
      h('div.form-grid', inputs.map(({ label, input }) => h('label', h('span', t(label)), input))),
      submit,
      status,
    ),
  );
}

// ---------------------------------------------------------------- holder: weekly hours

function remember(partnership) {
  if (state.partnership === partnership.partnership) return;
  state.partnership = partnership.partnership;
  renderChrome();
}

const remembered = (partnerships) => (partnerships.find((p) => p.partnership === state.partnership) ?? partnerships[0]).partnership;

function partnershipSelect(partnerships, selected, onchange, attributes = {}) {
  return h(
    'select',
    { onchange: (event) => onchange(event.target.value), ...attributes },
    partnerships.map((p) => h('option', { value: p.partnership, selected: p.partnership === selected }, p.name.includes(p.municipality) ? p.name : `${p.name} (${p.municipality})`)),
  );
}

async function renderHours(partnershipId, current) {
  const { partnerships } = await partnershipsPromise();
  if (!current()) return;
  if (!partnerships.length) return setMain(h('p.empty', { 'data-testid': 'empty' }, t('noPartnerships')));
  const partnership = partnerships.find((p) => p.partnership === partnershipId);
  if (!partnership) return go('hours', remembered(partnerships));
  remember(partnership);
  const options = state.hours;

  const thresholdInput = h('input', { type: 'number', id: 'threshold', min: 0, max: 168, step: 0.5, value: String(options.threshold), 'data-testid': 'threshold', inputMode: 'decimal' });
  const weeksSelect = h(
    'select',
    { id: 'weeks-shown', 'data-testid': 'weeks-shown', onchange: (e) => { options.weeks = Number(e.target.value); render(); } },
    [4, 8, 13, 26, 0].map((n) => h('option', { value: String(n), selected: n === options.weeks }, n ? String(n) : t('weeksAll'))),
  );
  const onlyBelow = h('input', { type: 'checkbox', id: 'only-below', checked: options.onlyBelow, 'data-testid': 'only-below', onchange: (e) => { options.onlyBelow = e.target.checked; render(); } });
  const controls = h(
    'form.controls',
    {
      'data-testid': 'hours-controls',
      onsubmit: (event) => {
        event.preventDefault();
        const value = Number(thresholdInput.value.replace(',', '.'));
        if (Number.isFinite(value) && value >= 0) options.threshold = value;
        render();
      },
    },
    h('label', h('span', t('partnership')), partnershipSelect(partnerships, partnership.partnership, (id) => go('hours', id), { 'data-testid': 'hours-partnership' })),
    h('label', { htmlFor: 'threshold' }, h('span', t('threshold')), thresholdInput),
    h('label', { htmlFor: 'weeks-shown' }, h('span', t('weeksShown')), weeksSelect),
    h('label.checkbox', { htmlFor: 'only-below' }, onlyBelow, h('span', t('onlyBelow'))),
    h('button.secondary', { type: 'submit', 'data-testid': 'hours-update' }, t('update')),
  );
  thresholdInput.addEventListener('change', () => controls.requestSubmit());

  const content = h('div', loading());
  setMain(
    h('section.hours-page', { 'aria-labelledby': 'hours-title' },
      h('h2', { id: 'hours-title' }, t('hoursTitle')),
      h('p.hint', t('hoursIntro')),
      controls,
      content,
    ),
  );
  const path = `/hours/${partnership.partnership}?threshold=${options.threshold}`;
  let data;
  try {
    data = await cached(path, () => api.getHours(partnership.partnership, { threshold: options.threshold }));
  } catch (error) {
    if (current() && error?.status !== 401) content.replaceChildren(errorBox(error, { retry: () => render() }));
    return;
  }
  if (!current()) return;
  content.replaceChildren(...hoursView(data, options));
}

function hoursView(data, options) {
  if (!data.participants?.length && !data.weeks?.length) return [h('p.empty', { 'data-testid': 'hours-empty' }, t('hoursEmpty'))];
  const threshold = data.threshold ?? options.threshold;
  const allWeeks = [...new Set(data.weeks.map((w) => w.week))].sort();
  const weeks = options.weeks ? allWeeks.slice(-options.weeks) : allWeeks;
  const byKey = new Map(data.weeks.map((w) => [`${w.participant}|${w.week}`, w]));
  const participants = [...(data.participants ?? [])];
  const known = new Set(participants.map((p) => p.participant));
  for (const w of data.weeks) if (!known.has(w.participant)) { known.add(w.participant); participants.push({ participant: w.participant, lastWeeks: [], belowThreshold: false }); }
  participants.sort((a, b) => Number(b.belowThreshold) - Number(a.belowThreshold) || a.participant.localeCompare(b.participant));
  const below = participants.filter((p) => p.belowThreshold).length;
  const shown = options.onlyBelow ? participants.filter((p) => p.belowThreshold) : participants;
  let anyEstimated = false;

  const table = h(
    'table.data.hours-table',
    { 'data-testid': 'hours-table', 'data-threshold': String(threshold) },
    h('caption.sr-only', t('hoursTitle')),
    h(
      'thead',
      h('tr',
        h('th.sticky', { scope: 'col' }, t('colParticipant')),
        h('th', { scope: 'col' }, t('colStatus')),
        h('th', { scope: 'col' }, t('colLastWeeks')),
        weeks.map((week) => h('th.num.week', { scope: 'col', title: monthOfWeek(week) ? monthName(monthOfWeek(week)) : undefined }, h('span.wk', `${t('colWeek')} ${week.slice(6)}`), h('span.yr', week.slice(0, 4)))),
      ),
    ),
    h(
      'tbody',
      shown.map((p) =>
        h(
          'tr',
          { class: p.belowThreshold ? 'below' : undefined, 'data-participant': p.participant, 'data-below': String(Boolean(p.belowThreshold)) },
          h('th.sticky.mono', { scope: 'row' }, p.participant),
          h('td', p.belowThreshold ? h('span.badge.badge-warn', { 'data-testid': 'below-marker' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), t('belowMarker')) : h('span.badge.badge-ok', t('okMarker'))),
          h('td.last-weeks', (p.lastWeeks ?? []).map((w) => h('span', { class: w.activeHours < threshold ? 'low' : undefined }, `${w.week}: ${hours(w.activeHours)}`))),
          weeks.map((week) => {
            const w = byKey.get(`${p.participant}|${week}`);
            if (!w) return h('td.num.none', h('span', { 'aria-hidden': 'true' }, '–'), srOnly(t('noData')));
            if (w.estimated) anyEstimated = true;
            return h(
              'td.num',
              {
                class: w.activeHours < threshold ? 'low' : undefined,
                title: t('cellTitle', { participant: p.participant, week, active: hours(w.activeHours), paid: hours(w.paidHours ?? 0) }),
              },
              hours(w.activeHours),
              w.estimated ? h('span.estimated', h('span', { 'aria-hidden': 'true' }, '*'), srOnly(` (${t('estimatedMark')})`)) : undefined,
            );
          }),
        ),
      ),
    ),
  );
  return [
    h('p.summary', { 'data-testid': 'hours-summary' }, t('hoursSummary', { below: integer(below), total: integer(participants.length), threshold: hours(threshold) })),
    h('div.table-scroll', table),
    anyEstimated ? h('p.hint', t('estimatedNote')) : undefined,
  ].filter(Boolean);
}

// ---------------------------------------------------------------- holder: uploads

function previousMonth() {
  const now = new Date();
  const d = new Date(Date.UTC(now.getFullYear(), now.getMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

async function renderUpload(partnershipId, current) {
  const { partnerships } = await partnershipsPromise();
  if (!current()) return;
  if (!partnerships.length) return setMain(h('p.empty', { 'data-testid': 'empty' }, t('noPartnerships')));
  const partnership = partnerships.find((p) => p.partnership === partnershipId);
  if (!partnership) return go('upload', remembered(partnerships));
  remember(partnership);

  const upload = state.upload?.partnership === partnership.partnership ? state.upload : { partnership: partnership.partnership, month: previousMonth(), source: '' };
  state.upload = upload;
  const monthInput = h('input', { type: 'month', id: 'upload-month', name: 'month', required: true, pattern: '\\d{4}-\\d{2}', placeholder: t('uploadMonthHint'), value: upload.month, 'data-testid': 'upload-month', oninput: (e) => (upload.month = e.target.value) });
  const sourceInput = h('input', { type: 'text', id: 'upload-source', name: 'source', required: true, list: 'sources', autocomplete: 'off', value: upload.source, 'data-testid': 'upload-source', oninput: (e) => (upload.source = e.target.value) });
  const fileInput = h('input', { type: 'file', id: 'upload-file', name: 'file', required: true, accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'data-testid': 'upload-file' });
  const sources = h('datalist', { id: 'sources' });
  const submit = h('button.primary', { type: 'submit', 'data-testid': 'upload-submit' }, t('uploadSubmit'));
  const progress = h('div.progress', { role: 'status', 'aria-live': 'polite', 'data-testid': 'upload-progress' });
  const result = h('div', { 'data-testid': 'upload-result-slot' }, upload.result ? uploadResult(upload.result) : undefined);
  const reportsSlot = h('section.reports', { 'aria-labelledby': 'reports-title' }, h('h3', { id: 'reports-title' }, t('reportsTitle')), loading());

  const form = h(
    'form.card.upload-form',
    {
      'data-testid': 'upload-form',
      noValidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        const file = fileInput.files?.[0];
        const month = monthInput.value.trim();
        const source = sourceInput.value.trim();
        const problem = !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)
          ? ['uploadBadMonth', monthInput]
          : !source
            ? ['uploadNeedsSource', sourceInput]
            : !file
              ? ['uploadNeedsFile', fileInput]
              : !/\.(csv|xlsx)$/i.test(file.name)
                ? ['uploadBadFormat', fileInput]
                : undefined;
        if (problem) {
          progress.replaceChildren(h('p.field-error', t(problem[0])));
          problem[1].focus();
          return;
        }
        submit.disabled = true;
        result.replaceChildren();
        upload.result = undefined;
        const steps = { request: 'uploadStepRequest', put: 'uploadStepPut', wait: 'uploadStepWait' };
        try {
          const outcome = await api.uploadTimesheet(
            { partnership: partnership.partnership, month, source, file },
            { onStep: (step) => progress.replaceChildren(h('p.loading', t(steps[step]))) },
          );
          progress.replaceChildren();
          cache.delete(`/reports/${partnership.partnership}`);
          for (const key of cache.keys()) if (key.startsWith(`/hours/${partnership.partnership}?`) || key.startsWith(`/statements/${partnership.partnership}/`)) cache.delete(key);
          if (!outcome.report) {
            progress.replaceChildren(h('p.notice', t('uploadTimeout')));
          } else {
            upload.result = { file: file.name, key: outcome.key, report: outcome.report };
            if (current()) result.replaceChildren(uploadResult(upload.result));
          }
          if (current()) loadReports(partnership, reportsSlot, sources, current);
        } catch (error) {
          progress.replaceChildren(errorBox(error));
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h2', t('uploadTitle')),
    h('p.hint', t('uploadIntro')),
    h('div.form-grid',
      h('label', { htmlFor: 'upload-partnership' }, h('span', t('partnership')), partnershipSelect(partnerships, partnership.partnership, (id) => go('upload', id), { id: 'upload-partnership', 'data-testid': 'upload-partnership' })),
      h('label', { htmlFor: 'upload-month' }, h('span', t('uploadMonth')), monthInput),
      h('label', { htmlFor: 'upload-source' }, h('span', t('uploadSource')), sourceInput, sources),
      h('label', { htmlFor: 'upload-file' }, h('span', t('uploadFile')), fileInput),
    ),
    submit,
    progress,
  );
  setMain(h('section.upload-page', form, result, reportsSlot));
  await loadReports(partnership, reportsSlot, sources, current);
}

function uploadResult({ file, key, report }) {
  const rejectedWhole = report.outcome === 'rejected' || report.outcome === 'failed';
  const partly = report.outcome === 'accepted' && report.rejectedRows > 0;
  const none = partly && !report.acceptedRows;
  const kind = rejectedWhole || none ? 'rejected' : report.outcome === 'superseded' ? 'superseded' : partly ? 'partly' : 'accepted';
  const headline =
    report.outcome === 'failed'
      ? t('resultFailed')
      : none
      ? t('resultAllRowsRejected', { rows: report.rows })
      : kind === 'rejected'
      ? t('resultRejected')
      : kind === 'superseded'
        ? t('resultSuperseded')
        : kind === 'partly'
          ? t('resultPartly', { accepted: report.acceptedRows, rows: report.rows, rejected: report.rejectedRows })
          : t('resultAccepted', { rows: integer(report.rows) });
  const reasons = report.reasons ?? [];
  return h(
    'section.upload-result',
    { 'data-testid': 'upload-result', 'data-outcome': kind, class: `result-${kind}`, role: 'status', 'aria-live': 'polite' },
    h('p.headline', h('span', { 'aria-hidden': 'true' }, kind === 'accepted' ? '✓ ' : '⚠ '), headline),
    h('p.meta', t('resultFile', { file, key })),
    reasons.length
      ? h('div',
          h('h3', t('resultReasons')),
          h('ul.reasons', { 'data-testid': 'upload-reasons' }, reasons.map((reason) => h('li', reason))),
          (report.reasonsTotal ?? reasons.length) > reasons.length ? h('p.hint', t('resultMoreReasons', { shown: integer(reasons.length), total: integer(report.reasonsTotal) })) : undefined,
        )
      : undefined,
  );
}

async function loadReports(partnership, slot, sourcesList, current) {
  let data;
  try {
    data = await cached(`/reports/${partnership.partnership}`, () => api.getReports(partnership.partnership));
  } catch (error) {
    if (current() && error?.status !== 401) slot.replaceChildren(h('h3', { id: 'reports-title' }, t('reportsTitle')), errorBox(error, { retry: () => render() }));
    return;
  }
  if (!current()) return;
  // newest first, so an upload just made is on top
  const reports = [...(data.reports ?? [])].sort((a, b) => String(b.processedAt).localeCompare(String(a.processedAt)) || b.month.localeCompare(a.month) || a.source.localeCompare(b.source));
  sourcesList.replaceChildren(...[...new Set(reports.map((r) => r.source))].sort().map((s) => h('option', { value: s })));
  const filter = h('label.checkbox', h('input', { type: 'checkbox', checked: state.reportsOnlyRejected, onchange: (e) => { state.reportsOnlyRejected = e.target.checked; loadReports(partnership, slot, sourcesList, current); } }), h('span', t('reportsOnlyRejected')));
  const matching = state.reportsOnlyRejected ? reports.filter((r) => r.rejectedRows > 0 || r.outcome !== 'accepted') : reports;
  const shown = state.reportsShowAll ? matching : matching.slice(0, REPORTS_SHOWN);
  const more =
    matching.length > shown.length
      ? h('button.secondary', { type: 'button', 'data-testid': 'reports-show-all', onclick: () => { state.reportsShowAll = true; loadReports(partnership, slot, sourcesList, current); } }, t('reportsShowAll', { shown: shown.length, total: matching.length }))
      : undefined;
  slot.replaceChildren(
    h('h3', { id: 'reports-title' }, t('reportsTitle')),
    reports.length ? filter : undefined,
    reports.length
      ? h(
          'div.table-scroll',
          h(
            'table.data.reports-table',
            { 'data-testid': 'reports-table' },
            h('caption.sr-only', t('reportsTitle')),
            h('thead', h('tr', ['colMonth', 'colSource', 'colResult', 'colProcessed'].map((c) => h('th', { scope: 'col' }, t(c))), ['colRows', 'colAccepted', 'colRejected'].map((c) => h('th.num', { scope: 'col' }, t(c))), h('th', { scope: 'col' }, t('colReasons')))),
            h(
              'tbody',
              shown.map((r) =>
                h(
                  'tr',
                  { class: [r.outcome !== 'accepted' || r.rejectedRows > 0 ? 'has-problems' : '', r.current ? '' : 'old'].filter(Boolean).join(' ') || undefined },
                  h('td', r.month),
                  h('td', r.source),
                  h('td', h('span.badge', { class: r.outcome === 'accepted' && !r.rejectedRows ? 'badge-ok' : 'badge-warn' }, t(`outcome_${r.outcome}`)), r.current ? [' ', h('span.hint', t('current'))] : r.outcome === 'accepted' ? [' ', h('span.hint', t('notCurrent'))] : undefined),
                  h('td', dateTime(r.processedAt)),
                  h('td.num', integer(r.rows ?? 0)),
                  h('td.num', integer(r.acceptedRows ?? 0)),
                  h('td.num', integer(r.rejectedRows ?? 0)),
                  h('td', r.reasons?.length ? h('details', h('summary', t('showReasons', { n: r.reasonsTotal ?? r.reasons.length })), h('ul.reasons', r.reasons.map((x) => h('li', x)))) : '–'),
                ),
              ),
            ),
          ),
        )
      : h('p.empty', t('reportsEmpty')),
    more,
  );
}

// ---------------------------------------------------------------- start

document.getElementById('lang-switch').addEventListener('click', () => {
  setLanguage(language() === 'da' ? 'en' : 'da');
  render();
});
document.getElementById('sign-out').addEventListener('click', () => {
  cache.clear();
  Object.assign(state, { scenario: undefined, upload: undefined, partnership: undefined, notice: undefined });
  if (!api.signOut()) {
    history.replaceState(null, '', location.pathname);
    render();
  }
});
window.addEventListener('hashchange', () => render());

api.setUnauthorizedHandler(() => {
  cache.clear();
  Object.assign(state, { scenario: undefined, upload: undefined, partnership: undefined });
  state.notice = t('sessionExpired');
  render();
});

async function start() {
  setLanguage(language());
  renderChrome();
  try {
    await api.loadConfig();
  } catch (error) {
    setMain(errorBox({ ...error, message: `${t('configError')} ${error.message ?? ''}` }, { retry: start }));
    return;
  }
  try {
    await api.completeCognitoSignIn();
  } catch (error) {
    state.notice = error.message;
  }
  api.restoreSession();
  await render();
}

start();
