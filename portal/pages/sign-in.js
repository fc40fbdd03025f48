// Signing in, always through the hosted UI with the authorization code flow and
// PKCE: Cognito's in AWS; locally the stack's OpenID provider, with a role picker
// (project holder, or a municipality by name) that names the seeded user to sign in.

import * as api from '../api.js';
import { errorBox, h, setMain } from '../dom.js';
import { t } from '../i18n.js';
import { state } from '../store.js';

/** The sign-in page, with the reason the last session ended if there is one. */
export function renderSignIn() {
  const notice = state.notice ? h('p.notice', { role: 'status', 'data-testid': 'notice' }, state.notice) : undefined;
  const localUsers = api.getConfig()?.localUsers;
  setMain(localUsers ? rolePicker(notice, localUsers) : cognitoSignIn(notice));
}

function cognitoSignIn(notice) {
  return h('section.card.sign-in', { 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title' }, t('signInTitle')),
    notice,
    h('p', t('signInCognitoIntro')),
    h('button.primary', { type: 'button', 'data-testid': 'sign-in-cognito', onclick: () => api.signIn().catch((e) => setMain(errorBox(e))) }, t('signInCognito')),
  );
}

/**
 * The local stack's sign-in: a role, and for a municipality its name; the
 * provider signs that seeded user in (`login_hint`) and sends the browser back.
 */
function rolePicker(notice, localUsers) {
  const municipalities = localUsers.filter((user) => user.role === 'municipality').map((user) => user.municipality);
  const fields = roleFields(municipalities);
  const errorSlot = h('div');
  const submit = h('button.primary', { type: 'submit', 'data-testid': 'sign-in' }, t('signInAction'));
  const onsubmit = async (event) => {
    event.preventDefault();
    const role = fields.holderRadio.checked ? 'holder' : 'municipality';
    const municipality = fields.municipalityInput.value.trim();
    if (role === 'municipality' && !municipality) {
      fields.municipalityInput.focus();
      return;
    }
    submit.disabled = true;
    errorSlot.replaceChildren();
    try {
      // The provider's account ids (local/oidc-users.ts accountIdOf).
      await api.signIn({ loginHint: role === 'holder' ? 'holder' : `municipality:${municipality.normalize('NFC')}` });
    } catch (error) {
      errorSlot.replaceChildren(errorBox(error));
      submit.disabled = false;
    }
  };
  return h(
    'form.card.sign-in',
    { 'data-testid': 'role-picker', 'aria-labelledby': 'sign-in-title', onsubmit },
    h('h2', { id: 'sign-in-title' }, t('signInTitle')),
    notice,
    h('p', t('signInIntro')),
    fields.fieldset,
    submit,
    errorSlot,
  );
}

/** The two roles as radio buttons; typing a municipality's name picks that role. */
function roleFields(municipalities) {
  const holderRadio = h('input', { type: 'radio', name: 'role', value: 'holder', id: 'role-holder', 'data-testid': 'role-holder' });
  const municipalityRadio = h('input', { type: 'radio', name: 'role', value: 'municipality', id: 'role-municipality', checked: true, 'data-testid': 'role-municipality' });
  const municipalityInput = h('input', {
    type: 'text',
    id: 'municipality-name',
    name: 'municipality',
    list: 'municipalities',
    value: municipalities[0] ?? '',
    autocomplete: 'off',
    'data-testid': 'municipality-input',
    oninput: () => (municipalityRadio.checked = true),
    onfocus: () => (municipalityRadio.checked = true),
  });
  const fieldset = h('fieldset.roles',
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
        h('datalist', { id: 'municipalities' }, municipalities.map((name) => h('option', { value: name }))),
      ),
    ),
  );
  return { fieldset, holderRadio, municipalityInput };
}
