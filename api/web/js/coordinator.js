// coordinator.js: the coordinator's dashboard and the unfilled staff-slots.  The
// dashboard shows, per district (or all of them), the figures that matter: open
// requests, staff-slots needed, proposed, approved and open, children expected in
// emergency care, the fill rate, and a chart of them per day; it starts a matching
// round and follows it until it is done, and offers the exports.  The totals are the
// API's (GET /v1/summary, the figures of `handen summary`, defined there once); the
// days and the children come from the public lists (requests with their staffing,
// proposals), counted by the same definitions.

import {invitationsCard} from './invitations.js';
import {api, download, listAll} from './api.js';
import {busy, empty, errorBox, h, loading, replace, toast} from './dom.js';
import {neededFilledChart} from './chart.js';
import {districtMap} from './map.js';
import {describeError, formatDate, formatDateTime, funnelText, partName, percent, t, whatifText} from './i18n.js';

const DISTRICT_KEY = 'handen.district';
const ROUND_KEY = 'handen.round';

export function chosenDistrict() {
  return sessionStorage.getItem(DISTRICT_KEY) || '';
}

// Remembers `district` ('' for all) as the session's choice.
export function chooseDistrict(district) {
  sessionStorage.setItem(DISTRICT_KEY, district || '');
}

// A district picker that remembers the choice for the session and calls `onChange`.
export function districtPicker(districts, onChange) {
  const select = h('select', {id: 'district', name: 'district'},
    h('option', {value: ''}, t('coord.alldistricts')),
    districts.map((d) => h('option', {value: d.id, selected: d.id === chosenDistrict()}, d.name)));
  select.addEventListener('change', () => {
    chooseDistrict(select.value);
    onChange(select.value);
  });
  return h('div', {class: 'field inline-field'}, h('label', {for: 'district'}, t('coord.district')), select);
}

function scoped(district) {
  return district ? {district} : {};
}

// The per-day figures and the busiest day from the open requests and the waiting
// proposals: needed is what open requests ask per day part, approved their approved
// assignments, proposed the undecided proposals for them.
export function days(requests, proposals) {
  const byDay = new Map();
  const day = (date) => {
    if (!byDay.has(date)) byDay.set(date, {date, needed: 0, proposed: 0, filled: 0});
    return byDay.get(date);
  };
  const children = new Map();
  const open = new Set();
  for (const r of requests) {
    if (r.status !== 'open') continue;
    open.add(r.id);
    const dates = new Set();
    for (const slot of r.staffing) {
      day(slot.date).needed += slot.needed;
      day(slot.date).filled += slot.approved;
      dates.add(slot.date);
    }
    if (r.children_expected)
      for (const date of dates) children.set(date, (children.get(date) || 0) + r.children_expected);
  }
  for (const p of proposals) if (open.has(p.request)) day(p.date).proposed += 1;
  let peak = {date: null, count: 0};
  for (const [date, count] of children) if (count > peak.count) peak = {date, count};
  return {peak, days: Array.from(byDay.values()).sort((a, b) => a.date.localeCompare(b.date))};
}

function stat(label, value, detail, name) {
  return h('div', {class: 'stat', 'data-stat': name}, h('p', {class: 'stat-label'}, label),
    h('p', {class: 'stat-value'}, value), detail ? h('p', {class: 'stat-detail'}, detail) : null);
}

// Starts a round over `district` (or every district) and reports its progress in
// `box` until it has finished; resolves with the finished round.
async function runRound(district, box, button) {
  const body = district ? {districts: [district]} : undefined;
  const started = await api('POST', '/v1/rounds', body);
  sessionStorage.setItem(ROUND_KEY, String(started.id));
  const begin = Date.now();
  for (;;) {
    replace(box, loading(t('coord.round.running', {id: started.id, seconds: Math.round((Date.now() - begin) / 1000)})));
    const round = await api('GET', `/v1/rounds/${started.id}`);
    if (round.status !== 'running') return round;
    await new Promise((resolve) => setTimeout(resolve, 400));
    if (!button.isConnected) return round;
  }
}

function roundSummary(round) {
  if (round.status === 'failed')
    return errorBox(t('coord.round.failed', {id: round.id, error: round.error || ''}));
  const st = round.statistics || {};
  return h('div', {class: 'round-result', role: 'status'},
    h('p', {}, h('strong', {}, t('coord.round.done', {id: round.id})), ' ',
      t('coord.round.stats', {proposals: round.proposals, filled: st.filled ?? 0, needed: st.needed ?? 0,
                              rate: percent(st.fill_rate)})),
    h('p', {}, h('a', {href: '#/coordinator/proposals'}, t('coord.round.review')), ' · ',
      h('a', {href: '#/coordinator/unfilled'}, t('coord.round.unfilled', {n: (round.unfilled || []).length}))));
}

