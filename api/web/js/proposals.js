// proposals.js: the coordinator reviews what rounds proposed, at a city's scale: a
// table of 50 rows a page, filtered by date, day part, district, school, priority and
// status (all but the date by the API; the date here, over what it answered, so the
// date list offers every date with proposals),
// each row with an urgency badge, the staff-slot's needed / proposed / approved, the
// travel and the reasons the API gives (travel_km, preferred_met, why).  Approve or
// reject per row, or the selected rows (across pages).  Rejecting asks for a reason:
// it is audited.  "Alternatieven" opens below a waiting row the next best employees
// for its day part (GET /v1/proposals/{id}/alternatives), each with the travel, the
// reasons and "Wisselen", which replaces the proposal by that employee (POST
// /v1/proposals/{id}/swap) and reads the list again.  The filters live in the address
// (#/coordinator/proposals?date=...).

import {api, listAll} from './api.js';
import {busy, empty, errorBox, h, loading, pageOf, pager, replace, toast} from './dom.js';
import {chooseDistrict, chosenDistrict} from './coordinator.js';
import {describeError, formatDate, partName, qualName, t} from './i18n.js';

const PAGE_SIZE = 50;
const FILTERS = ['district', 'school', 'date', 'part', 'priority', 'status'];

// The words for the API's reasons of one proposal, in the API's order.
export function explain(p) {
  const why = p.why || [];
  const reasons = [];
  if (why.includes('same-district')) reasons.push(t('why.samedistrict'));
  else if (why.includes('neighbouring-district')) reasons.push(t('why.neighbour'));
  else reasons.push(t('why.otherdistrict'));
  if (why.includes('preferred-qualifications'))
    reasons.push(t('why.preferred', {quals: (p.preferred_met || []).map(qualName).join(', ')}));
  if (why.includes('knows-school')) reasons.push(t('why.knowsschool'));
  if (why.includes('continuity')) reasons.push(t('why.continuity'));
  return {km: typeof p.travel_km === 'number' ? p.travel_km : null, reasons};
}

