// weekgrid.js: the planner's week grid of all the organisation's employees: a row per
// employee (by name, then id), a column per day part of one week, each cell available,
// assigned (approved: at which school), proposed (waiting for the coordinator) or not
// available; rows say who has no VOG and whose availability went stale.  Cells toggle
// by click or keyboard (one cell in the tab order, arrows move, Space/Enter toggles);
// "save" sends one PUT per changed employee.  An assigned day part stays available:
// the assignment is cancelled first.  Past day parts are shown, never changed.

import {api} from './api.js';
import {busy, h, replace, toast} from './dom.js';
import {PARTS, WEEKDAYS, addDays, compressRules, expandRules, isoWeek, mondayOf, parseDate} from './dates.js';
import {describeError, formatDate, formatDay, partName, t} from './i18n.js';

// Availability confirmed longer ago than this counts as stale when the server leaves
// nothing out of rounds (its stale_after_days is 0).
const STALE_DAYS = 28;
// "Repeat until" reaches at most this far past the week shown.
const MAX_REPEAT_DAYS = 366;
const COLUMNS = WEEKDAYS.length * PARTS.length;

const byNameThenId = (a, b) => a.name.localeCompare(b.name, 'nl') || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

// 'employee|date|part' -> the school's name, for assignments.
function slotIndex(assignments) {
  const out = new Map();
  for (const a of assignments) out.set(`${a.employee}|${a.date}|${a.part}`, a.school_name || a.school);
  return out;
}

function sameSet(a, b) {
  if (a.size !== b.size) return false;
  for (const key of a) if (!b.has(key)) return false;
  return true;
}

// Availability never confirmed, or confirmed more than `days` days before `today`.
export function isStale(employee, today, days) {
  return !employee.confirmed || employee.confirmed < addDays(today, -days);
}

function rowHeader(employee, today, staleDays) {
  const vog = (employee.qualifications || []).includes('vog');
  return h('th', {scope: 'row', class: 'grid-name', 'data-employee': employee.id},
    h('span', {class: 'grid-person'}, employee.name),
    employee.active === false ? h('span', {class: 'badge muted'}, t('org.inactive')) : null,
    vog ? null : h('span', {class: 'badge warn', 'data-mark': 'no_vog'}, t('org.novog')),
    isStale(employee, today, staleDays) ? h('span', {class: 'badge stale', 'data-mark': 'stale'},
      employee.confirmed ? t('grid.stale', {date: formatDay(employee.confirmed, {day: 'numeric', month: 'short'})})
        : t('grid.neverconfirmed')) : null);
}

