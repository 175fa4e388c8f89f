// school.js: the school's page: first who comes, per day (a day list that prints on
// its own through the print stylesheet), then every own request with, per day part,
// its status (open, in behandeling while proposals wait, goedgekeurd with who, from
// which organisation and their phone, geannuleerd); cancel one.  Below, folded, the
// form to post a request (single dates or a weekly pattern).  Validation is the API's:
// the form sends what was typed and shows each problem the API names next to the
// field its JSON Pointer points at.

import {api, download, listAll, session} from './api.js';
import {busy, checkedValues, choices, clearFieldErrors, empty, errorBox, field, h, loading, replace,
        showProblems, toast} from './dom.js';
import {WEEKDAYS, weekdayIndex} from './dates.js';
import {describeError, formatDate, partName, qualName, t} from './i18n.js';

const PART_ORDER = {morning: 0, afternoon: 1};

export const QUALS = ['pm', 'bso', 'kdv', 'first-aid', 'special-needs'];

// Which form field a JSON Pointer into the request body belongs to.
function fieldOf(pointer, mode) {
  const parts = pointer.split('/').slice(1);
  if (parts[0] === 'slots') {
    if (parts.length < 3) return mode === 'dates' ? 'dates' : 'from';
    if (mode === 'dates') return parts[2] === 'part' ? 'parts' : 'dates';
    return {from: 'from', to: 'to', weekdays: 'weekdays', parts: 'parts'}[parts[2]] || 'from';
  }
  if (parts[0] === 'staff_needed' || parts[0] === 'children_expected') return 'amount';
  return parts[0];
}

