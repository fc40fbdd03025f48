// Choosing a partnership: the drop-down on the holder's pages, and remembering
// the one last looked at so every page opens on it.

import { renderChrome } from './chrome.js';
import { h, setMain } from './dom.js';
import { t } from './i18n.js';
import { go } from './router.js';
import { allPartnerships, state } from './store.js';

/** Remembers the partnership on screen; the tabs link to it. */
export function remember(partnership) {
  if (state.partnership === partnership.partnership) return;
  state.partnership = partnership.partnership;
  renderChrome();
}

/**
 * `{ partnership, partnerships }` for the route `page/partnershipId`; undefined when the
 * user has none (said on the page) or the id names none of them (then it goes to the
 * one last looked at, else the first).
 */
export async function choosePartnership(page, partnershipId, current) {
  const { partnerships } = await allPartnerships();
  if (!current()) return undefined;
  if (!partnerships.length) return void setMain(h('p.empty', { 'data-testid': 'empty' }, t('noPartnerships')));
  const partnership = partnerships.find((p) => p.partnership === partnershipId);
  if (!partnership) return void go(page, (partnerships.find((p) => p.partnership === state.partnership) ?? partnerships[0]).partnership);
  remember(partnership);
  return { partnership, partnerships };
}

/** A drop-down of partnerships, named with their municipality where the name lacks it. */
export function partnershipSelect(partnerships, selected, onchange, attributes = {}) {
  return h(
    'select',
    { onchange: (event) => onchange(event.target.value), ...attributes },
    partnerships.map((p) => h('option', { value: p.partnership, selected: p.partnership === selected }, p.name.includes(p.municipality) ? p.name : `${p.name} (${p.municipality})`)),
  );
}
