// school.js: the school's page: post a request for extra hands (single dates or a
// weekly pattern), see every own request with, per day part, how many staff are
// approved and how many are still open, and who comes once approved; cancel one.
// Validation is the API's: the form sends what was typed and shows each problem the
// API names next to the field its JSON Pointer points at.

import {api, download, listAll, session} from './api.js';
import {busy, checkedValues, choices, clearFieldErrors, empty, errorBox, field, h, loading, replace,
        showProblems, toast} from './dom.js';
import {WEEKDAYS, weekdayIndex} from './dates.js';
import {describeError, formatDate, partName, qualName, t} from './i18n.js';

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

function staffingTable(request, assigned) {
  const rows = request.staffing.map((slot) => {
    const names = assigned.get(`${request.id}|${slot.date}|${slot.part}`) || [];
    const open = Math.max(0, slot.needed - slot.approved);
    return h('tr', {class: open > 0 ? 'open' : 'full'},
      h('td', {}, formatDate(slot.date)),
      h('td', {}, partName(slot.part)),
      h('td', {class: 'num'}, `${slot.approved} / ${slot.needed}`),
      h('td', {class: 'num'}, open > 0 ? h('span', {class: 'badge warn'}, t('school.open', {n: open}))
        : h('span', {class: 'badge ok'}, t('school.full'))),
      h('td', {}, names.length ? names.join(', ') : h('span', {class: 'muted'}, '—')));
  });
  return h('div', {class: 'table-wrap'}, h('table', {},
    h('caption', {class: 'sr-only'}, t('school.staffing.caption', {id: request.id})),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, t('col.date')), h('th', {scope: 'col'}, t('col.part')),
      h('th', {scope: 'col', class: 'num'}, t('col.filled')), h('th', {scope: 'col', class: 'num'}, t('col.open')),
      h('th', {scope: 'col'}, t('col.who')))),
    h('tbody', {}, rows)));
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
  const list = h('section', {'aria-labelledby': 'own-requests'});
  const exports = h('div', {class: 'actions'});
  const load = async () => {
    replace(list, h('h2', {id: 'own-requests'}, t('school.list.title')), loading(t('busy.loading')));
    try {
      const [requests, assignments] = await Promise.all([listAll('/v1/requests'), listAll('/v1/assignments')]);
      if (!isCurrent()) return;
      const schoolId = who.school;
      if (schoolId) {
        replace(exports, h('button', {type: 'button', onClick: (event) => busy(event.currentTarget, t('busy.loading'),
          () => download(`/v1/schools/${encodeURIComponent(schoolId)}/calendar.ics`, `handen-${schoolId}.ics`))
          .catch((error) => toast(describeError(error)))}, t('school.calendar')));
      }
      const assigned = new Map();
      for (const a of assignments) {
        const key = `${a.request}|${a.date}|${a.part}`;
        if (!assigned.has(key)) assigned.set(key, []);
        const who = a.employee_name || a.employee;
        assigned.get(key).push(a.employee_phone ? `${who} (${a.employee_phone})` : who);
      }
      requests.sort((a, b) => (a.status === b.status ? b.id.localeCompare(a.id) : a.status === 'open' ? -1 : 1));
      replace(list, h('h2', {id: 'own-requests'}, t('school.list.title')),
        requests.length === 0 ? empty(t('school.list.empty'), t('school.list.emptyhint'))
          : requests.map((r) => requestCard(r, assigned, load)));
    } catch (error) {
      replace(list, h('h2', {id: 'own-requests'}, t('school.list.title')), errorBox(describeError(error)));
    }
  };
  const form = requestForm(() => load());
  if (who.schoolName) replace(heading, t('school.title.named', {name: who.schoolName}));
  replace(main, h('div', {class: 'page'}, heading, h('p', {class: 'lead'}, t('school.intro')), exports,
    h('div', {class: 'columns'}, form, list)));
  await load();
}