function requestForm(onCreated) {
  const dates = [];
  const dateInput = h('input', {type: 'date', name: 'date-pick'});
  const dateList = h('ul', {class: 'chips', 'aria-live': 'polite'});
  const renderDates = () => replace(dateList, dates.length === 0 ? h('li', {class: 'hint'}, t('school.form.nodates'))
    : dates.map((d, i) => h('li', {class: 'chip'}, formatDate(d), h('button', {
      type: 'button', class: 'link', 'aria-label': t('school.form.removedate', {date: formatDate(d)}),
      onClick: () => { dates.splice(i, 1); renderDates(); }}, '×'))));
  const addDate = () => {
    if (dateInput.value && !dates.includes(dateInput.value)) {
      dates.push(dateInput.value);
      dates.sort();
    }
    dateInput.value = '';
    renderDates();
    dateInput.focus();
  };
  dateInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { event.preventDefault(); addDate(); }
  });
  renderDates();
  const datesField = h('div', {class: 'field', 'data-field': 'dates'},
    h('label', {for: 'school-date'}, t('school.form.dates')),
    h('div', {class: 'inline'}, Object.assign(dateInput, {id: 'school-date'}),
      h('button', {type: 'button', onClick: addDate}, t('school.form.adddate'))),
    dateList,
    h('p', {class: 'field-error', hidden: true}));

  const from = h('input', {type: 'date', name: 'from'});
  const to = h('input', {type: 'date', name: 'to'});
  const weekly = h('div', {class: 'weekly', hidden: true},
    h('div', {class: 'row'}, field(t('school.form.from'), from), field(t('school.form.to'), to)),
    choices(t('school.form.weekdays'), 'weekdays', 'checkbox',
      WEEKDAYS.map((d) => [d, t(`day.${d}`)]), ['mon', 'tue', 'wed', 'thu', 'fri']));
  const single = h('div', {class: 'single'}, datesField);
  const mode = choices(t('school.form.when'), 'mode', 'radio',
    [['dates', t('school.form.mode.dates')], ['weekly', t('school.form.mode.weekly')]], ['dates']);
  mode.addEventListener('change', () => {
    const weeklyMode = checkedValues(mode, 'mode')[0] === 'weekly';
    weekly.hidden = !weeklyMode;
    single.hidden = weeklyMode;
  });

  const amount = h('input', {type: 'number', name: 'amount', min: '1', inputmode: 'numeric', value: '1'});
  const amountKind = choices(t('school.form.amountkind'), 'amount-kind', 'radio',
    [['staff', t('school.form.staff')], ['children', t('school.form.children')]], ['staff'],
    t('school.form.amounthint'));
  const ownStaff = h('input', {type: 'number', name: 'own_staff', min: '0', inputmode: 'numeric'});
  const priority = h('select', {name: 'priority'},
    h('option', {value: 'normal'}, t('priority.normal')), h('option', {value: 'high'}, t('priority.high.long')));
  const travel = h('input', {type: 'number', name: 'max_travel_km', min: '0', inputmode: 'numeric'});
  const note = h('textarea', {name: 'note', rows: '3', maxlength: '2000'});
  const summary = h('div', {class: 'error-summary', role: 'alert', hidden: true});
  const button = h('button', {type: 'submit', class: 'primary'}, t('school.form.submit'));

  const form = h('form', {class: 'card', novalidate: true, 'aria-labelledby': 'new-request'},
    h('h2', {id: 'new-request'}, t('school.form.title')),
    summary,
    mode, single, weekly,
    choices(t('school.form.parts'), 'parts', 'checkbox',
      [['morning', partName('morning')], ['afternoon', partName('afternoon')]], ['morning']),
    amountKind,
    h('div', {class: 'row'}, field(t('school.form.amount'), amount), field(t('school.form.ownstaff'), ownStaff,
      t('school.form.ownstaffhint'))),
    choices(t('school.form.required'), 'required', 'checkbox', QUALS.map((q) => [q, qualName(q)]), [],
      t('school.form.voghint')),
    choices(t('school.form.preferred'), 'preferred', 'checkbox', QUALS.map((q) => [q, qualName(q)]), []),
    h('div', {class: 'row'}, field(t('school.form.priority'), priority), field(t('school.form.travel'), travel,
      t('school.form.travelhint'))),
    field(t('school.form.note'), note),
    h('div', {class: 'actions'}, button));

  const number = (input) => (input.value.trim() === '' ? undefined : Number(input.value));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    summary.hidden = true;
    const kind = checkedValues(form, 'mode')[0];
    const parts = checkedValues(form, 'parts');
    const body = {};
    if (kind === 'dates') {
      if (dateInput.value && !dates.includes(dateInput.value)) addDate();
      body.slots = dates.flatMap((date) => parts.map((part) => ({date, part})));
      if (parts.length === 0 && dates.length > 0) body.slots = dates.map((date) => ({date}));
    } else {
      body.slots = [{from: from.value, to: to.value, weekdays: checkedValues(form, 'weekdays'), parts}];
    }
    if (checkedValues(form, 'amount-kind')[0] === 'children') body.children_expected = number(amount);
    else body.staff_needed = number(amount);
    if (number(ownStaff) !== undefined) body.own_staff = number(ownStaff);
    body.required = checkedValues(form, 'required');
    body.preferred = checkedValues(form, 'preferred');
    body.priority = priority.value;
    if (number(travel) !== undefined) body.max_travel_km = number(travel);
    if (note.value.trim()) body.note = note.value.trim();
    try {
      const created = await busy(button, t('busy.saving'), () => api('POST', '/v1/requests', body));
      toast(created.warnings?.length
        ? t('school.form.createdwarn', {id: created.id, n: created.warnings.length})
        : t('school.form.created', {id: created.id}));
      dates.length = 0;
      renderDates();
      note.value = '';
      onCreated(created);
    } catch (error) {
      if (!showProblems(form, summary, error, (pointer) => fieldOf(pointer, kind), true)) return;
      const first = form.querySelector('.invalid input, .invalid select, .invalid textarea');
      (first || summary).focus?.();
    }
  });
  return form;
}

// The status of one day part of `request`: cancelled, approved (as many as needed),
// in progress (proposals wait for the coordinator) or open.
export function slotStatus(request, slot) {
  if (request.status === 'cancelled') return 'cancelled';
  if (slot.needed > 0 && slot.approved >= slot.needed) return 'approved';
  if ((slot.proposed || 0) > 0) return 'proposed';
  return 'open';
}

const STATUS_BADGE = {cancelled: 'muted', approved: 'ok', proposed: 'info', open: 'warn'};

// Who comes: name, organisation and phone (a link to call) of approved assignments.
function whoComes(people) {
  if (people.length === 0) return h('span', {class: 'muted'}, '—');
  return h('ul', {class: 'people'}, people.map((a) => h('li', {},
    h('strong', {}, a.employee_name || a.employee), a.organisation_name ? ` · ${a.organisation_name}` : '',
    a.employee_phone ? [' · ', h('a', {href: `tel:${a.employee_phone.replace(/[^+\d]/g, '')}`}, a.employee_phone)] : '')));
}

