// What stays around every page: titles, who is signed in, the language and
// sign-out buttons, and the project holder's tabs.

import * as api from './api.js';
import { h } from './dom.js';
import { language, t } from './i18n.js';
import { hrefOf, route } from './router.js';
import { state } from './store.js';

/** The project holder's tabs: route and label. Municipalities see statements only, so no tabs. */
const HOLDER_TABS = [['hours', 'navHours'], ['upload', 'navUpload'], ['statements', 'navStatements']];

/** Redraws the header and tabs in the current language for the current session and route. */
export function renderChrome() {
  const session = api.getSession();
  renderHeader(session);
  renderTabs(session?.role === 'holder' ? HOLDER_TABS : []);
}

function renderHeader(session) {
  document.documentElement.lang = language();
  document.title = t('appTitle');
  document.getElementById('app-title').textContent = t('appTitle');
  document.getElementById('app-subtitle').textContent = t('appSubtitle');
  document.querySelector('.skip-link').textContent = t('skipToContent');
  // The accessible name starts with the visible text (WCAG 2.5.3), the language's name in its own language.
  const langButton = document.getElementById('lang-switch');
  langButton.removeAttribute('lang');
  langButton.removeAttribute('aria-label');
  langButton.replaceChildren(h('span', { lang: language() === 'da' ? 'en' : 'da' }, t('switchLanguage')), h('span.sr-only', ` (${t('switchLanguageHint')})`));
  const signOutButton = document.getElementById('sign-out');
  signOutButton.hidden = !session;
  signOutButton.textContent = t('signOut');
  document.getElementById('who').textContent = session
    ? t('signedInAs', { who: session.role === 'holder' ? t('holder') : session.municipality ? t('municipalityOf', { name: session.municipality }) : t('roleMunicipality') })
    : '';
}

/** Each tab links to the partnership last looked at, so switching tabs keeps it. */
function renderTabs(tabs) {
  const nav = document.getElementById('nav');
  const { page } = route();
  nav.hidden = tabs.length === 0;
  nav.replaceChildren(
    ...tabs.map(([name, label]) =>
      h('a', { href: hrefOf(name, state.partnership), 'aria-current': page === name ? 'page' : undefined, 'data-testid': `nav-${name}` }, t(label)),
    ),
  );
  nav.setAttribute('aria-label', t('mainMenu'));
}