export async function coordinatorPage(main, {isCurrent}) {
  const body = h('div', {class: 'dashboard'}, loading(t('busy.loading')));
  const roundBox = h('div', {class: 'round-box', 'aria-live': 'polite'});
  const roundButton = h('button', {type: 'button', class: 'primary'}, t('coord.round.start'));
  const mapBox = h('div', {}, loading(t('busy.loading')));
  const [districts, schools] = await Promise.all([listAll('/v1/districts').catch(() => []),
    listAll('/v1/schools').catch(() => [])]);
  if (!isCurrent()) return;
  const names = new Map(districts.map((d) => [d.id, d.name]));
  // Only the last choice of district may draw the dashboard (see unfilledPage).
  let latestLoad = 0;
  const load = async (district) => {
    const mine = ++latestLoad;
    const current = () => isCurrent() && mine === latestLoad;
    replace(body, loading(t('busy.loading')));
    try {
      const [summary, requests, proposals, everywhere] = await Promise.all([
        api('GET', `/v1/summary${district ? `?district=${encodeURIComponent(district)}` : ''}`),
        listAll('/v1/requests', scoped(district)), listAll('/v1/proposals', {...scoped(district), status: 'proposed'}),
        district ? api('GET', '/v1/summary') : null]);
      if (!current()) return;
      replace(mapBox, districtMap(districts, schools, (everywhere || summary).districts,
        (id) => `#/coordinator/proposals?district=${encodeURIComponent(id)}`, chooseDistrict));
      const total = summary.total;
      const f = days(requests, proposals);
      const rate = (n) => (total.needed > 0 ? n / total.needed : null);
      replace(body,
        h('div', {class: 'stats'},
          stat(t('coord.stat.requests'), String(total.requests), null, 'requests'),
          stat(t('coord.stat.needed'), String(total.needed), t('coord.stat.neededdetail'), 'needed'),
          stat(t('coord.stat.proposed'), String(total.proposed), t('coord.stat.proposeddetail'), 'proposed'),
          stat(t('coord.stat.approved'), String(total.approved), t('coord.stat.approveddetail'), 'approved'),
          stat(t('coord.stat.open'), String(total.open), t('coord.stat.opendetail'), 'open'),
          stat(t('coord.stat.children'), String(f.peak.count),
            f.peak.date ? t('coord.stat.childrendetail', {date: formatDate(f.peak.date)}) : t('coord.stat.nochildren'),
            'children'),
          stat(t('coord.stat.rate'), percent(rate(total.approved)),
            t('coord.stat.ratedetail', {rate: percent(rate(total.approved + total.proposed))}), 'rate')),
        h('section', {class: 'card', 'aria-labelledby': 'chart-heading'},
          h('h2', {id: 'chart-heading'}, t('chart.heading')),
          f.days.length ? neededFilledChart(f.days) : empty(t('coord.nodays'))));
    } catch (error) {
      if (current()) replace(body, errorBox(describeError(error)));
    }
  };
  roundButton.addEventListener('click', async () => {
    try {
      const round = await busy(roundButton, t('coord.round.busy'), () => runRound(chosenDistrict(), roundBox, roundButton));
      if (!isCurrent()) return;
      replace(roundBox, roundSummary(round));
      load(chosenDistrict());
    } catch (error) {
      replace(roundBox, errorBox(error.code === 'round_running' ? t('coord.round.conflict') : describeError(error)));
    }
  });
  const csv = h('button', {type: 'button'}, t('coord.export.csv'));
  csv.addEventListener('click', () => busy(csv, t('busy.loading'), () => {
    const district = chosenDistrict();
    const query = district ? `?district=${encodeURIComponent(district)}` : '';
    return download(`/v1/assignments.csv${query}`, `handen-inzet${district ? `-${district}` : ''}.csv`);
  }).catch((error) => toast(describeError(error))));
  const schoolSelect = h('select', {id: 'calendar-school'}, h('option', {value: ''}, t('coord.export.pickschool')));
  for (const school of schools) schoolSelect.append(h('option', {value: school.id}, `${school.name} (${school.brin})`));
  const ics = h('button', {type: 'button'}, t('coord.export.ics'));
  ics.addEventListener('click', () => {
    if (!schoolSelect.value) {
      toast(t('coord.export.pickfirst'));
      schoolSelect.focus();
      return;
    }
    busy(ics, t('busy.loading'), () => download(`/v1/schools/${encodeURIComponent(schoolSelect.value)}/calendar.ics`,
      `handen-${schoolSelect.value}.ics`)).catch((error) => toast(describeError(error)));
  });
  const picker = districtPicker(districts, (d) => {
    replace(title, d ? t('coord.title.district', {name: names.get(d) || d}) : t('coord.title'));
    load(d);
  });
  const title = h('h1', {}, chosenDistrict() ? t('coord.title.district', {name: names.get(chosenDistrict()) || chosenDistrict()})
    : t('coord.title'));
  replace(main, h('div', {class: 'page'},
    h('div', {class: 'section-head'}, title, picker),
    body,
    h('section', {class: 'card', 'aria-labelledby': 'map-heading'},
      h('h2', {id: 'map-heading'}, t('map.heading')), mapBox),
    h('div', {class: 'columns even'},
      h('section', {class: 'card', 'aria-labelledby': 'round-heading'},
        h('h2', {id: 'round-heading'}, t('coord.round.title')), h('p', {}, t('coord.round.intro')),
        h('div', {class: 'actions'}, roundButton), roundBox),
      h('section', {class: 'card', 'aria-labelledby': 'export-heading'},
        h('h2', {id: 'export-heading'}, t('coord.export.title')), h('p', {}, t('coord.export.intro')),
        h('div', {class: 'actions'}, csv),
        h('div', {class: 'field'}, h('label', {for: 'calendar-school'}, t('coord.export.school')),
          h('div', {class: 'inline'}, schoolSelect, ics)))),
    invitationsCard()));
  await load(chosenDistrict());
}

