// spreadsheet.js: the organisation's import of employees from a spreadsheet.  A chosen
// file is sent to POST /v1/employees/import?preview=true as it is (the server reads
// CSV the way Excel writes it); the preview lists every row with every problem at its
// row and column, in Dutch, and "Alles opslaan" stays off until the file is in order.
// Saving sends the same text again without preview: all of it is stored, or nothing.

import {download, postText} from './api.js';
import {busy, h, replace, toast} from './dom.js';
import {describeError, fieldMessage, qualName, t} from './i18n.js';

const IMPORT = '/v1/employees/import';

// "naam: Dit veld is verplicht" for a problem of a cell, the message alone for a row.
function problemText(problem) {
  const message = fieldMessage(problem.message);
  return problem.column ? `${problem.column}: ${message}` : message;
}

function previewTable(preview) {
  const byRow = new Map();
  for (const problem of preview.problems) {
    if (!byRow.has(problem.row)) byRow.set(problem.row, []);
    byRow.get(problem.row).push(problem);
  }
  const head = [t('import.col.row'), 'id', t('col.name'), t('org.form.district'), t('col.quals'),
                t('import.col.problems')];
  return h('div', {class: 'table-wrap'}, h('table', {class: 'import-preview'},
    h('thead', {}, h('tr', {}, head.map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', {}, preview.employees.map((e) => {
      const problems = byRow.get(e.row) || [];
      return h('tr', {'data-row': String(e.row), class: problems.length ? 'has-problems' : ''},
        h('td', {class: 'num'}, String(e.row)),
        h('td', {}, e.id || ''),
        h('td', {}, e.name || ''),
        h('td', {}, e.district || ''),
        h('td', {}, (e.qualifications || []).map((q) => h('span', {class: 'tag'}, qualName(q)))),
        h('td', {}, problems.length === 0 ? h('span', {class: 'badge'}, t('import.rowok'))
          : h('ul', {class: 'plain problems'}, problems.map((p) => h('li', {class: 'warning'}, problemText(p))))));
    }))));
}

// The import card: template, file, preview, save.  `onSaved` runs after a store.
export function importCard(onSaved, onClose) {
  const result = h('div', {'aria-live': 'polite'});
  const save = h('button', {type: 'button', class: 'primary', disabled: true}, t('import.save'));
  const file = h('input', {type: 'file', accept: '.csv,text/csv', id: 'import-file'});
  let text = null;
  const template = h('button', {type: 'button', class: 'link'}, t('import.template'));
  template.addEventListener('click', () => busy(template, t('busy.loading'),
    () => download(`${IMPORT}/template`, 'medewerkers.csv')).catch((error) => toast(describeError(error))));
  file.addEventListener('change', async () => {
    save.disabled = true;
    text = null;
    const chosen = file.files[0];
    if (!chosen) return replace(result);
    replace(result, h('p', {class: 'hint'}, t('import.reading')));
    try {
      const content = await chosen.text();
      const preview = await postText(`${IMPORT}?preview=true`, content, 'text/csv; charset=utf-8');
      const n = preview.employees.length;
      const headerProblems = preview.problems.filter((p) => !preview.employees.some((e) => e.row === p.row));
      replace(result,
        preview.problems.length === 0
          ? h('p', {class: 'ok', role: 'status'}, t('import.ok', {n, created: preview.created, updated: preview.updated}))
          : h('div', {class: 'error-summary', role: 'alert'}, t('import.problems', {n, p: preview.problems.length})),
        headerProblems.length === 0 ? null : h('section', {'aria-label': t('import.fileproblems')},
          h('h3', {}, t('import.fileproblems')),
          h('ul', {class: 'problems'}, headerProblems.map((p) =>
            h('li', {class: 'warning', 'data-row': String(p.row || '')},
              p.row ? `${t('import.row', {row: p.row})} — ${problemText(p)}` : problemText(p))))),
        n === 0 ? null : previewTable(preview));
      if (preview.problems.length === 0 && n > 0) {
        text = content;
        save.disabled = false;
      }
    } catch (error) {
      replace(result, h('div', {class: 'error-summary', role: 'alert'}, describeError(error)));
    }
  });
  save.addEventListener('click', async () => {
    if (text === null) return;
    try {
      const saved = await busy(save, t('busy.saving'), () => postText(IMPORT, text, 'text/csv; charset=utf-8'));
      toast(t('import.saved', saved));
      onSaved();
    } catch (error) {
      replace(result, h('div', {class: 'error-summary', role: 'alert'}, describeError(error)));
    }
  });
  return h('section', {class: 'card', 'aria-label': t('import.title')},
    h('h2', {}, t('import.title')),
    h('p', {class: 'hint'}, t('import.intro')),
    h('p', {}, template),
    h('div', {class: 'field'}, h('label', {for: 'import-file'}, t('import.file')), file),
    result,
    h('div', {class: 'actions'}, save, h('button', {type: 'button', onClick: onClose}, t('close'))));
}
