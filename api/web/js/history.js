// history.js: the coordinator's history: every matching round with what it did (GET
// /v1/rounds: when, by whom, over which districts, how many proposals, the fill it
// reached) and the audit trail of decisions and changes (GET /v1/audit?order=newest,
// 50 a page), filtered by who (the actor contains the text typed) and what (an action
// or a kind of object) by the API.  Read only.

import {listAll} from './api.js';
import {empty, errorBox, h, loading, pageOf, pager, replace, uid} from './dom.js';
import {describeError, formatDate, formatDateTime, partName, percent, t} from './i18n.js';

const PAGE_SIZE = 50;

function table(caption, columns, rows, className) {
  return h('div', {class: 'table-wrap'}, h('table', {class: className},
    h('caption', {class: 'sr-only'}, caption),
    h('thead', {}, h('tr', {}, columns.map(([key, num]) => h('th', {scope: 'col', class: num ? 'num' : null}, t(key))))),
    h('tbody', {}, rows)));
}

function roundRow(round, names) {
  const st = round.statistics || {};
  const districts = (round.districts || []).map((d) => names.get(d) || d).join(', ');
  const cell = (label, ...content) => h('td', {'data-label': t(label)}, ...content);
  return h('tr', {'data-round': String(round.id)},
    h('th', {scope: 'row'}, String(round.id)),
    cell('history.col.status', h('span', {class: `badge ${round.status === 'failed' ? 'warn' : 'ok'}`},
      t(`history.round.${round.status}`))),
    cell('history.col.started', formatDateTime(round.started_at)),
    cell('history.col.by', round.started_by ? auditWords(ACTORS, round.started_by) : t('history.commandline')),
    cell('history.col.districts', districts || t('coord.alldistricts')),
    cell('history.col.slots', t(`history.slots.${round.slots}`)),
    h('td', {class: 'num', 'data-label': t('history.col.proposals')}, String(round.proposals ?? 0)),
    h('td', {class: 'num', 'data-label': t('history.col.fill')}, st.needed !== undefined
      ? t('history.fill', {filled: st.filled ?? 0, needed: st.needed, rate: percent(st.fill_rate)}) : '—'));
}