// The grid; `me` is GET /v1/me (the server's today and stale_after_days), `proposals`
// the organisation's proposals still waiting; `onSaved()` runs after every change saved.
export function weekGrid({employees, assignments, proposals, me, onSaved}) {
  const today = me.today;
  const staleDays = me.stale_after_days > 0 ? me.stale_after_days : STALE_DAYS;
  const rows = [...employees].sort(byNameThenId);
  const stored = new Map(rows.map((e) => [e.id, expandRules(e.availability)]));
  const chosen = new Map(rows.map((e) => [e.id, new Set(stored.get(e.id))]));
  const assigned = slotIndex(assignments.filter((a) => a.status === 'approved'));
  const proposed = slotIndex(proposals.filter((a) => a.status === 'proposed'));
  let monday = mondayOf(today);
  let focus = {row: 0, col: 0};

  const label = h('h3', {'aria-live': 'polite'});
  const scroller = h('div', {class: 'planner-scroll'});
  const message = h('p', {class: 'grid-message', role: 'status'});
  const errors = h('div', {class: 'error-box', role: 'alert', hidden: true});
  const pending = h('span', {class: 'grid-pending'});
  const save = h('button', {type: 'button', class: 'primary', 'data-action': 'save-grid'}, t('grid.save'));
  const changed = () => rows.filter((e) => !sameSet(chosen.get(e.id), stored.get(e.id)));
  const say = (text) => replace(message, text);

  const slotOf = (col) => ({date: addDays(monday, Math.floor(col / PARTS.length)), part: PARTS[col % PARTS.length]});
  const stateOf = (id, key) => (assigned.has(`${id}|${key}`) ? 'assigned' : proposed.has(`${id}|${key}`) ? 'proposed'
    : chosen.get(id).has(key) ? 'available' : 'unavailable');

  const fillCell = (button, employee, col) => {
    const {date, part} = slotOf(col);
    const key = `${date}|${part}`;
    const state = stateOf(employee.id, key);
    const on = chosen.get(employee.id).has(key);
    const school = assigned.get(`${employee.id}|${key}`) || proposed.get(`${employee.id}|${key}`);
    button.className = `cell ${state}${on ? '' : ' off'}${date < today ? ' past' : ''}`;
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    if (date < today) button.setAttribute('aria-disabled', 'true');
    else button.removeAttribute('aria-disabled');
    const shown = state === 'available' ? '✓' : state === 'unavailable' ? '–' : school;
    replace(button, state === 'proposed' ? h('span', {class: 'cell-what'}, t('grid.state.proposed')) : null,
      h('span', {class: 'cell-school'}, shown),
      h('span', {class: 'sr-only'}, `, ${employee.name}, ${formatDay(date)} ${partName(part)}: ${t(`grid.state.${state}`)}`));
  };

  const cellAt = (row, col) => scroller.querySelector(`button[data-row="${row}"][data-col="${col}"]`);
  const moveTo = (row, col) => {
    const next = cellAt(row, col);
    if (!next) return;
    cellAt(focus.row, focus.col)?.setAttribute('tabindex', '-1');
    focus = {row, col};
    next.setAttribute('tabindex', '0');
    next.focus();
    repeatWho.value = rows[row].id;
  };

  const refreshPending = () => {
    const n = changed().length;
    replace(pending, n ? t('grid.pending', {n}) : t('grid.nopending'));
    save.disabled = n === 0;
  };

  const toggle = (row, col) => {
    const employee = rows[row];
    const {date, part} = slotOf(col);
    const key = `${date}|${part}`;
    const where = `${formatDay(date)} ${partName(part)}`;
    if (date < today) {
      say(t('grid.past', {when: where}));
      return;
    }
    if (assigned.has(`${employee.id}|${key}`)) {
      say(t('grid.assignedlocked', {name: employee.name, when: where, school: assigned.get(`${employee.id}|${key}`)}));
      return;
    }
    const set = chosen.get(employee.id);
    if (set.has(key)) set.delete(key); else set.add(key);
    say(proposed.has(`${employee.id}|${key}`) && !set.has(key)
      ? t('grid.proposedoff', {name: employee.name, when: where, school: proposed.get(`${employee.id}|${key}`)}) : '');
    fillCell(cellAt(row, col), employee, col);
    refreshPending();
  };

  const onKey = (event) => {
    const cell = event.target.closest('button.cell');
    if (!cell) return;
    const row = Number(cell.dataset.row);
    const col = Number(cell.dataset.col);
    const moves = {ArrowRight: [row, col + 1], ArrowLeft: [row, col - 1], ArrowDown: [row + 1, col],
                   ArrowUp: [row - 1, col], Home: [row, 0], End: [row, COLUMNS - 1]};
    const to = moves[event.key];
    if (!to) return;
    event.preventDefault();
    moveTo(Math.min(Math.max(to[0], 0), rows.length - 1), Math.min(Math.max(to[1], 0), COLUMNS - 1));
  };

  const draw = () => {
    replace(label, t('org.week', {week: isoWeek(monday), from: formatDate(monday), to: formatDate(addDays(monday, 6))}));
    const days = WEEKDAYS.map((d, i) => h('th', {scope: 'colgroup', colspan: String(PARTS.length), class: 'grid-day'},
      h('span', {class: 'day-name'}, t(`day.${d}`)),
      h('span', {class: 'day-date'}, formatDay(addDays(monday, i), {day: 'numeric', month: 'short'}))));
    const parts = WEEKDAYS.flatMap(() => PARTS.map((p) => h('th', {scope: 'col', class: 'grid-part'}, partName(p))));
    const body = rows.map((employee, row) => h('tr', {'data-employee': employee.id}, rowHeader(employee, today, staleDays),
      Array.from({length: COLUMNS}, (_, col) => {
        const {date, part} = slotOf(col);
        const button = h('button', {type: 'button', 'data-row': String(row), 'data-col': String(col),
          'data-slot': `${date}|${part}`, tabindex: row === focus.row && col === focus.col ? '0' : '-1'});
        button.addEventListener('click', () => {
          if (focus.row !== row || focus.col !== col) moveTo(row, col);
          toggle(row, col);
        });
        fillCell(button, employee, col);
        return h('td', {}, button);
      })));
    const table = h('table', {class: 'planner'},
      h('caption', {class: 'sr-only'}, t('grid.caption')),
      h('thead', {}, h('tr', {}, h('th', {scope: 'col', rowspan: '2', class: 'grid-name'}, t('col.name')), days),
        h('tr', {}, parts)),
      h('tbody', {}, body));
    table.addEventListener('keydown', onKey);
    replace(scroller, table);
  };

  const week = (days) => {
    monday = addDays(monday, days);
    draw();
  };

  save.addEventListener('click', () => busy(save, t('busy.saving'), async () => {
    errors.hidden = true;
    const failed = [];
    let done = 0;
    for (const employee of changed()) {
      try {
        const saved = await api('PUT', `/v1/employees/${encodeURIComponent(employee.id)}/availability`,
          compressRules(chosen.get(employee.id)));
        stored.set(employee.id, expandRules(saved.availability));
        done += 1;
      } catch (error) {
        failed.push(h('li', {}, `${employee.name}: ${describeError(error)}`));
      }
    }
    if (failed.length) {
      replace(errors, h('p', {}, t('grid.savefailed', {n: failed.length})), h('ul', {}, failed));
      errors.hidden = false;
    }
    if (done) toast(t('grid.saved', {n: done}));
    refreshPending();
    if (!failed.length) onSaved();
  }));

  // "Repeat every week until": this week's pattern of one employee, copied.
  const repeatWho = h('select', {id: 'grid-repeat-who'}, rows.map((e) => h('option', {value: e.id}, e.name)));
  const repeatUntil = h('input', {type: 'date', id: 'grid-repeat-until'});
  const repeat = h('button', {type: 'button', 'data-action': 'repeat'}, t('grid.repeat.do'));
  repeat.addEventListener('click', () => {
    const employee = rows.find((e) => e.id === repeatWho.value);
    const until = repeatUntil.value;
    const sunday = addDays(monday, 6);
    if (!employee) return;
    if (parseDate(until) === null) return say(t('grid.repeat.nodate'));
    if (until <= sunday) return say(t('grid.repeat.tooearly', {date: formatDate(addDays(monday, 7))}));
    if (until > addDays(sunday, MAX_REPEAT_DAYS)) return say(t('grid.repeat.toolate'));
    const set = chosen.get(employee.id);
    let kept = 0;
    for (let next = addDays(monday, 7); next <= until; next = addDays(next, 7)) {
      for (let i = 0; i < WEEKDAYS.length && addDays(next, i) <= until; i++) {
        for (const part of PARTS) {
          const key = `${addDays(next, i)}|${part}`;
          if (set.has(`${addDays(monday, i)}|${part}`)) set.add(key);
          else if (assigned.has(`${employee.id}|${key}`)) kept += 1;
          else set.delete(key);
        }
      }
    }
    draw();
    refreshPending();
    say(t('grid.repeat.done', {name: employee.name, week: isoWeek(monday), date: formatDate(until)}) +
      (kept ? ` ${t('grid.repeat.kept', {n: kept})}` : ''));
  });

  const legend = h('ul', {class: 'grid-legend', 'aria-label': t('grid.legend')},
    ['available', 'assigned', 'proposed', 'unavailable'].map((state) => h('li', {},
      h('span', {class: `grid-key ${state}`, 'aria-hidden': 'true'}), t(`grid.legend.${state}`))),
    h('li', {}, h('span', {class: 'badge warn'}, t('org.novog')), ' ', t('grid.legend.novog')),
    h('li', {}, h('span', {class: 'badge stale'}, t('grid.legend.stalebadge')), ' ',
      t('grid.legend.stale', {n: staleDays})));

  draw();
  refreshPending();
  return h('section', {class: 'card planner-card', 'aria-labelledby': 'planner-title'},
    h('h2', {id: 'planner-title'}, t('grid.title')),
    h('p', {class: 'hint'}, t('grid.hint')),
    h('div', {class: 'week-nav'},
      h('button', {type: 'button', onClick: () => week(-7)}, t('org.prevweek')), label,
      h('button', {type: 'button', onClick: () => week(7)}, t('org.nextweek'))),
    legend, scroller, message, errors,
    h('div', {class: 'actions grid-save'}, save, pending),
    h('fieldset', {class: 'grid-repeat'}, h('legend', {}, t('grid.repeat.title')),
      h('p', {class: 'hint'}, t('grid.repeat.hint')),
      h('div', {class: 'row'},
        h('div', {class: 'field'}, h('label', {for: 'grid-repeat-who'}, t('grid.repeat.who')), repeatWho),
        h('div', {class: 'field'}, h('label', {for: 'grid-repeat-until'}, t('grid.repeat.until')), repeatUntil)),
      h('div', {class: 'actions'}, repeat)));
}
