// school.js: the school's page: first who comes, per day (a day list limited to a date
// or a range, from the service's today on unless chosen otherwise, that prints on its
// own through the print stylesheet), then every own request with, per day part, its
// status (open, in behandeling while proposals wait, goedgekeurd with who, from which
// organisation and their phone, geannuleerd); change one in the request form filled
// in, cancel one of its day parts, or all of it.  Below, folded, the form to post a
// request (single dates or a weekly pattern).  Validation is the API's: the form sends
// what was typed and shows each problem the API names next to the field its JSON
// Pointer points at.  A change sends the day parts only when they were touched, so
// rules the form cannot show (split by a cancelled day part) stay as they are.

import {api, download, listAll, session} from './api.js';
import {busy, checkedValues, choices, clearFieldErrors, empty, errorBox, field, h, loading, replace,
        showProblems, toast, uid} from './dom.js';
import {WEEKDAYS, today, weekdayIndex} from './dates.js';
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

// The form's day parts for a stored request's rules: one weekly pattern, or single
// dates each with the same day parts; `exact` is false when the form cannot show the
// rules as they are (then it shows the dates and parts they touch).
function formSlots(request) {
  const rules = request.slots || [];
  if (rules.length === 1 && rules[0].from) {
    return {mode: 'weekly', dates: [], parts: rules[0].parts, from: rules[0].from, to: rules[0].to,
      weekdays: rules[0].weekdays, exact: true};
  }
  const dayParts = rules.every((r) => r.date) ? rules.map((r) => ({date: r.date, part: r.part}))
    : request.staffing.map((slot) => ({date: slot.date, part: slot.part}));
  const dates = [...new Set(dayParts.map((d) => d.date))].sort();
  const parts = ['morning', 'afternoon'].filter((p) => dayParts.some((d) => d.part === p));
  const distinct = new Set(dayParts.map((d) => `${d.date}|${d.part}`)).size;
  return {mode: 'dates', dates, parts, exact: rules.every((r) => r.date) && dates.length * parts.length === distinct};
}

