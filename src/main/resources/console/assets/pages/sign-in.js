import {signIn} from '../api.js';
import {alertBox, h, replace} from '../dom.js';

export function signInPage({message, done}) {
  const input = h('input', {
    id: 'admin-key', name: 'admin-key', type: 'password', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off', required: true, 'aria-describedby': 'admin-key-hint',
  });
  const feedback = h('div', {id: 'sign-in-feedback'},
    message ? h('p', {class: 'notice', role: 'status'}, message) : null);
  const button = h('button', {type: 'submit', class: 'primary'}, 'Sign in');
  const form = h('form', {class: 'sign-in', novalidate: true},
    h('div', {class: 'field'},
      h('label', {for: 'admin-key'}, 'Admin key'),
      input,
      h('p', {class: 'hint', id: 'admin-key-hint'},
        'At its first start the service printed its admin key in the log and keeps it in data/keys.json '
        + '(it starts with ak_), unless ADMIN_KEYS sets the keys.')),
    feedback,
    button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    replace(feedback);
    try {
      await signIn(input.value);
      input.value = '';
      done();
    } catch (error) {
      replace(feedback, alertBox(error.message));
      input.focus();
      input.select();
    } finally {
      button.disabled = false;
    }
  });
  return {
    title: 'Sign in',
    focus: input,
    content: h('section', {class: 'narrow'},
      h('h1', {tabindex: '-1'}, 'Sign in'),
      h('p', {}, 'The console works with an admin key of this service. It keeps the key in this browser tab '
        + 'only, and forgets it when you sign out or close the tab.'),
      form),
  };
}