function staffingTable(request, assigned) {
  const rows = request.staffing.map((slot) => {
    const people = assigned.get(`${request.id}|${slot.date}|${slot.part}`) || [];
    const status = slotStatus(request, slot);
    return h('tr', {class: `slot-${status}`, 'data-slot': `${slot.date}|${slot.part}`},
      h('td', {'data-label': t('col.date')}, formatDate(slot.date)),
      h('td', {'data-label': t('col.part')}, partName(slot.part)),
      h('td', {'data-label': t('col.status')},
        h('span', {class: `badge ${STATUS_BADGE[status]}`, 'data-status': status}, t(`slot.status.${status}`)),
        status === 'cancelled' ? null : h('span', {class: 'meta block'},
          t('school.slotfigures', {approved: slot.approved, needed: slot.needed}))),
      h('td', {'data-label': t('col.who')}, whoComes(people)));
  });
  return h('div', {class: 'table-wrap'}, h('table', {class: 'staffing'},
    h('caption', {class: 'sr-only'}, t('school.staffing.caption', {id: request.id})),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, t('col.date')), h('th', {scope: 'col'}, t('col.part')),
      h('th', {scope: 'col'}, t('col.status')), h('th', {scope: 'col'}, t('col.who')))),
    h('tbody', {}, rows)));
}

// The day list: per date and day part who comes (approved assignments), to print.
function dayList(assignments, schoolName) {
  const sorted = [...assignments].sort((a, b) => a.date.localeCompare(b.date) ||
    PART_ORDER[a.part] - PART_ORDER[b.part] || (a.employee_name || '').localeCompare(b.employee_name || ''));
  const byDate = new Map();
  for (const a of sorted) {
    if (!byDate.has(a.date)) byDate.set(a.date, []);
    byDate.get(a.date).push(a);
  }
  const print = h('button', {type: 'button', class: 'no-print', onClick: () => window.print()}, t('school.daylist.print'));
  return h('section', {class: 'card day-list', 'aria-labelledby': 'day-list-title'},
    h('div', {class: 'section-head'}, h('h2', {id: 'day-list-title'}, t('school.daylist.title')),
      sorted.length ? print : null),
    h('p', {class: 'print-only'}, schoolName || ''),
    sorted.length === 0 ? empty(t('school.daylist.empty'), t('school.daylist.emptyhint'))
      : Array.from(byDate.entries()).map(([date, items]) => h('div', {class: 'day', 'data-date': date},
        h('h3', {}, formatDate(date)),
        h('div', {class: 'table-wrap'}, h('table', {class: 'day-table'},
          h('caption', {class: 'sr-only'}, t('school.daylist.caption', {date: formatDate(date)})),
          h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, t('col.part')), h('th', {scope: 'col'}, t('col.name')),
            h('th', {scope: 'col'}, t('col.organisation')), h('th', {scope: 'col'}, t('col.phone')))),
          h('tbody', {}, items.map((a) => h('tr', {},
            h('td', {'data-label': t('col.part')}, partName(a.part)),
            h('td', {'data-label': t('col.name')}, h('strong', {}, a.employee_name || a.employee)),
            h('td', {'data-label': t('col.organisation')}, a.organisation_name || a.organisation || '—'),
            h('td', {'data-label': t('col.phone')}, a.employee_phone
              ? h('a', {href: `tel:${a.employee_phone.replace(/[^+\d]/g, '')}`}, a.employee_phone) : '—')))))))));
}

// The request's day parts at the weekend, as the API warns about them ("weekend"):
// stored, but a school is closed then.
function weekendWarning(request) {
  if (request.status === 'cancelled') return null;
  const slots = request.staffing.filter((slot) => weekdayIndex(slot.date) >= 5)
    .map((slot) => `${formatDate(slot.date)} ${partName(slot.part)}`);
  if (slots.length === 0) return null;
  return h('p', {class: 'warning', role: 'note', 'data-warning': 'weekend'},
    h('span', {class: 'badge warn'}, t('warning.label')), ' ', t('warning.weekend', {slots: slots.join(', ')}));
}