// Asks for a reason in a modal dialog; resolves with the text, or null.
function askReason(count) {
  return new Promise((resolve) => {
    const input = h('textarea', {id: 'reject-reason', rows: '3', maxlength: '2000', required: true});
    const error = h('p', {class: 'field-error', hidden: true, id: 'reject-reason-error'});
    input.setAttribute('aria-describedby', 'reject-reason-error');
    const dialog = h('dialog', {class: 'card', 'aria-labelledby': 'reject-title'});
    const form = h('form', {method: 'dialog', novalidate: true},
      h('h2', {id: 'reject-title'}, t('proposals.reject.title', {n: count})),
      h('div', {class: 'field'}, h('label', {for: 'reject-reason'}, t('proposals.reject.reason')), input, error),
      h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'danger', value: 'ok'}, t('proposals.reject')),
        h('button', {type: 'button', onClick: () => dialog.close('')}, t('cancel'))));
    form.addEventListener('submit', (event) => {
      if (!input.value.trim()) {
        event.preventDefault();
        error.hidden = false;
        error.textContent = t('proposals.reject.needreason');
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
    });
    dialog.append(form);
    dialog.addEventListener('close', () => {
      const value = dialog.returnValue === 'ok' ? input.value.trim() : null;
      dialog.remove();
      resolve(value);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}


// One alternative: who, from where, how far and why, and the button that swaps to them.
function alternativeItem(p, alt, onSwap) {
  const {km, reasons} = explain(alt);
  const name = alt.employee_name || alt.employee;
  const swap = h('button', {type: 'button', class: 'small', 'aria-label': t('alternatives.swapto', {name})},
    t('alternatives.swap'));
  swap.addEventListener('click', () => onSwap(alt, swap));
  return h('li', {class: 'alternative', 'data-employee': alt.employee},
    h('div', {}, h('strong', {}, name), h('span', {class: 'meta block'}, alt.organisation_name || alt.organisation || '')),
    h('div', {class: 'why'}, km !== null ? h('span', {class: 'km'}, t('proposals.km', {km: km.toFixed(1)})) : null,
      reasons.map((r) => h('span', {class: 'tag'}, r))),
    swap);
}

// Opens (or closes) the alternatives of waiting proposal `p` in a row below `row`;
// a swap calls `onSwapped` (which reads the list again), a failure is said in the row.
async function toggleAlternatives(p, row, button, onSwapped) {
  const next = row.nextElementSibling;
  if (next?.classList.contains('alternatives')) {
    next.remove();
    button.setAttribute('aria-expanded', 'false');
    button.removeAttribute('aria-controls');
    return;
  }
  const cell = h('td', {colspan: '7'}, loading(t('alternatives.loading')));
  const detail = h('tr', {class: 'alternatives', id: `alternatives-${p.id}`}, cell);
  row.after(detail);
  button.setAttribute('aria-expanded', 'true');
  button.setAttribute('aria-controls', detail.id);
  const name = p.employee_name || p.employee;
  const problem = h('div', {'aria-live': 'polite'});
  const onSwap = async (alt, swapButton) => {
    const to = alt.employee_name || alt.employee;
    try {
      await busy(swapButton, t('busy.saving'), () => api('POST', `/v1/proposals/${encodeURIComponent(p.id)}/swap`,
        {employee: alt.employee}));
    } catch (error) {
      replace(problem, errorBox(t('alternatives.failed', {name: to, reason: describeError(error)})));
      return;
    }
    toast(t('alternatives.swapped', {from: name, to}));
    await onSwapped();
  };
  try {
    const answer = await api('GET', `/v1/proposals/${encodeURIComponent(p.id)}/alternatives?limit=5`);
    const items = answer.alternatives || [];
    replace(cell, h('h3', {class: 'alternatives-title'}, t('alternatives.title', {name, date: formatDate(p.date),
      part: partName(p.part)})), problem,
    items.length ? h('ol', {class: 'alternative-list'}, items.map((alt) => alternativeItem(p, alt, onSwap)))
      : h('p', {class: 'meta'}, t('alternatives.none')));
  } catch (error) {
    replace(cell, errorBox(describeError(error)));
  }
}

// The filters in the address, the district defaulting to the one chosen this session.
function readFilters() {
  const query = new URLSearchParams(location.hash.split('?')[1] || '');
  const filters = {status: 'proposed'};
  for (const key of FILTERS) if (query.get(key)) filters[key] = query.get(key);
  if (!query.has('district') && chosenDistrict()) filters.district = chosenDistrict();
  return filters;
}

function writeFilters(filters) {
  const query = new URLSearchParams();
  for (const key of FILTERS)
    if (filters[key] && !(key === 'status' && filters[key] === 'proposed')) query.set(key, filters[key]);
  const text = query.toString();
  history.replaceState(null, '', `#/coordinator/proposals${text ? `?${text}` : ''}`);
}

function slotKey(request, date, part) {
  return `${request}|${date}|${part}`;
}

// A labelled select for filter `name` with [value, text] options after "all".
function filterSelect(name, label, all, options, value, onChange) {
  const id = `filter-${name}`;
  const select = h('select', {id, name},
    all === null ? null : h('option', {value: ''}, all),
    options.map(([v, text]) => h('option', {value: v, selected: v === value}, text)));
  select.addEventListener('change', () => onChange(name, select.value));
  return h('div', {class: 'field'}, h('label', {for: id}, label), select);
}

function proposalRow(p, figures, selected, onToggle, decide, reload) {
  const {km, reasons} = explain(p);
  const urgent = p.priority === 'high';
  const open = p.status === 'proposed';
  const box = open ? h('input', {type: 'checkbox', value: p.id, checked: selected.has(p.id),
    'aria-label': t('proposals.selectone', {name: p.employee_name || p.employee, date: formatDate(p.date),
                                            part: partName(p.part)})}) : null;
  box?.addEventListener('change', () => onToggle(p.id, box.checked));
  let actions;
  if (open) {
    const approve = h('button', {type: 'button', class: 'primary small'}, t('proposals.approve'));
    approve.addEventListener('click', () => decide([p.id], 'approve', approve));
    const reject = h('button', {type: 'button', class: 'danger small'}, t('proposals.reject'));
    reject.addEventListener('click', () => decide([p.id], 'reject', reject));
    const others = h('button', {type: 'button', class: 'small', 'aria-expanded': 'false'}, t('alternatives.open'));
    others.addEventListener('click', () => toggleAlternatives(p, others.closest('tr'), others, reload));
    actions = h('div', {class: 'row-actions'}, approve, reject, others);
  } else {
    actions = h('span', {class: `badge ${p.status === 'approved' ? 'ok' : 'muted'}`}, t(`proposal.status.${p.status}`));
  }
  return h('tr', {class: `proposal${urgent ? ' urgent' : ''}`, 'data-proposal': p.id, 'data-school': p.school,
                  'data-district': p.district, 'data-date': p.date, 'data-part': p.part},
    h('td', {class: 'select'}, box),
    h('td', {class: 'when', 'data-label': t('col.when')}, h('span', {class: 'nowrap'}, formatDate(p.date)), ' ',
      partName(p.part)),
    h('td', {class: 'school', 'data-label': t('col.school')}, p.school_name || p.school,
      urgent ? [' ', h('span', {class: 'badge urgent'}, t('priority.high'))] : null),
    h('td', {class: 'who', 'data-label': t('col.employee')}, h('strong', {}, p.employee_name || p.employee),
      h('span', {class: 'meta block'}, p.organisation_name || p.organisation)),
    h('td', {class: 'why', 'data-label': t('col.reason')},
      km !== null ? h('span', {class: 'km'}, t('proposals.km', {km: km.toFixed(1)})) : null,
      reasons.map((r) => h('span', {class: 'tag'}, r))),
    h('td', {class: 'slot', 'data-label': t('col.slot')},
      figures ? t('proposals.slot', figures) : '—'),
    h('td', {class: 'actions-cell'}, actions));
}

export async function proposalsPage(main, {isCurrent}) {
  const filters = readFilters();
  const controls = h('form', {class: 'card filters', 'aria-label': t('proposals.filters')});
  const list = h('div', {}, loading(t('busy.loading')));
  const bar = h('div', {class: 'bulk-bar', role: 'region', 'aria-label': t('proposals.bulk')});
  const progress = h('p', {class: 'bulk-progress', 'aria-live': 'polite'});
  const [districts, schools] = await Promise.all([listAll('/v1/districts').catch(() => []),
    listAll('/v1/schools').catch(() => [])]);
  if (!isCurrent()) return;
  let selected = new Set();
  let loaded = {proposals: [], figures: new Map(), priority: new Map()};
  let shown = [];
  let pageIndex = 0;

  const updateBar = () => {
    const ids = () => Array.from(selected);
    const approve = h('button', {type: 'button', class: 'primary', disabled: selected.size === 0},
      t('proposals.approve.n', {count: selected.size}));
    const reject = h('button', {type: 'button', class: 'danger', disabled: selected.size === 0},
      t('proposals.reject.n', {count: selected.size}));
    approve.addEventListener('click', () => decide(ids(), 'approve', approve));
    reject.addEventListener('click', () => decide(ids(), 'reject', reject));
    const open = shown.filter((p) => p.status === 'proposed');
    const all = h('button', {type: 'button', disabled: open.length === 0 || open.every((p) => selected.has(p.id))},
      t('proposals.selectall', {count: open.length}));
    all.addEventListener('click', () => {
      for (const p of open) selected.add(p.id);
      render();
    });
    const none = h('button', {type: 'button', class: 'link', disabled: selected.size === 0}, t('proposals.selectnone'));
    none.addEventListener('click', () => {
      selected = new Set();
      render();
    });
    replace(bar, h('span', {class: 'bulk-count'}, t('proposals.selected', {count: selected.size})), approve, reject,
      all, none, progress);
  };

  const render = () => {
    const page = pageOf(shown, PAGE_SIZE, pageIndex);
    pageIndex = page.index;
    updateBar();
    if (shown.length === 0) {
      replace(list, empty(t('proposals.empty'), t('proposals.emptyhint')));
      return;
    }
    const urgent = shown.filter((p) => p.priority === 'high').length;
    const onToggle = (id, on) => {
      if (on) selected.add(id); else selected.delete(id);
      updateBar();
    };
    const open = page.items.filter((p) => p.status === 'proposed');
    const pageBox = h('input', {type: 'checkbox', 'aria-label': t('proposals.selectpage'),
      checked: open.length > 0 && open.every((p) => selected.has(p.id)), disabled: open.length === 0});
    pageBox.addEventListener('change', () => {
      for (const p of open) if (pageBox.checked) selected.add(p.id); else selected.delete(p.id);
      render();
    });
    const nav = () => pager(shown.length, PAGE_SIZE, pageIndex, (i) => {
      pageIndex = i;
      render();
      list.scrollIntoView({block: 'start'});
    }, t('pager.label'));
    replace(list,
      h('p', {class: 'list-head', role: 'status'}, h('strong', {}, t('proposals.count', {n: shown.length})),
        urgent ? [' · ', h('span', {class: 'badge urgent'}, t('proposals.urgentcount', {n: urgent}))] : null),
      nav(),
      h('div', {class: 'table-wrap'}, h('table', {class: 'proposal-table'},
        h('caption', {class: 'sr-only'}, t('proposals.caption')),
        h('thead', {}, h('tr', {},
          h('th', {scope: 'col', class: 'select'}, pageBox),
          ['col.when', 'col.school', 'col.employee', 'col.reason', 'col.slot'].map((key) => h('th', {scope: 'col'}, t(key))),
          h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, t('col.decision'))))),
        h('tbody', {}, page.items.map((p) => proposalRow(p, loaded.figures.get(slotKey(p.request, p.date, p.part)),
          selected, onToggle, decide, load))))),
      nav());
  };

  // The API's filters changed: read the proposals and the slots' figures again.
  let generation = 0;
  const load = async () => {
    const mine = ++generation;
    replace(list, loading(t('proposals.loading')));
    try {
      const scope = {};
      if (filters.district) scope.district = filters.district;
      if (filters.school) scope.school = filters.school;
      if (filters.part) scope.part = filters.part;
      if (filters.priority) scope.priority = filters.priority;
      const status = filters.status || 'proposed';
      const [proposals, waiting, requests] = await Promise.all([
        listAll('/v1/proposals', {...scope, status}),
        status === 'proposed' ? null : listAll('/v1/proposals', {...scope, status: 'proposed'}),
        listAll('/v1/requests', filters.district ? {district: filters.district} : {})]);
      if (!isCurrent() || mine !== generation) return;
      const figures = new Map();
      const priority = new Map(requests.map((r) => [r.id, r.priority]));
      for (const r of requests)
        for (const slot of r.staffing)
          figures.set(slotKey(r.id, slot.date, slot.part), {needed: slot.needed, proposed: 0, approved: slot.approved});
      for (const p of waiting || proposals) {
        const f = figures.get(slotKey(p.request, p.date, p.part));
        if (f) f.proposed += 1;
      }
      for (const p of proposals) p.priority = priority.get(p.request) || 'normal';
      const ids = new Set(proposals.map((p) => p.id));
      selected = new Set(Array.from(selected).filter((id) => ids.has(id)));
      loaded = {proposals, figures};
      renderControls();
      refilter();
    } catch (error) {
      if (mine === generation) replace(list, errorBox(describeError(error)));
    }
  };

  // The page's own filter (the date) over what the API answered.
  const refilter = () => {
    shown = loaded.proposals.filter((p) => !filters.date || p.date === filters.date);
    const partOrder = {morning: 0, afternoon: 1};
    shown.sort((a, b) => a.date.localeCompare(b.date) || partOrder[a.part] - partOrder[b.part] ||
      (a.priority === 'high' ? 0 : 1) - (b.priority === 'high' ? 0 : 1) ||
      (a.school_name || '').localeCompare(b.school_name || '') || a.id.localeCompare(b.id));
    render();
  };

  const change = (name, value) => {
    if (value) filters[name] = value; else delete filters[name];
    if (name === 'district') {
      chooseDistrict(value);
      delete filters.school;
    }
    writeFilters(filters);
    pageIndex = 0;
    renderControls();
    if (name === 'date') refilter(); else load();
  };

  const renderControls = () => {
    const dates = Array.from(new Set(loaded.proposals.map((p) => p.date))).sort();
    if (filters.date && !dates.includes(filters.date)) dates.push(filters.date);
    const inDistrict = schools.filter((x) => !filters.district || x.district === filters.district)
      .sort((a, b) => a.name.localeCompare(b.name));
    replace(controls,
      filterSelect('date', t('filter.date'), t('filter.alldates'), dates.map((d) => [d, formatDate(d)]), filters.date, change),
      filterSelect('part', t('col.part'), t('filter.allparts'),
        [['morning', partName('morning')], ['afternoon', partName('afternoon')]], filters.part, change),
      filterSelect('district', t('coord.district'), t('coord.alldistricts'), districts.map((d) => [d.id, d.name]),
        filters.district, change),
      filterSelect('school', t('col.school'), t('filter.allschools'), inDistrict.map((x) => [x.id, x.name]),
        filters.school, change),
      filterSelect('priority', t('school.form.priority'), t('filter.allpriorities'),
        [['high', t('priority.high')], ['normal', t('priority.normal')]], filters.priority, change),
      filterSelect('status', t('filter.status'), null, ['proposed', 'approved', 'rejected', 'cancelled', 'any']
        .map((v) => [v, t(`proposal.status.${v}`)]), filters.status || 'proposed', change));
  };

  // Approves or rejects `ids` one by one, so that one conflict does not stop the rest.
  const decide = async (ids, action, button) => {
    let reason = null;
    if (action === 'reject') {
      reason = await askReason(ids.length);
      if (reason === null) return;
    }
    let done = 0;
    const failed = [];
    await busy(button, t('busy.saving'), async () => {
      for (const id of ids) {
        replace(progress, t('proposals.progress', {done, count: ids.length}));
        try {
          await api('POST', `/v1/proposals/${encodeURIComponent(id)}/${action}`, action === 'reject' ? {reason} : undefined);
          done += 1;
          selected.delete(id);
        } catch (error) {
          failed.push(`${id}: ${describeError(error)}`);
        }
      }
    });
    replace(progress);
    toast(t(action === 'approve' ? 'proposals.approved' : 'proposals.rejected', {n: done}));
    await load();
    if (failed.length) list.prepend(errorBox([t('proposals.failed', {n: failed.length}), h('ul', {}, failed.map((f) => h('li', {}, f)))]));
  };

  renderControls();
  replace(main, h('div', {class: 'page'},
    h('h1', {}, t('proposals.title')),
    h('p', {class: 'lead'}, t('proposals.intro')), controls, bar, list));
  updateBar();
  await load();
}
