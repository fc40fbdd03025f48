// The statements page's list of partnerships, made for a programme of 98 and more:
// searched as people type (the API folds Danish letters, so "koge" finds Køge),
// sorted by name, municipality, the newest statement's net or its projection,
// and loaded a page at a time ("show more" asks for the next one), each with its
// newest net and the projected net band beside it.

import { errorBox, h, loading } from './dom.js';
import { kroner, monthName, t } from './i18n.js';
import { hrefOf } from './router.js';
import { partnershipsPage, state } from './store.js';

/** Partnerships per page of the list. */
const PAGE = 25;
/** The sort choices: the API's `sort` and `order`. */
const SORTS = ['name:asc', 'municipality:asc', 'net:desc', 'net:asc', 'projection:desc', 'projection:asc'];
/** Waits this long after the last key before searching. */
const TYPING_MS = 250;

/** The API's query for the list as the user set it, from `cursor`. */
function queryOf(options, cursor) {
  const [sort, order] = (SORTS.includes(options.sort) ? options.sort : SORTS[0]).split(':');
  return { q: options.q.trim() || undefined, sort, order, limit: PAGE, cursor };
}

/** A partnership's newest net and projected band, in words (or that it has no statement yet). */
function figuresOf(p) {
  if (!p.latest) return h('span.meta', t('noStatementYet'));
  const band = p.latest.projection?.net;
  return [
    h('span.list-figure', { 'data-testid': 'latest-net' }, `${t('latestNet', { month: monthName(p.latest.month, { short: true }) })}: `, h('strong', kroner(p.latest.net, { decimals: 0 }))),
    band
      ? h('span.list-figure', { 'data-testid': 'projected-net', title: t('projectedNet') }, h('span.sr-only', `${t('projectedNet')}: `), h('span', { 'aria-hidden': 'true' }, 'P10–P50–P90: '), [band.p10, band.p50, band.p90].map((v) => kroner(v, { decimals: 0 })).join(' – '))
      : undefined,
  ];
}

function item(p, selected) {
  return h(
    'li',
    h(
      'a',
      { href: hrefOf('statements', p.partnership), 'aria-current': p.partnership === selected ? 'page' : undefined, 'data-partnership': p.partnership },
      h('span.name', p.name),
      h('span.meta', `${p.municipality} · ${t('statementMonthsCount', { n: p.statementMonths.length })}`),
      figuresOf(p),
    ),
  );
}

/** The list as a `nav`, with `selected` marked; it loads (and reloads on search or sort) by itself. */
export function partnershipList(selected) {
  const options = state.partnershipList;
  const list = h('ul', { 'data-testid': 'partnership-list' });
  const status = h('p.hint', { role: 'status', 'data-testid': 'partnerships-shown' });
  const more = h('div');
  const body = h('div.partnership-results', loading());
  let shown = 0;
  let draw = 0;

  /** Shows the page from `cursor` (the first page replaces what was shown, later ones add to it). */
  async function load(cursor, { focus = true } = {}) {
    const id = cursor ? draw : ++draw;
    let page;
    try {
      page = await partnershipsPage(queryOf(options, cursor));
    } catch (error) {
      if (id === draw && error?.status !== 401) body.replaceChildren(errorBox(error, { retry: () => load(cursor) }));
      return;
    }
    if (id !== draw) return; // a newer search or sort is on its way
    const items = page.partnerships.map((p) => item(p, selected));
    if (cursor) {
      list.append(...items);
      if (focus) items[0]?.querySelector('a')?.focus(); // a keyboard user reads on from the first new one
    } else list.replaceChildren(...items);
    shown = (cursor ? shown : 0) + items.length;
    status.textContent = page.total ? t('partnershipsShown', { shown, total: page.total }) : t('partnershipsNoneMatch');
    more.replaceChildren(
      ...(page.nextCursor
        ? [h('button.secondary', { type: 'button', 'data-testid': 'partnerships-more', onclick: () => { options.more = [...(options.more ?? []), page.nextCursor]; load(page.nextCursor); } }, t('partnershipsMore'))]
        : []),
    );
    if (!cursor) body.replaceChildren(status, list, more);
  }

  /** A new search or sort starts from the first page. */
  const restart = () => {
    options.more = [];
    load();
  };
  /** The pages the user had shown before (the answers are cached, so this is instant), so a chosen partnership stays in view. */
  const reload = async () => {
    await load();
    for (const cursor of options.more ?? []) await load(cursor, { focus: false });
  };

  let typing;
  const search = h('input', {
    type: 'search', id: 'partnership-search', 'data-testid': 'partnership-search', value: options.q, autocomplete: 'off',
    oninput: (event) => {
      options.q = event.target.value;
      clearTimeout(typing);
      typing = setTimeout(restart, TYPING_MS);
    },
  });
  const sort = h(
    'select',
    { id: 'partnership-sort', 'data-testid': 'partnership-sort', onchange: (event) => { options.sort = event.target.value; restart(); } },
    SORTS.map((value) => h('option', { value, selected: value === options.sort }, t(`sort_${value}`))),
  );
  reload();
  return h(
    'nav.partnerships',
    { 'aria-label': t('partnerships') },
    h('h2.section-title', t('partnerships')),
    h('div.list-controls', h('label', { htmlFor: 'partnership-search' }, h('span', t('partnershipSearch')), search), h('label', { htmlFor: 'partnership-sort' }, h('span', t('partnershipSort')), sort)),
    body,
  );
}