// The request form: empty to post a new request (onSaved gets the new one), or filled
// in with `request` to change it (PATCH; `onClose` folds it away again).
function requestForm(onSaved, request = null, onClose = null) {
  const editing = request !== null;
  const filled = editing ? formSlots(request) : null;
  let slotsTouched = false;
  const dates = filled ? [...filled.dates] : [];
  const dateInput = h('input', {type: 'date', name: 'date-pick'});
  const dateList = h('ul', {class: 'chips', 'aria-live': 'polite'});
  const renderDates = () => replace(dateList, dates.length === 0 ? h('li', {class: 'hint'}, t('school.form.nodates'))
    : dates.map((d, i) => h('li', {class: 'chip'}, formatDate(d), h('button', {
      type: 'button', class: 'link', 'aria-label': t('school.form.removedate', {date: formatDate(d)}),
      onClick: () => { dates.splice(i, 1); slotsTouched = true; renderDates(); }}, '×'))));
  const addDate = () => {
    if (dateInput.value && !dates.includes(dateInput.value)) {
      dates.push(dateInput.value);
      dates.sort();
      slotsTouched = true;
    }
    dateInput.value = '';
    renderDates();
    dateInput.focus();
  };
  dateInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') { event.preventDefault(); addDate(); }
  });
  renderDates();
  const dateId = editing ? uid('school-date') : 'school-date';
  const datesField = h('div', {class: 'field', 'data-field': 'dates'},
    h('label', {for: dateId}, t('school.form.dates')),
    h('div', {class: 'inline'}, Object.assign(dateInput, {id: dateId}),
      h('button', {type: 'button', onClick: addDate}, t('school.form.adddate'))),
    dateList,
    h('p', {class: 'field-error', hidden: true}));

  const weeklyFilled = filled?.mode === 'weekly';
  const from = h('input', {type: 'date', name: 'from', value: weeklyFilled ? filled.from : ''});
  const to = h('input', {type: 'date', name: 'to', value: weeklyFilled ? filled.to : ''});
  const weekly = h('div', {class: 'weekly', hidden: !weeklyFilled},
    h('div', {class: 'row'}, field(t('school.form.from'), from), field(t('school.form.to'), to)),
    choices(t('school.form.weekdays'), 'weekdays', 'checkbox',
      WEEKDAYS.map((d) => [d, t(`day.${d}`)]), weeklyFilled ? filled.weekdays : ['mon', 'tue', 'wed', 'thu', 'fri']));
  const single = h('div', {class: 'single', hidden: weeklyFilled}, datesField);
  const mode = choices(t('school.form.when'), 'mode', 'radio',
    [['dates', t('school.form.mode.dates')], ['weekly', t('school.form.mode.weekly')]], [weeklyFilled ? 'weekly' : 'dates']);
  mode.addEventListener('change', () => {
    const weeklyMode = checkedValues(mode, 'mode')[0] === 'weekly';
    weekly.hidden = !weeklyMode;
    single.hidden = weeklyMode;
  });
  const parts = choices(t('school.form.parts'), 'parts', 'checkbox',
    [['morning', partName('morning')], ['afternoon', partName('afternoon')]], filled ? filled.parts : ['morning']);
  for (const control of [mode, weekly, parts]) {
    control.addEventListener('change', () => { slotsTouched = true; });
  }

  const byChildren = editing && !(request.staff_needed > 0) && request.children_expected > 0;
  const amountValue = !editing ? '1' : String(byChildren ? request.children_expected : request.staff_needed);
  const amount = h('input', {type: 'number', name: 'amount', min: '1', inputmode: 'numeric', value: amountValue});
  const amountKind = choices(t('school.form.amountkind'), 'amount-kind', 'radio',
    [['staff', t('school.form.staff')], ['children', t('school.form.children')]], [byChildren ? 'children' : 'staff'],
    t('school.form.amounthint'));
  const optional = (value) => (value === undefined || value === null || value < 0 ? '' : String(value));
  const ownStaff = h('input', {type: 'number', name: 'own_staff', min: '0', inputmode: 'numeric',
    value: editing ? optional(request.own_staff) : ''});
  const priority = h('select', {name: 'priority'},
    h('option', {value: 'normal'}, t('priority.normal')), h('option', {value: 'high'}, t('priority.high.long')));
  if (editing) priority.value = request.priority || 'normal';
  const travel = h('input', {type: 'number', name: 'max_travel_km', min: '0', inputmode: 'numeric',
    value: editing ? optional(request.max_travel_km) : ''});
  const note = h('textarea', {name: 'note', rows: '3', maxlength: '2000'});
  if (editing) note.value = request.note || '';
  const summary = h('div', {class: 'error-summary', role: 'alert', hidden: true});
  const button = h('button', {type: 'submit', class: 'primary'}, t(editing ? 'school.edit.submit' : 'school.form.submit'));
  const close = editing ? h('button', {type: 'button', onClick: () => onClose()}, t('school.edit.close')) : null;
  const titleId = editing ? uid('edit-request') : 'new-request';
  const quals = (list) => (list || []).filter((q) => QUALS.includes(q));

  const form = h('form', {class: editing ? 'card edit-request' : 'card', novalidate: true, 'aria-labelledby': titleId},
    h('h2', {id: titleId}, editing ? t('school.edit.title', {id: request.id}) : t('school.form.title')),
    summary,
    editing && !filled.exact ? h('p', {class: 'hint'}, t('school.edit.slotshint')) : null,
    mode, single, weekly,
    parts,
    amountKind,
    h('div', {class: 'row'}, field(t('school.form.amount'), amount), field(t('school.form.ownstaff'), ownStaff,
      t('school.form.ownstaffhint'))),
    choices(t('school.form.required'), 'required', 'checkbox', QUALS.map((q) => [q, qualName(q)]),
      editing ? quals(request.required) : [], t('school.form.voghint')),
    choices(t('school.form.preferred'), 'preferred', 'checkbox', QUALS.map((q) => [q, qualName(q)]),
      editing ? quals(request.preferred) : []),
    h('div', {class: 'row'}, field(t('school.form.priority'), priority), field(t('school.form.travel'), travel,
      t('school.form.travelhint'))),
    field(t('school.form.note'), note),
    h('div', {class: 'actions'}, button, close));

  const number = (input) => (input.value.trim() === '' ? undefined : Number(input.value));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    summary.hidden = true;
    const kind = checkedValues(form, 'mode')[0];
    const chosenParts = checkedValues(form, 'parts');
    const body = {};
    if (kind === 'dates' && dateInput.value && !dates.includes(dateInput.value)) addDate();
    if (!editing || slotsTouched) {
      if (kind === 'dates') {
        body.slots = dates.flatMap((date) => chosenParts.map((part) => ({date, part})));
        if (chosenParts.length === 0 && dates.length > 0) body.slots = dates.map((date) => ({date}));
      } else {
        body.slots = [{from: from.value, to: to.value, weekdays: checkedValues(form, 'weekdays'), parts: chosenParts}];
      }
    }
    // A change sets what the form shows and clears what it leaves empty (merge patch).
    const cleared = editing ? null : undefined;
    if (checkedValues(form, 'amount-kind')[0] === 'children') {
      body.children_expected = number(amount);
      if (editing) body.staff_needed = null;
    } else {
      body.staff_needed = number(amount);
    }
    body.own_staff = number(ownStaff) ?? cleared;
    body.required = checkedValues(form, 'required');
    if (editing && request.required?.includes('vog')) body.required.push('vog');
    body.preferred = checkedValues(form, 'preferred');
    body.priority = priority.value;
    body.max_travel_km = number(travel) ?? cleared;
    body.note = note.value.trim() || cleared;
    for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
    try {
      if (editing) {
        const changed = await busy(button, t('busy.saving'),
          () => api('PATCH', `/v1/requests/${encodeURIComponent(request.id)}`, body));
        toast(t('school.edit.saved', {id: changed.id}));
        onSaved(changed);
        return;
      }
      const created = await busy(button, t('busy.saving'), () => api('POST', '/v1/requests', body));
      toast(created.warnings?.length
        ? t('school.form.createdwarn', {id: created.id, n: created.warnings.length})
        : t('school.form.created', {id: created.id}));
      dates.length = 0;
      renderDates();
      note.value = '';
      onSaved(created);
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

// A button that cancels one day part of `request` after a confirmation.
function cancelPartButton(request, slot, reload) {
  const what = {id: request.id, date: formatDate(slot.date), part: partName(slot.part)};
  const button = h('button', {type: 'button', class: 'link danger', 'aria-label': t('school.cancelpart.label', what)},
    t('school.cancelpart'));
  button.addEventListener('click', async () => {
    if (!window.confirm(t('school.cancelpart.confirm', what))) return;
    try {
      await busy(button, t('busy.cancelling'), () => api('POST', `/v1/requests/${encodeURIComponent(request.id)}/cancel`,
        {date: slot.date, part: slot.part}));
      toast(t('school.cancelpart.done', what));
      reload();
    } catch (error) {
      toast(describeError(error));
    }
  });
  return button;
}

function staffingTable(request, assigned, reload) {
  // One day part alone is cancelled with the request.
  const partly = request.status !== 'cancelled' && request.staffing.length > 1;
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
      h('td', {'data-label': t('col.who')}, whoComes(people)),
      partly ? h('td', {class: 'no-print'}, cancelPartButton(request, slot, reload)) : null);
  });
  return h('div', {class: 'table-wrap'}, h('table', {class: 'staffing'},
    h('caption', {class: 'sr-only'}, t('school.staffing.caption', {id: request.id})),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, t('col.date')), h('th', {scope: 'col'}, t('col.part')),
      h('th', {scope: 'col'}, t('col.status')), h('th', {scope: 'col'}, t('col.who')),
      partly ? h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, t('school.cancelpart.col'))) : null)),
    h('tbody', {}, rows)));
}