// The id of the latest round this session started, else the newest finished round in
// the store (started here or by `handen match --db`), else null.
async function latestRound() {
  const stored = Number(sessionStorage.getItem(ROUND_KEY));
  if (stored > 0) return stored;
  const page = await api('GET', '/v1/rounds?limit=20');
  const finished = page.items.find((r) => r.status === 'finished');
  return finished ? finished.id : null;
}

export async function unfilledPage(main, {isCurrent}) {
  const list = h('div', {}, loading(t('busy.loading')));
  const districts = await listAll('/v1/districts').catch(() => []);
  if (!isCurrent()) return;
  // Only the last choice of district may draw the list: an earlier one whose answers
  // come later would otherwise replace it.
  let latestLoad = 0;
  const load = async (district) => {
    const mine = ++latestLoad;
    const current = () => isCurrent() && mine === latestLoad;
    replace(list, loading(t('busy.loading')));
    try {
      const id = await latestRound();
      if (!current()) return;
      if (id === null) {
        replace(list, empty(t('unfilled.noround'), t('unfilled.noroundhint')));
        return;
      }
      const [round, requests, schools] = await Promise.all([api('GET', `/v1/rounds/${id}`), listAll('/v1/requests'),
        listAll('/v1/schools')]);
      if (!current()) return;
      const requestById = new Map(requests.map((r) => [r.id, r]));
      const schoolName = new Map(schools.map((x) => [x.id, x.name]));
      const rows = (round.unfilled || []).filter((u) => !district || u.district === district)
        .sort((a, b) => (a.date + a.part + a.request).localeCompare(b.date + b.part + b.request));
      const header = h('p', {class: 'lead'}, t('unfilled.round', {id: round.id, when: formatDateTime(round.finished_at || round.started_at)}));
      if (rows.length === 0) {
        replace(list, header, empty(t('unfilled.none')));
        return;
      }
      replace(list, header, h('ul', {class: 'unfilled-list'}, rows.map((u) => {
        const request = requestById.get(u.request);
        return h('li', {class: 'card unfilled', 'data-request': u.request},
          h('p', {class: 'unfilled-head'},
            h('strong', {}, schoolName.get(u.school) || u.school), ' · ', `${formatDate(u.date)} ${partName(u.part)}`,
            ' · ', t('unfilled.missing', {missing: u.missing, needed: u.needed}),
            u.priority === 'high' ? h('span', {class: 'badge warn'}, t('priority.high')) : null),
          h('p', {class: 'funnel'}, funnelText(u, request, u.taken_by.map((r) => {
            const other = requestById.get(r);
            return other ? `${schoolName.get(other.school) || other.school} (${r})` : r;
          }), round.statistics?.confirmed_since)),
          h('p', {class: 'whatif'}, h('strong', {}, `${t('whatif.label')}: `), whatifText(u)),
          h('p', {class: 'hint'}, t('unfilled.request', {id: u.request})));
      })));
    } catch (error) {
      if (current()) replace(list, errorBox(describeError(error)));
    }
  };
  replace(main, h('div', {class: 'page'},
    h('div', {class: 'section-head'}, h('h1', {}, t('unfilled.title')), districtPicker(districts, load)),
    h('p', {}, t('unfilled.intro')), list));
  await load(chosenDistrict());
}
