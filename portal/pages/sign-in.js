// Signing in: through Cognito's hosted UI in AWS, or with the local stack's
// role picker (project holder, or a municipality by name) for dev tokens.

import * as api from '../api.js';
import { errorBox, h, setMain } from '../dom.js';
import { t } from '../i18n.js';
import { go } from '../router.js';
import { forgetAll, state } from '../store.js';

/** The demo's municipalities, offered in the role picker. */
const MUNICIPALITIES = ['Køge', 'Odsherred', 'Stevns', 'Holbæk'];

/** The sign-in page, with the reason the last session ended if there is one. */
export function renderSignIn() {
  const notice = state.notice ? h('p.notice', { role: 'status', 'data-testid': 'notice' }, state.notice) : undefined;
  setMain(api.getConfig()?.auth === 'cognito' ? cognitoSignIn(notice) : rolePicker(notice));
}

function cognitoSignIn(notice) {
  return h('section.card.sign-in', { 'aria-labelledby': 'sign-in-title' },
    h('h2', { id: 'sign-in-title' }, t('signInTitle')),
    notice,
    h('p', t('signInCognitoIntro')),
    h('button.primary', { type: 'button', 'data-testid': 'sign-in-cognito', onclick: () => api.signInCognito().catch((e) => setMain(errorBox(e))) }, t('signInCognito')),
  );
}

/** The local stack's sign-in: a role, and for a municipality its name; the server signs a dev token. */
function rolePicker(notice) {
  const fields = roleFields();
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
      await api.signInDev(role, municipality);
      state.notice = undefined;
      forgetAll();
      go(role === 'holder' ? 'hours' : 'statements');
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
function roleFields() {
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
        h('datalist', { id: 'municipalities' }, MUNICIPALITIES.map((name) => h('option', { value: name }))),
      ),
    ),
  );
  return { fieldset, holderRadio, municipalityInput };
}