// The store writes who did what in English words ("coordinator token 3", "request r-1,
// employee e-2, 2020-05-06 morning: reason"); the page says them in the reader's
// language.  Text typed by a person (a reason) is shown as typed.
const ACTORS = [
  [/^command line \(user (.*)\)$/, (m) => t('actor.commandline', {user: m[1]})],
  [/^coordinator token (\S+)$/, (m) => t('actor.coordinator', {token: m[1]})],
  [/^school (\S+) token (\S+)$/, (m) => t('actor.school', {school: m[1], token: m[2]})],
  [/^organisation (\S+) token (\S+)$/, (m) => t('actor.organisation', {organisation: m[1], token: m[2]})],
];
const DETAILS = [
  [/^request (\S+), employee (\S+), (\d{4}-\d{2}-\d{2}) (morning|afternoon)(?:: ([\s\S]*))?$/,
    (m) => t(m[5] === undefined ? 'detail.decision' : 'detail.decisionwhy',
      {request: m[1], employee: m[2], date: formatDate(m[3]), part: partName(m[4]), why: m[5]})],
  [/^districts (.*?)(, freed slots)?, continuity (\d+) m$/, (m) => t(m[2] ? 'detail.roundfreed' : 'detail.round',
    {districts: m[1] === '[]' || m[1] === 'null' ? t('coord.alldistricts') : m[1].replace(/[[\]"]/g, ''), m: m[3]})],
  [/^role school, school (\S+)$/, (m) => t('detail.token.school', {id: m[1]})],
  [/^role organisation, organisation (\S+)$/, (m) => t('detail.token.organisation', {id: m[1]})],
  [/^role coordinator, every district$/, () => t('detail.token.coordinator', {districts: t('coord.alldistricts')})],
  [/^role coordinator, districts (.*)$/, (m) => t('detail.token.coordinator', {districts: m[1]})],
  [/^(school|organisation) (\S+)$/, (m) => t(`detail.invitation.${m[1]}`, {id: m[2]})],
  [/^(\S+) feed (\S+), for (.*)$/, (m) => t('detail.feed', {feed: m[1], target: m[2], owner: m[3]})],
];
const OBJECTS = ['assignments', 'requests', 'rounds', 'employees', 'locations', 'tokens', 'invitations', 'subscriptions'];

export function auditWords(table, text) {
  if (!text) return '—';
  for (const [pattern, render] of table) {
    const m = pattern.exec(text);
    if (m) return render(m);
  }
  return text;
}

function objectName(object) {
  if (!object) return '—';
  const [kind, ...rest] = object.split('/');
  return OBJECTS.includes(kind) ? `${t(`object.${kind}`)} ${rest.join('/')}` : object;
}

function actionName(action) {
  const key = `audit.action.${action}`;
  const text = t(key);
  return text === key ? action : text;
}

// The kinds of object the audit trail names, with their actions, for "what".
const ACTIONS = {
  proposal: ['approve', 'reject', 'swap'],
  assignment: ['cancel'],
  request: ['create', 'update', 'cancel', 'cancel_part'],
  round: ['start'],
  employee: ['create', 'update', 'availability', 'confirm', 'deactivate'],
  location: ['load'],
  invitation: ['create'],
  subscription: ['create', 'revoke'],
  token: ['create', 'revoke'],
};

// "Wie" (a text the actor contains, applied on Enter or leaving the field) and "Wat"
// (every action of a kind, or one), each calling `change(name, value)`.
function auditFilters(change) {
  const who = uid('audit-actor');
  const what = uid('audit-action');
  const actor = h('input', {id: who, type: 'search', name: 'actor', maxlength: 200, autocomplete: 'off',
    placeholder: t('history.filter.actorhint')});
  actor.addEventListener('change', () => change('actor', actor.value.trim()));
  const action = h('select', {id: what, name: 'action'}, h('option', {value: ''}, t('history.filter.allactions')),
    Object.entries(ACTIONS).map(([kind, verbs]) => h('optgroup', {label: t(`history.kind.${kind}`)},
      h('option', {value: kind}, t('history.filter.allof', {kind: t(`history.kind.${kind}`)})),
      verbs.map((verb) => h('option', {value: `${kind}.${verb}`}, actionName(`${kind}.${verb}`))))));
  action.addEventListener('change', () => change('action', action.value));
  return h('div', {class: 'filters', role: 'search', 'aria-label': t('history.filter.label')},
    h('div', {class: 'field'}, h('label', {for: who}, t('history.col.actor')), actor),
    h('div', {class: 'field'}, h('label', {for: what}, t('history.col.action')), action));
}

export async function historyPage(main, {isCurrent}) {
  const rounds = h('section', {class: 'card', 'aria-labelledby': 'rounds-heading'},
    h('h2', {id: 'rounds-heading'}, t('history.rounds')), loading(t('busy.loading')));
  const audit = h('section', {class: 'card', 'aria-labelledby': 'audit-heading'},
    h('h2', {id: 'audit-heading'}, t('history.audit')), loading(t('busy.loading')));
  replace(main, h('div', {class: 'page'}, h('h1', {}, t('history.title')), h('p', {class: 'lead'}, t('history.intro')),
    rounds, audit));
  try {
    const [roundList, entries, districts] = await Promise.all([listAll('/v1/rounds'), listAll('/v1/audit', {order: 'newest'}),
      listAll('/v1/districts')]);
    if (!isCurrent()) return;
    const names = new Map(districts.map((d) => [d.id, d.name]));
    replace(rounds, h('h2', {id: 'rounds-heading'}, t('history.rounds')),
      roundList.length === 0 ? empty(t('unfilled.noround'), t('unfilled.noroundhint'))
        : table(t('history.rounds'), [['history.col.round'], ['history.col.status'], ['history.col.started'],
          ['history.col.by'], ['history.col.districts'], ['history.col.slots'], ['history.col.proposals', true],
          ['history.col.fill', true]], roundList.map((r) => roundRow(r, names)), 'history-table'));
    const filters = {};
    let shown = entries;
    let index = 0;
    const list = h('div', {});
    const show = () => {
      if (shown.length === 0) {
        replace(list, empty(t(Object.keys(filters).length > 0 ? 'history.nomatch' : 'history.noaudit')));
        return;
      }
      const page = pageOf(shown, PAGE_SIZE, index);
      index = page.index;
      const nav = pager(shown.length, PAGE_SIZE, index, (i) => { index = i; show(); }, t('pager.label'));
      replace(list, h('p', {class: 'list-head', role: 'status'}, t('history.entries', {n: shown.length})), nav,
        table(t('history.audit'), [['history.col.at'], ['history.col.actor'], ['history.col.action'],
          ['history.col.object'], ['history.col.detail']], page.items.map((e) => h('tr', {'data-audit': String(e.id)},
          h('td', {'data-label': t('history.col.at')}, formatDateTime(e.at)),
          h('td', {'data-label': t('history.col.actor')}, auditWords(ACTORS, e.actor)),
          h('td', {'data-label': t('history.col.action')}, actionName(e.action)),
          h('td', {'data-label': t('history.col.object')}, objectName(e.object)),
          h('td', {'data-label': t('history.col.detail')}, auditWords(DETAILS, e.detail)))), 'history-table'));
    };
    let generation = 0;
    const change = async (name, value) => {
      if (value) filters[name] = value; else delete filters[name];
      const mine = ++generation;
      replace(list, loading(t('busy.loading')));
      try {
        const found = await listAll('/v1/audit', {order: 'newest', ...filters});
        if (!isCurrent() || mine !== generation) return;
        shown = found;
        index = 0;
        show();
      } catch (error) {
        if (mine === generation) replace(list, errorBox(describeError(error)));
      }
    };
    replace(audit, h('h2', {id: 'audit-heading'}, t('history.audit')), auditFilters(change), list);
    show();
  } catch (error) {
    if (isCurrent()) replace(rounds, h('h2', {id: 'rounds-heading'}, t('history.rounds')), errorBox(describeError(error)));
  }
}