// The dates the day list shows: from and to (inclusive, either may be empty), from
// the service's today on until the school chooses otherwise; kept across reloads.
const dayRange = {from: null, to: ''};

// The day list: per date and day part who comes (approved assignments) between the
// dates of the filter above it, to print (the filter itself does not print).
function dayList(all, schoolName, firstDay) {
  if (dayRange.from === null) dayRange.from = firstDay;
  const from = h('input', {type: 'date', name: 'daylist-from', value: dayRange.from});
  const to = h('input', {type: 'date', name: 'daylist-to', value: dayRange.to});
  const print = h('button', {type: 'button', class: 'no-print', onClick: () => window.print()}, t('school.daylist.print'));
  const range = h('p', {class: 'meta day-range', 'aria-live': 'polite'});
  const days = h('div', {class: 'days'});
  const render = () => {
    dayRange.from = from.value;
    dayRange.to = to.value;
    const shown = all.filter((a) => (!from.value || a.date >= from.value) && (!to.value || a.date <= to.value));
    print.hidden = shown.length === 0;
    replace(range, rangeText());
    replace(days, dayTables(shown, all.length === 0));
  };
  const everything = h('button', {type: 'button', onClick: () => { from.value = ''; to.value = ''; render(); }},
    t('school.daylist.all'));
  from.addEventListener('change', render);
  to.addEventListener('change', render);
  render();
  return h('section', {class: 'card day-list', 'aria-labelledby': 'day-list-title'},
    h('div', {class: 'section-head'}, h('h2', {id: 'day-list-title'}, t('school.daylist.title')), print),
    h('div', {class: 'row day-filter no-print', role: 'group', 'aria-label': t('school.daylist.filter')},
      field(t('school.daylist.from'), from), field(t('school.daylist.to'), to), h('div', {class: 'actions'}, everything)),
    h('p', {class: 'print-only'}, schoolName || ''),
    range, days);
}

