// app.js: the front end's entry point: the language switch, the navigation per role
// and a router over the URL's fragment (#/school, #/coordinator/proposals, ...), so
// the server serves one page and the back button works.  A page is a function that
// fills <main> and may return a promise; a newer navigation wins over a slower one.

import {endSession, session, setUnauthorizedHandler} from './api.js';
import {h, replace, toast} from './dom.js';
import {lang, setLang, t} from './i18n.js';
import {coordinatorPage, unfilledPage} from './coordinator.js';
import {historyPage} from './history.js';
import {organisationPage} from './organisation.js';
import {proposalsPage} from './proposals.js';
import {schoolPage} from './school.js';
import {signinPage} from './signin.js';

const ROUTES = {
  '/signin': {page: signinPage, role: null},
  '/school': {page: schoolPage, role: 'school'},
  '/organisation': {page: organisationPage, role: 'organisation'},
  '/coordinator': {page: coordinatorPage, role: 'coordinator'},
  '/coordinator/proposals': {page: proposalsPage, role: 'coordinator'},
  '/coordinator/unfilled': {page: unfilledPage, role: 'coordinator'},
  '/coordinator/history': {page: historyPage, role: 'coordinator'},
};

const NAV = {
  school: [['/school', 'nav.school']],
  organisation: [['/organisation', 'nav.organisation']],
  coordinator: [['/coordinator', 'nav.dashboard'], ['/coordinator/proposals', 'nav.proposals'],
                ['/coordinator/unfilled', 'nav.unfilled'], ['/coordinator/history', 'nav.history']],
};

let generation = 0;

function currentPath() {
  const hash = location.hash.startsWith('#/') ? location.hash.slice(1) : '';
  return hash.split('?')[0];
}

export function go(path) {
  if (currentPath() === path) render();
  else location.hash = `#${path}`;
}

function renderChrome(path) {
  const who = session();
  document.documentElement.lang = lang();
  document.title = t('app.title');
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('nav.label'));
  replace(nav, who ? (NAV[who.role] || []).map(([target, key]) => h('a', {
    href: `#${target}`, 'aria-current': target === path ? 'page' : null}, t(key))) : null);
  const langButton = document.getElementById('lang');
  replace(langButton, t('lang.switch'));
  langButton.setAttribute('lang', lang() === 'nl' ? 'en' : 'nl');
  const signout = document.getElementById('signout');
  signout.hidden = !who;
  replace(signout, t('signout'));
  replace(document.getElementById('skip'), t('skip'));
  replace(document.getElementById('role'), who ? t(`role.${who.role}`) : '');
}

async function render() {
  const mine = ++generation;
  let path = currentPath();
  const who = session();
  const home = who ? `/${who.role}` : '/signin';
  let route = ROUTES[path];
  if (!route || (route.role && (!who || who.role !== route.role)) || (!route.role && who)) {
    path = home;
    route = ROUTES[path];
    history.replaceState(null, '', `#${path}`);
  }
  renderChrome(path);
  const main = document.getElementById('main');
  main.replaceChildren();
  main.setAttribute('aria-busy', 'true');
  try {
    await route.page(main, {go, isCurrent: () => mine === generation});
  } catch (error) {
    if (mine === generation) {
      replace(main, h('div', {class: 'error-box', role: 'alert'}, t('error.page')));
      console.error(error);
    }
  } finally {
    if (mine === generation) main.removeAttribute('aria-busy');
  }
}

function start() {
  setUnauthorizedHandler(() => {
    endSession();
    toast(t('error.401'));
    go('/signin');
  });
  document.getElementById('lang').addEventListener('click', () => {
    setLang(lang() === 'nl' ? 'en' : 'nl');
    render();
  });
  document.getElementById('signout').addEventListener('click', () => {
    endSession();
    go('/signin');
  });
  document.getElementById('skip').addEventListener('click', () => document.getElementById('main').focus());
  window.addEventListener('hashchange', render);
  render();
}

start();
