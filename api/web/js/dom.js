// dom.js: building the page from data without ever parsing text as HTML.  Every
// element is made with createElement and every text set as a text node, so names and
// notes from the API can never become markup (and the Content-Security-Policy holds:
// no inline script, no inline style attribute).

import {describeError, fieldMessage, t} from './i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(parent, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(parent, c);
  } else if (child instanceof Node) {
    parent.appendChild(child);
  } else {
    parent.appendChild(document.createTextNode(String(child)));
  }
}

function setProps(element, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') element.setAttribute('class', value);
    else if (key === 'text') element.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function')
      element.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'value' && 'value' in element) element.value = value;
    else if (key === 'checked' || key === 'disabled' || key === 'hidden' || key === 'selected')
      element[key] = Boolean(value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
}

// h('button', {class: 'primary', onClick: f}, 'Opslaan'): an HTML element.
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  setProps(element, props);
  append(element, children);
  return element;
}

// The same for SVG elements (the chart).
export function s(tag, props, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  setProps(element, props);
  append(element, children);
  return element;
}

// Replaces every child of `element` with `children`.
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let uniqueCounter = 0;
// A fresh id for label/for and aria-describedby pairs.
export function uid(prefix) {
  uniqueCounter += 1;
  return `${prefix}-${uniqueCounter}`;
}

// A loading indicator: a spinner and a text, announced politely.
export function loading(text) {
  return h('p', {class: 'loading', role: 'status'}, h('span', {class: 'spinner', 'aria-hidden': 'true'}), text);
}

// An empty state: what there is not, and what to do about it.
export function empty(text, hint) {
  return h('div', {class: 'empty'}, h('p', {}, text), hint ? h('p', {class: 'hint'}, hint) : null);
}

// An error a person can act on.
export function errorBox(text) {
  return h('div', {class: 'error-box', role: 'alert'}, text);
}

// Marks a button busy while `work` runs; returns what `work` returns.
export async function busy(button, text, work) {
  const old = Array.from(button.childNodes);
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  replace(button, h('span', {class: 'spinner small', 'aria-hidden': 'true'}), text);
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    replace(button, old);
  }
}

// A labelled form field: the label, the control, a hint and a slot for an error.
export function field(label, control, hint) {
  const id = control.id || uid('f');
  control.id = id;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h('div', {class: 'field', 'data-field': control.name || ''},
    h('label', {for: id}, label),
    control,
    hint ? h('p', {class: 'hint', id: hintId}, hint) : null,
    h('p', {class: 'field-error', id: errorId, hidden: true}));
}

// A fieldset of checkboxes or radios; `options` are [value, label] pairs.
export function choices(legend, name, type, options, checked, hint) {
  const errorId = uid('err');
  const set = h('fieldset', {class: 'field choices', 'data-field': name, 'aria-describedby': errorId},
    h('legend', {}, legend),
    hint ? h('p', {class: 'hint'}, hint) : null,
    h('div', {class: 'choice-row'}, options.map(([value, text]) => h('label', {class: 'choice'},
      h('input', {type, name, value, checked: (checked || []).includes(value)}), ' ', text))),
    h('p', {class: 'field-error', id: errorId, hidden: true}));
  return set;
}

// The values of the checked boxes called `name` inside `root`.
export function checkedValues(root, name) {
  return Array.from(root.querySelectorAll(`input[name="${name}"]:checked`)).map((i) => i.value);
}

// Shows `message` under the field called `name` in `form` (false when there is no such field).
export function showFieldError(form, name, message) {
  const holder = form.querySelector(`[data-field="${name}"]`);
  if (!holder) return false;
  const slot = holder.querySelector('.field-error');
  slot.hidden = false;
  slot.textContent = message;
  holder.classList.add('invalid');
  const control = holder.querySelector('input, select, textarea');
  if (control && holder.tagName !== 'FIELDSET') control.setAttribute('aria-invalid', 'true');
  return true;
}

// Shows why saving `form` failed, in `summary` and at the fields: the API's problems
// (422) each at the field `fieldOf(pointer)` names (with `onePerField`, only the first
// of each field), the ones without a field listed in `summary`; any other error as a
// sentence in `summary`.  Returns whether it showed problems (a 422).
export function showProblems(form, summary, error, fieldOf, onePerField = false) {
  summary.hidden = false;
  if (error.status !== 422) {
    replace(summary, describeError(error));
    return false;
  }
  const unplaced = [];
  const seen = new Set();
  for (const problem of error.problems) {
    const name = fieldOf(problem.pointer || '');
    const message = fieldMessage(problem.message);
    if (onePerField && seen.has(name)) continue;
    seen.add(name);
    if (!showFieldError(form, name, message)) unplaced.push(message);
  }
  replace(summary, h('p', {}, t('school.form.problems', {n: error.problems.length})),
    unplaced.length ? h('ul', {}, unplaced.map((m) => h('li', {}, m))) : null);
  return true;
}

// Clears every field error of `form`.
export function clearFieldErrors(form) {
  for (const holder of form.querySelectorAll('.invalid')) holder.classList.remove('invalid');
  for (const slot of form.querySelectorAll('.field-error')) {
    slot.hidden = true;
    slot.textContent = '';
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
}

// A short message at the bottom of the screen, read out by screen readers.
export function toast(text) {
  const box = document.getElementById('toast');
  if (!box) return;
  box.textContent = text;
  box.classList.add('shown');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.classList.remove('shown'), 4000);
}

// Page controls for a long list shown `size` items at a time: "Vorige", "Pagina 2 van
// 7", "Volgende"; `onPage(index)` shows page `index` (0-based).  Null for one page.
export function pager(total, size, index, onPage, label) {
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages <= 1) return null;
  const previous = h('button', {type: 'button', class: 'small', disabled: index <= 0, onClick: () => onPage(index - 1)},
    t('pager.previous'));
  const next = h('button', {type: 'button', class: 'small', disabled: index >= pages - 1,
    onClick: () => onPage(index + 1)}, t('pager.next'));
  return h('nav', {class: 'pager', 'aria-label': label},
    previous, h('span', {class: 'pager-where'}, t('pager.where', {page: index + 1, pages})), next);
}

// The items of page `index` of `items`, `size` at a time, and the index clamped.
export function pageOf(items, size, index) {
  const last = Math.max(0, Math.ceil(items.length / size) - 1);
  const at = Math.min(Math.max(0, index), last);
  return {index: at, items: items.slice(at * size, (at + 1) * size)};
}
