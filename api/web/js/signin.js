// signin.js: sign in with an access token made by `handen token create`.  The token
// is checked against the API (which also tells the role), then kept in this browser
// tab's session only.

import {api, identify, saveSession} from './api.js';
import {busy, clearFieldErrors, field, h, replace, showFieldError} from './dom.js';
import {describeError, t} from './i18n.js';

export function signinPage(main, {go}) {
  const input = h('input', {name: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false',
                            required: true, class: 'wide'});
  const status = h('div', {'aria-live': 'polite'});
  const button = h('button', {type: 'submit', class: 'primary'}, t('signin.submit'));
  const form = h('form', {class: 'card narrow', novalidate: true},
    h('h1', {}, t('signin.title')),
    h('p', {}, t('signin.intro')),
    field(t('signin.token'), input, t('signin.hint')),
    status,
    h('div', {class: 'actions'}, button));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    status.replaceChildren();
    const token = input.value.trim();
    if (!token) {
      showFieldError(form, 'token', t('signin.empty'));
      input.focus();
      return;
    }
    try {
      const who = await busy(button, t('signin.busy'), () => identify(token));
      saveSession({token, ...who});
      go(`/${who.role}`);
    } catch (error) {
      showFieldError(form, 'token', error.status === 401 ? t('signin.bad') : describeError(error));
      input.focus();
    }
  });
  replace(main, h('section', {class: 'signin'}, form,
    h('aside', {class: 'card narrow muted'}, h('h2', {}, t('signin.about.title')),
      h('p', {}, t('signin.about.text')))));
  input.focus();
  // An invitation's link (#/signin?code=...): exchange the one-time code for a token.
  const code = new URLSearchParams(location.hash.split('?')[1] || '').get('code');
  if (code) {
    history.replaceState(null, '', '#/signin');
    replace(status, t('signin.code.busy'));
    api('POST', '/v1/invitations/accept', {code})
      .then(async (answer) => {
        const who = await identify(answer.token);
        saveSession({token: answer.token, ...who});
        go(`/${who.role}`);
      })
      .catch((error) => replace(status, t('signin.code.bad', {message: describeError(error)})));
  }
}
