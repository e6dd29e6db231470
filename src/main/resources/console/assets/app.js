// The console: a hash router over pages that read the public JSON API, refreshed while open.

import {forgetKey, signedIn} from './api.js';
import {h, replace} from './dom.js';
import {timeOfDay} from './format.js';
import {campaignsPage} from './pages/campaigns.js';
import {campaignPage} from './pages/campaign.js';
import {campaignFormPage} from './pages/campaign-form.js';
import {endpointsPage} from './pages/endpoints.js';
import {reviewPage} from './pages/review.js';
import {rulesPage} from './pages/rules.js';
import {signInPage} from './pages/sign-in.js';
import {usersPage} from './pages/users.js';

/** How often an open page asks the API again, unless the page says otherwise. */
const REFRESH_MS = 3000;

const ROUTES = [
  [/^\/campaigns$/, 'campaigns', () => campaignsPage],
  [/^\/campaigns\/new$/, 'campaigns', () => campaignFormPage],
  [/^\/campaigns\/([^/]+)$/, 'campaigns', () => campaignPage],
  [/^\/campaigns\/([^/]+)\/review$/, 'campaigns', () => reviewPage],
  [/^\/campaigns\/([^/]+)\/edit$/, 'campaigns', () => campaignFormPage],
  [/^\/users$/, 'users', () => usersPage],
  [/^\/users\/([^/]+)$/, 'users', () => usersPage],
  [/^\/rules$/, 'rules', () => rulesPage],
  [/^\/endpoints$/, 'endpoints', () => endpointsPage],
];

const main = document.getElementById('main');
let current = null;
let generation = 0;
let firstRender = true;
let signInMessage = null;
let afterSignIn = '/campaigns';

function parseHash() {
  const raw = location.hash.startsWith('#/') ? location.hash.slice(1) : '/campaigns';
  const [path, query = ''] = raw.split('?');
  return {path, query: new URLSearchParams(query)};
}

function findRoute(path) {
  for (const [pattern, section, page] of ROUTES) {
    const match = pattern.exec(path);
    if (match) {
      return {section, page: page(), params: match.slice(1).map(decodeURIComponent)};
    }
  }
  return null;
}

function render() {
  if (location.hash !== '' && !location.hash.startsWith('#/') && !firstRender) {
    return; // an in-page anchor, not a page of the console
  }
  stop();
  const {path, query} = parseHash();
  const token = ++generation;
  showSession(signedIn());
  if (!signedIn()) {
    if (path !== '/sign-in') {
      afterSignIn = path === '/' ? '/campaigns' : path + (query.toString() ? '?' + query : '');
    }
    mount(signInPage, {
      message: signInMessage,
      done: () => {
        signInMessage = null;
        location.hash = '#' + afterSignIn;
        if (path === afterSignIn) {
          render();
        }
      },
    }, token, 'sign-in');
    return;
  }
  if (path === '/sign-in' || path === '/') {
    location.replace('#/campaigns');
    return;
  }
  const route = findRoute(path);
  if (!route) {
    mount(notFoundPage, {path}, token, null);
    return;
  }
  mount(route.page, {params: route.params, query, path}, token, route.section);
}

function mount(page, context, token, section) {
  markSection(section);
  const view = page({...context, main, navigate: (to) => { location.hash = '#' + to; }});
  replace(main, view.content);
  document.title = `${view.title} · Conversion Rules`;
  if (view.focus) {
    view.focus.focus();
  } else if (!firstRender) {
    main.querySelector('h1')?.focus();
  }
  firstRender = false;
  if (view.refresh) {
    current = {token, refresh: view.refresh, every: view.refreshMs ?? REFRESH_MS, timer: null};
    poll(token);
  } else {
    freshness(''); // a form or a review: nothing on it updates by itself
  }
}

async function poll(token) {
  if (!current || current.token !== token) {
    return;
  }
  if (document.visibilityState === 'visible') {
    try {
      if (await current.refresh() === false) {
        stop(); // the page has nothing more to follow, e.g. a campaign that does not exist
        return;
      }
      showConnection(null);
      freshness(`Updated ${timeOfDay(new Date())}`);
    } catch (error) {
      if (error.status !== 401) {
        showConnection(error.status === 0 ? error.message : `The service answered: ${error.message}`);
      }
    }
  }
  if (current && current.token === token) {
    current.timer = setTimeout(() => poll(token), current.every);
  }
}

function stop() {
  if (current?.timer) {
    clearTimeout(current.timer);
  }
  current = null;
}

function markSection(section) {
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.section === section) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
}

function showSession(on) {
  document.getElementById('nav').hidden = !on;
  document.getElementById('session').hidden = !on;
  if (!on) {
    showConnection(null);
    freshness('');
  }
}

let connectionProblem = null;
function showConnection(message) {
  if (message === connectionProblem) {
    return;
  }
  connectionProblem = message;
  const banner = document.getElementById('connection');
  banner.hidden = message === null;
  banner.textContent = message ?? '';
}

function freshness(text) {
  document.getElementById('freshness').textContent = text;
}

function notFoundPage({path}) {
  return {
    title: 'Not found',
    content: h('section', {},
      h('h1', {tabindex: '-1'}, 'Nothing here'),
      h('p', {}, `The console has no page at ${path}. `, h('a', {href: '#/campaigns'}, 'Go to the campaigns.'))),
  };
}

function showSignIn(message) {
  signInMessage = message;
  if (location.hash === '#/sign-in') {
    render();
  } else {
    location.hash = '#/sign-in';
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  forgetKey();
  afterSignIn = '/campaigns';
  showSignIn('You are signed out: this tab no longer holds the key.');
});

// A request found the key refused: every page's later requests would be too.
window.addEventListener('console:signed-out', (event) => {
  if (current !== null) {
    stop();
    signInMessage = event.detail;
    setTimeout(render);
  }
});
// The skip link moves focus to the page's content without touching the address.
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', render);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && current) {
    clearTimeout(current.timer);
    poll(current.token);
  }
});

render();