// The words for the dates the day list covers, printed above it.
function rangeText() {
  const {from, to} = dayRange;
  if (from && to) {
    return from === to ? t('school.daylist.on', {date: formatDate(from)})
      : t('school.daylist.between', {from: formatDate(from), to: formatDate(to)});
  }
  if (from) return t('school.daylist.since', {date: formatDate(from)});
  if (to) return t('school.daylist.until', {date: formatDate(to)});
  return t('school.daylist.always');
}

// One table per date of who comes, in date, day part and name order; when there are
// none, whether `nobody` is planned at all or only nobody between the dates.
function dayTables(assignments, nobody) {
  const sorted = [...assignments].sort((a, b) => a.date.localeCompare(b.date) ||
    PART_ORDER[a.part] - PART_ORDER[b.part] || (a.employee_name || '').localeCompare(b.employee_name || ''));
  const byDate = new Map();
  for (const a of sorted) {
    if (!byDate.has(a.date)) byDate.set(a.date, []);
    byDate.get(a.date).push(a);
  }
  if (sorted.length === 0) {
    return nobody ? empty(t('school.daylist.empty'), t('school.daylist.emptyhint'))
      : empty(t('school.daylist.none'), t('school.daylist.nonehint'));
  }
  return Array.from(byDate.entries()).map(([date, items]) => h('div', {class: 'day', 'data-date': date},
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
          ? h('a', {href: `tel:${a.employee_phone.replace(/[^+\d]/g, '')}`}, a.employee_phone) : '—'))))))));
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
  const editor = h('div', {class: 'editor no-print'});
  const edit = h('button', {type: 'button', 'aria-expanded': 'false'}, t('school.edit'));
  const closeEditor = () => {
    replace(editor);
    edit.setAttribute('aria-expanded', 'false');
    edit.focus();
  };
  edit.addEventListener('click', () => {
    if (editor.firstChild) {
      closeEditor();
      return;
    }
    const form = requestForm(() => reload(), request, closeEditor);
    replace(editor, form);
    edit.setAttribute('aria-expanded', 'true');
    form.querySelector('h2').setAttribute('tabindex', '-1');
    form.querySelector('h2').focus();
  });
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
    staffingTable(request, assigned, reload),
    cancelled ? null : h('div', {class: 'actions'}, edit, cancel),
    editor);
}

export async function schoolPage(main, {isCurrent}) {
  const who = session();
  const heading = h('h1', {}, t('school.title'));
  const days = h('div', {class: 'day-holder'});
  let firstDay = null; // the service's today (GET /v1/me), where the day list starts
  const list = h('section', {'aria-labelledby': 'own-requests'});
  const exports = h('div', {class: 'actions no-print'});
  const fold = h('details', {class: 'new-request no-print'});
  const load = async () => {
    replace(list, h('h2', {id: 'own-requests'}, t('school.list.title')), loading(t('busy.loading')));
    try {
      const [requests, assignments, me] = await Promise.all([listAll('/v1/requests'), listAll('/v1/assignments'),
        firstDay === null ? api('GET', '/v1/me') : null]);
      if (me) firstDay = me.today || today();
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
      replace(days, dayList(approved, who.schoolName, firstDay));
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
