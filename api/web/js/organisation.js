// organisation.js: the childcare organisation's page: its employees (and only its
// own: the API scopes the token), a form to add or edit one, an import from a
// spreadsheet (spreadsheet.js), availability on a week grid of day parts, and where
// each employee has been assigned (approved only); between the two the planner's week grid
// of everyone (weekgrid.js), with the proposals still waiting on them.

import {api, download, listAll} from './api.js';
import {busy, checkedValues, choices, clearFieldErrors, empty, errorBox, field, h, loading, replace,
        showProblems, toast} from './dom.js';
import {PARTS, WEEKDAYS, addDays, compressRules, expandRules, isoWeek, mondayOf, today} from './dates.js';
import {describeError, formatDate, formatDay, partName, qualName, t} from './i18n.js';
import {importCard} from './spreadsheet.js';
import {weekGrid} from './weekgrid.js';

const QUALS = ['vog', 'pm', 'bso', 'kdv', 'first-aid', 'special-needs'];

function employeeForm(employee, districts, onSaved, onCancel) {
  const name = h('input', {name: 'name', autocomplete: 'off', value: employee?.name || ''});
  const district = h('select', {name: 'district'},
    districts.map((d) => h('option', {value: d.id, selected: employee?.district === d.id}, d.name)));
  const parts = h('input', {type: 'number', name: 'max_parts_per_week', min: '1', max: '14', inputmode: 'numeric',
                            value: String(employee?.max_parts_per_week ?? 6)});
  const travel = h('input', {type: 'number', name: 'max_travel_km', min: '0', max: '300', inputmode: 'numeric',
                             value: String(employee?.max_travel_km ?? 10)});
  const email = h('input', {type: 'email', name: 'email', autocomplete: 'off', value: employee?.email || ''});
  const phone = h('input', {type: 'tel', name: 'phone', autocomplete: 'off', value: employee?.phone || ''});
  const active = h('input', {type: 'checkbox', name: 'active', checked: employee ? employee.active !== false : true});
  const summary = h('div', {class: 'error-summary', role: 'alert', hidden: true});
  const button = h('button', {type: 'submit', class: 'primary'}, employee ? t('org.form.save') : t('org.form.add'));
  const title = employee ? t('org.form.edit', {name: employee.name}) : t('org.form.new');
  const form = h('form', {class: 'card', novalidate: true, 'aria-label': title},
    h('h2', {}, title), summary,
    field(t('org.form.name'), name),
    h('div', {class: 'row'}, field(t('org.form.district'), district), field(t('org.form.parts'), parts, t('org.form.partshint')),
      field(t('org.form.travel'), travel)),
    h('div', {class: 'row'}, field(t('org.form.email'), email, t('org.form.contacthint')), field(t('org.form.phone'), phone)),
    choices(t('org.form.quals'), 'qualifications', 'checkbox', QUALS.map((q) => [q, qualName(q)]),
      employee?.qualifications || ['vog'], t('org.form.qualshint')),
    h('div', {class: 'field', 'data-field': 'active'}, h('label', {class: 'choice'}, active, ' ', t('org.form.active')),
      h('p', {class: 'field-error', hidden: true})),
    h('div', {class: 'actions'}, button,
      h('button', {type: 'button', onClick: onCancel}, t('cancel'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    summary.hidden = true;
    const body = {name: name.value.trim(), district: district.value,
                  qualifications: checkedValues(form, 'qualifications'),
                  max_parts_per_week: parts.value === '' ? undefined : Number(parts.value),
                  max_travel_km: travel.value === '' ? undefined : Number(travel.value)};
    if (employee) body.active = active.checked;
    // An emptied field removes the value (null in a merge patch; left out when new).
    for (const [key, input] of [['email', email], ['phone', phone]]) {
      const value = input.value.trim();
      if (value !== '') body[key] = value;
      else if (employee) body[key] = null;
    }
    try {
      const saved = await busy(button, t('busy.saving'), () => (employee
        ? api('PATCH', `/v1/employees/${encodeURIComponent(employee.id)}`, body)
        : api('POST', '/v1/employees', body)));
      toast(saved.warnings?.some((w) => w.code === 'no_vog')
        ? t('org.form.savednovog', {name: saved.name}) : t('org.form.saved', {name: saved.name}));
      onSaved(saved);
    } catch (error) {
      showProblems(form, summary, error, (pointer) => pointer.split('/')[1] || '');
    }
  });
  setTimeout(() => name.focus(), 0);
  return form;
}

// The week grid: one button per day part of a week, pressed when available.
// It opens on the employee's first available week, else on `fallback` (a date).
function availabilityEditor(employee, fallback, onSaved, onClose) {
  const chosen = expandRules(employee.availability);
  const first = Array.from(chosen).sort()[0]?.split('|')[0];
  let monday = mondayOf(first || fallback || today());
  const grid = h('div', {class: 'week-grid-wrap'});
  const label = h('h3', {'aria-live': 'polite'});
  const draw = () => {
    replace(label, t('org.week', {week: isoWeek(monday), from: formatDate(monday), to: formatDate(addDays(monday, 6))}));
    const head = h('tr', {}, h('td', {}), WEEKDAYS.map((d, i) => h('th', {scope: 'col'},
      h('span', {class: 'day-name'}, t(`day.${d}`)), h('span', {class: 'day-date'}, formatDay(addDays(monday, i), {day: 'numeric', month: 'short'})))));
    const rows = PARTS.map((part) => h('tr', {}, h('th', {scope: 'row'}, partName(part)),
      WEEKDAYS.map((d, i) => {
        const date = addDays(monday, i);
        const key = `${date}|${part}`;
        const cell = h('button', {type: 'button', class: 'slot', 'aria-pressed': chosen.has(key) ? 'true' : 'false',
          'data-slot': key, 'aria-label': `${formatDate(date)} ${partName(part)}`},
          chosen.has(key) ? '✓' : '–');
        cell.addEventListener('click', () => {
          if (chosen.has(key)) chosen.delete(key); else chosen.add(key);
          const on = chosen.has(key);
          cell.setAttribute('aria-pressed', on ? 'true' : 'false');
          replace(cell, on ? '✓' : '–');
        });
        return h('td', {}, cell);
      })));
    replace(grid, h('table', {class: 'week-grid'}, h('thead', {}, head), h('tbody', {}, rows)));
  };
  draw();
  const save = h('button', {type: 'button', class: 'primary'}, t('org.saveavailability'));
  save.addEventListener('click', async () => {
    try {
      const saved = await busy(save, t('busy.saving'), () =>
        api('PUT', `/v1/employees/${encodeURIComponent(employee.id)}/availability`, compressRules(chosen)));
      toast(t('org.availabilitysaved', {name: saved.name}));
      onSaved(saved);
    } catch (error) {
      toast(describeError(error));
    }
  });
  return h('section', {class: 'card', 'aria-label': t('org.availability.title', {name: employee.name})},
    h('h2', {}, t('org.availability.title', {name: employee.name})),
    h('p', {class: 'hint'}, t('org.availability.hint')),
    h('div', {class: 'week-nav'},
      h('button', {type: 'button', onClick: () => { monday = addDays(monday, -7); draw(); }}, t('org.prevweek')),
      label,
      h('button', {type: 'button', onClick: () => { monday = addDays(monday, 7); draw(); }}, t('org.nextweek'))),
    grid,
    h('div', {class: 'actions'}, save, h('button', {type: 'button', onClick: onClose}, t('close'))));
}

function employeesTable(employees, assignments, onEdit, onAvailability) {
  const count = new Map();
  for (const a of assignments) count.set(a.employee, (count.get(a.employee) || 0) + 1);
  return h('div', {class: 'table-wrap'}, h('table', {class: 'employees'},
    h('thead', {}, h('tr', {}, [t('col.name'), t('col.quals'), t('col.partsweek'), t('col.travel'), t('col.assigned'), '']
      .map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', {}, employees.map((e) => h('tr', {class: e.active === false ? 'inactive' : '', 'data-employee': e.id},
      h('td', {}, h('strong', {}, e.name), e.active === false ? h('span', {class: 'badge muted'}, t('org.inactive')) : null,
        (e.qualifications || []).includes('vog') ? null
          : h('p', {class: 'warning', 'data-warning': 'no_vog'}, h('span', {class: 'badge warn'}, t('org.novog')), ' ',
            t('warning.no_vog'))),
      h('td', {}, (e.qualifications || []).map((q) => h('span', {class: 'tag'}, qualName(q)))),
      h('td', {class: 'num', 'data-label': t('col.partsweek')}, String(e.max_parts_per_week ?? '')),
      h('td', {class: 'num', 'data-label': t('col.travel')}, e.max_travel_km !== undefined ? `${e.max_travel_km} km` : ''),
      h('td', {class: 'num', 'data-label': t('col.assigned')}, String(count.get(e.id) || 0)),
      h('td', {class: 'row-actions'},
        h('button', {type: 'button', onClick: () => onEdit(e)}, t('org.edit')),
        h('button', {type: 'button', onClick: () => onAvailability(e)}, t('org.availability'))))))));
}

function assignmentsList(employees, assignments) {
  if (assignments.length === 0) return empty(t('org.assignments.empty'), t('org.assignments.emptyhint'));
  const byEmployee = new Map();
  for (const a of assignments) {
    if (!byEmployee.has(a.employee)) byEmployee.set(a.employee, []);
    byEmployee.get(a.employee).push(a);
  }
  const names = new Map(employees.map((e) => [e.id, e.name]));
  return Array.from(byEmployee.keys()).sort().map((id) => {
    const rows = byEmployee.get(id).sort((a, b) => (a.date + a.part).localeCompare(b.date + b.part));
    const calendar = h('button', {type: 'button', class: 'link'}, t('org.calendar'));
    calendar.addEventListener('click', () => busy(calendar, t('busy.loading'),
      () => download(`/v1/employees/${encodeURIComponent(id)}/calendar.ics`, `handen-${id}.ics`))
      .catch((error) => toast(describeError(error))));
    return h('article', {class: 'card assignment', 'data-employee': id},
      h('header', {class: 'card-head'}, h('h3', {}, names.get(id) || rows[0].employee_name || id), calendar),
      h('ul', {class: 'plain'}, rows.map((a) => h('li', {},
        h('strong', {}, `${formatDate(a.date)} ${partName(a.part)}`), ' — ', a.school_name || a.school))));
  });
}

export async function organisationPage(main, {isCurrent}) {
  const panel = h('div', {class: 'panel'});
  const list = h('section', {'aria-labelledby': 'employees-title'});
  const planner = h('div', {class: 'planner-holder'});
  const placed = h('section', {'aria-labelledby': 'assignments-title'});
  let districts = [];
  let firstDate = null; // the earliest day anyone of the organisation is available
  const load = async () => {
    replace(list, h('h2', {id: 'employees-title'}, t('org.employees')), loading(t('busy.loading')));
    replace(placed, h('h2', {id: 'assignments-title'}, t('org.assignments')), loading(t('busy.loading')));
    try {
      const [employees, assignments, allDistricts, proposals, me] = await Promise.all([
        listAll('/v1/employees'), listAll('/v1/assignments'), listAll('/v1/districts'), listAll('/v1/proposals'),
        api('GET', '/v1/me')]);
      if (!isCurrent()) return;
      districts = allDistricts;
      firstDate = employees.flatMap((e) => Array.from(expandRules(e.availability)))
        .map((key) => key.split('|')[0]).sort()[0] || null;
      const add = h('button', {type: 'button', class: 'primary', onClick: () => edit(null)}, t('org.add'));
      const spreadsheet = h('button', {type: 'button', onClick: importing}, t('import.open'));
      replace(list, h('div', {class: 'section-head'}, h('h2', {id: 'employees-title'}, t('org.employees')),
        h('div', {class: 'actions'}, add, spreadsheet)),
        employees.length === 0 ? empty(t('org.employees.empty'), t('org.employees.emptyhint'))
          : employeesTable(employees, assignments, edit, availability));
      replace(placed, h('h2', {id: 'assignments-title'}, t('org.assignments')), assignmentsList(employees, assignments));
      replace(planner, employees.length === 0 ? null : weekGrid({employees, assignments, proposals, me, onSaved: load}));
    } catch (error) {
      replace(list, h('h2', {id: 'employees-title'}, t('org.employees')), errorBox(describeError(error)));
      placed.replaceChildren();
      planner.replaceChildren();
    }
  };
  const close = () => panel.replaceChildren();
  const edit = (employee) => {
    replace(panel, employeeForm(employee, districts, () => { close(); load(); }, close));
    panel.scrollIntoView({block: 'start'});
  };
  const importing = () => {
    replace(panel, importCard(() => { close(); load(); }, close));
    panel.scrollIntoView({block: 'start'});
  };
  const availability = (employee) => {
    replace(panel, availabilityEditor(employee, firstDate, () => load(), close));
    panel.scrollIntoView({block: 'start'});
    panel.querySelector('.slot')?.focus();
  };
  replace(main, h('div', {class: 'page'}, h('h1', {}, t('org.title')), h('p', {class: 'lead'}, t('org.intro')),
    panel, list, planner, placed));
  await load();
}