function requestCard(request, assigned, reload) {
  const cancelled = request.status === 'cancelled';
  const needed = request.staffing.reduce((n, s) => n + s.needed, 0);
  const approved = request.staffing.reduce((n, s) => n + s.approved, 0);
  const cancel = h('button', {type: 'button', class: 'danger'}, t('school.cancel'));
  cancel.addEventListener('click', async () => {
    if (!window.confirm(t('school.cancel.confirm', {id: request.id}))) return;
    try {
      await busy(cancel, t('busy.cancelling'), () => api('POST', `/v1/requests/${encodeURIComponent(request.id)}/cancel`));
      toast(t('school.cancelled', {id: request.id}));
      reload();
    } catch (error) {
      toast(describeError(error));
    }
  });
  return h('article', {class: `card request${cancelled ? ' cancelled' : ''}`, 'data-request': request.id},
    h('header', {class: 'card-head'},
      h('h3', {}, t('school.request', {id: request.id})),
      h('span', {class: `badge ${cancelled ? 'muted' : 'ok'}`}, t(`status.${request.status}`)),
      request.priority === 'high' ? h('span', {class: 'badge warn'}, t('priority.high')) : null),
    h('p', {class: 'meta'},
      request.staff_needed ? t('school.staffneeded', {n: request.staff_needed})
        : t('school.childrenexpected', {n: request.children_expected}),
      ' · ', t('school.progress', {approved, needed}),
      request.required?.length ? ` · ${t('school.requires')}: ${request.required.map(qualName).join(', ')}` : ''),
    request.note ? h('p', {class: 'note'}, request.note) : null,
    weekendWarning(request),
    staffingTable(request, assigned),
    cancelled ? null : h('div', {class: 'actions'}, cancel));
}

export async function schoolPage(main, {isCurrent}) {
  const who = session();
  const heading = h('h1', {}, t('school.title'));
  const days = h('div', {class: 'day-holder'});
  const list = h('section', {'aria-labelledby': 'own-requests'});
  const exports = h('div', {class: 'actions no-print'});
  const fold = h('details', {class: 'new-request no-print'});
  const load = async () => {
    replace(list, h('h2', {id: 'own-requests'}, t('school.list.title')), loading(t('busy.loading')));
    try {
      const [requests, assignments] = await Promise.all([listAll('/v1/requests'), listAll('/v1/assignments')]);
      if (!isCurrent()) return;
      const schoolId = who.school;
      if (schoolId) {
        replace(exports, h('button', {type: 'button', onClick: (event) => busy(event.currentTarget, t('busy.loading'),
          () => download(`/v1/schools/${encodeURIComponent(schoolId)}/calendar.ics`, `handen-${schoolId}.ics`))
          .catch((error) => toast(describeError(error)))}, t('school.calendar')),
          h('a', {href: '#new-request-form', class: 'button', onClick: () => { fold.open = true; }}, t('school.form.open')));
      }
      const approved = assignments.filter((a) => a.status === 'approved');
      const assigned = new Map();
      for (const a of approved) {
        const key = `${a.request}|${a.date}|${a.part}`;
        if (!assigned.has(key)) assigned.set(key, []);
        assigned.get(key).push(a);
      }
      replace(days, dayList(approved, who.schoolName));
      requests.sort((a, b) => (a.status === b.status ? b.id.localeCompare(a.id) : a.status === 'open' ? -1 : 1));
      if (requests.length === 0) fold.open = true;
      replace(list, h('h2', {id: 'own-requests'}, t('school.list.title')),
        requests.length === 0 ? empty(t('school.list.empty'), t('school.list.emptyhint'))
          : requests.map((r) => requestCard(r, assigned, load)));
    } catch (error) {
      replace(list, h('h2', {id: 'own-requests'}, t('school.list.title')), errorBox(describeError(error)));
    }
  };
  const form = requestForm(() => load());
  replace(fold, h('summary', {id: 'new-request-form'}, t('school.form.fold')), form);
  if (who.schoolName) replace(heading, t('school.title.named', {name: who.schoolName}));
  replace(main, h('div', {class: 'page school-page'}, heading, h('p', {class: 'lead no-print'}, t('school.intro')), exports,
    days, list, fold));
  await load();
}
