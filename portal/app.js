// The portal's entry: which page draws which route, the header's buttons, and
// start-up (config, a Cognito sign-in coming back, a stored session).
// Plain ES modules, no framework, no build step; the local stack and CloudFront
// serve portal/ as it is. The map: pages/ one module a page (sign-in, statement
// with its sections and what-if scenario, hours, upload with its reports);
// router.js the hash routes; chrome.js header and tabs; store.js what is kept
// between pages; partnerships.js choosing one; dom.js building elements;
// api.js the HTTP API; i18n.js + strings.js language; chart.js; weeks.js.

import * as api from './api.js';
import { renderChrome } from './chrome.js';
import { errorBox, setMain } from './dom.js';
import { language, setLanguage, t } from './i18n.js';
import { renderHours } from './pages/hours.js';
import { renderSignIn } from './pages/sign-in.js';
import { renderStatements } from './pages/statement.js';
import { renderUpload } from './pages/upload.js';
import { go, refresh, route, startRouter } from './router.js';
import { resetSession, state } from './store.js';

/**
 * Draws the current route. Signed out: the sign-in. The project holder: `#/hours`,
 * `#/upload`, `#/statements` (anything else goes to hours). A municipality: only
 * statements, whatever the route says.
 */
async function drawRoute(current) {
  renderChrome();
  const session = api.getSession();
  if (!session) return renderSignIn();
  const holder = session.role === 'holder';
  const { page, args } = route();
  try {
    if (page === 'hours' && holder) return await renderHours(args[0], current);
    if (page === 'upload' && holder) return await renderUpload(args[0], current);
    if (page === 'statements' || page === '' || !holder) {
      if (page === '' && holder) return go('hours');
      return await renderStatements(page === 'statements' ? args[0] : undefined, page === 'statements' ? args[1] : undefined, current);
    }
    return go(holder ? 'hours' : 'statements');
  } catch (error) {
    if (!current()) return;
    if (error?.status === 401 || error?.handled) return;
    setMain(errorBox(error, { retry: () => refresh() }));
  }
}

document.getElementById('lang-switch').addEventListener('click', () => {
  setLanguage(language() === 'da' ? 'en' : 'da');
  refresh();
});
document.getElementById('sign-out').addEventListener('click', () => {
  resetSession(undefined);
  if (!api.signOut()) {
    history.replaceState(null, '', location.pathname);
    refresh();
  }
});
startRouter(drawRoute);

api.setUnauthorizedHandler(() => {
  resetSession(t('sessionExpired'));
  refresh();
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
  await refresh();
}

start();
