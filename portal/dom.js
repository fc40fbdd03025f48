// Building the page: the element helper every view uses, and the few pieces
// (loading note, error box) that look the same on every page.

import { t } from './i18n.js';

const main = document.getElementById('main');

/** h('p.note', { 'data-testid': 'x' }, 'text', child): an element; strings become text nodes. */
export function h(spec, attributes = {}, ...children) {
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
  if (classes.includes('table-scroll')) scrollRegion(node);
  return node;
}

/**
 * A `div.table-scroll` scrolls a wide table sideways: it must be reachable and
 * named for keyboard users (WCAG 2.1.1), so every one, on every page, becomes a
 * focusable region named after its table's caption.
 */
function scrollRegion(node) {
  if (!node.hasAttribute('tabindex')) node.tabIndex = 0;
  if (!node.hasAttribute('role')) node.setAttribute('role', 'region');
  if (!node.hasAttribute('aria-label') && !node.hasAttribute('aria-labelledby')) {
    const caption = node.querySelector('caption')?.textContent.trim();
    node.setAttribute('aria-label', caption ? `${caption} – ${t('scrollRegion')}` : t('scrollRegion'));
  }
}

/** Text only screen readers read (a mark's meaning, an empty cell). */
export const srOnly = (text) => h('span.sr-only', text);

/** Replaces everything below the header and tabs (undefined children are left out, never written as text). */
export function setMain(...children) {
  main.replaceChildren(...children.filter((child) => child !== undefined && child !== null && child !== false));
}

/** The "loading" note a page shows while it waits for the API. */
export function loading() {
  return h('p.loading', { role: 'status', 'data-testid': 'loading' }, t('loading'));
}

/** The API's message (and problems), for any failed request. */
export function errorBox(error, { retry } = {}) {
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
