// proposals.js: the coordinator reviews what rounds proposed, grouped by school and
// day, with the travel distance and the reasons each employee was chosen, as the API
// gives them (travel_km, preferred_met and why on every proposal), and approves or
// rejects one or many.  Rejecting asks for a reason: it is audited.

import {api, listAll} from './api.js';
import {busy, empty, errorBox, h, loading, replace, toast} from './dom.js';
import {chosenDistrict, districtPicker} from './coordinator.js';
import {describeError, formatDate, partName, qualName, t} from './i18n.js';

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

function groupBy(items, key) {
  const map = new Map();
  for (const item of items) {
    const k = key(item);
    if (!map.has(k)) map.set(k, []);
    map.get(k).push(item);
  }
  return map;
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

export async function proposalsPage(main, {isCurrent}) {
  const list = h('div', {}, loading(t('busy.loading')));
  const bar = h('div', {class: 'bulk-bar', role: 'region', 'aria-label': t('proposals.bulk')});
  const progress = h('p', {class: 'bulk-progress', 'aria-live': 'polite'});
  const districts = await listAll('/v1/districts').catch(() => []);
  if (!isCurrent()) return;
  let selected = new Set();
  let current = [];

  const updateBar = () => {
    const approve = h('button', {type: 'button', class: 'primary', disabled: selected.size === 0},
      t('proposals.approve.n', {n: selected.size}));
    const reject = h('button', {type: 'button', class: 'danger', disabled: selected.size === 0},
      t('proposals.reject.n', {n: selected.size}));
    approve.addEventListener('click', () => decide(Array.from(selected), 'approve', approve));
    reject.addEventListener('click', () => decide(Array.from(selected), 'reject', reject));
    replace(bar, h('span', {}, t('proposals.selected', {n: selected.size, total: current.length})), approve, reject, progress);
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
        replace(progress, t('proposals.progress', {done, n: ids.length}));
        try {
          await api('POST', `/v1/proposals/${encodeURIComponent(id)}/${action}`, action === 'reject' ? {reason} : undefined);
          done += 1;
        } catch (error) {
          failed.push(`${id}: ${describeError(error)}`);
        }
      }
    });
    toast(t(action === 'approve' ? 'proposals.approved' : 'proposals.rejected', {n: done}));
    await load(chosenDistrict());
    if (failed.length) list.prepend(errorBox([t('proposals.failed', {n: failed.length}), h('ul', {}, failed.map((f) => h('li', {}, f)))]));
  };

  const load = async (district) => {
    replace(list, loading(t('proposals.loading')));
    selected = new Set();
    try {
      const scope = district ? {district, status: 'proposed'} : {status: 'proposed'};
      const proposals = await listAll('/v1/proposals', scope);
      if (!isCurrent()) return;
      current = proposals;
      updateBar();
      if (proposals.length === 0) {
        replace(list, empty(t('proposals.empty'), t('proposals.emptyhint')));
        return;
      }
      const bySchool = groupBy(proposals, (p) => p.school);
      const schoolName = (id) => bySchool.get(id)[0].school_name || id;
      const schoolIds = Array.from(bySchool.keys()).sort((a, b) => schoolName(a).localeCompare(schoolName(b)));
      replace(list, schoolIds.map((schoolId) => {
        const items = bySchool.get(schoolId);
        const name = schoolName(schoolId);
        const all = h('input', {type: 'checkbox', 'aria-label': t('proposals.selectschool', {name})});
        const boxes = [];
        all.addEventListener('change', () => {
          for (const box of boxes) {
            box.checked = all.checked;
            if (all.checked) selected.add(box.value); else selected.delete(box.value);
          }
          updateBar();
        });
        const approveAll = h('button', {type: 'button'}, t('proposals.approveschool', {n: items.length}));
        approveAll.addEventListener('click', () => decide(items.map((p) => p.id), 'approve', approveAll));
        const byDay = groupBy(items, (p) => p.date);
        return h('section', {class: 'card school-group', 'data-school': schoolId, 'aria-label': name},
          h('header', {class: 'card-head'}, h('label', {class: 'choice'}, all, ' ', h('h2', {class: 'inline-h'}, name)),
            h('span', {class: 'badge'}, t('proposals.count', {n: items.length})), approveAll),
          Array.from(byDay.keys()).sort().map((date) => h('div', {class: 'day-group'},
            h('h3', {}, formatDate(date)),
            h('ul', {class: 'proposals'}, byDay.get(date).sort((a, b) => a.part.localeCompare(b.part) * -1 || a.id.localeCompare(b.id))
              .map((p) => {
                const {km, reasons} = explain(p);
                const box = h('input', {type: 'checkbox', value: p.id,
                  'aria-label': t('proposals.selectone', {name: p.employee_name, date: formatDate(p.date), part: partName(p.part)})});
                boxes.push(box);
                box.addEventListener('change', () => {
                  if (box.checked) selected.add(p.id); else selected.delete(p.id);
                  updateBar();
                });
                const approve = h('button', {type: 'button', class: 'primary small'}, t('proposals.approve'));
                approve.addEventListener('click', () => decide([p.id], 'approve', approve));
                const reject = h('button', {type: 'button', class: 'danger small'}, t('proposals.reject'));
                reject.addEventListener('click', () => decide([p.id], 'reject', reject));
                return h('li', {class: 'proposal', 'data-proposal': p.id},
                  box,
                  h('div', {class: 'who'},
                    h('p', {}, h('strong', {}, p.employee_name || p.employee), ' · ', partName(p.part)),
                    h('p', {class: 'meta'}, p.organisation_name || p.organisation,
                      km !== null ? ` · ${t('proposals.km', {km: km.toFixed(1)})}` : ''),
                    h('p', {class: 'why'}, reasons.map((r) => h('span', {class: 'tag'}, r)))),
                  h('div', {class: 'row-actions'}, approve, reject));
              })))));
      }));
    } catch (error) {
      replace(list, errorBox(describeError(error)));
    }
  };

  replace(main, h('div', {class: 'page'},
    h('div', {class: 'section-head'}, h('h1', {}, t('proposals.title')), districtPicker(districts, load)),
    h('p', {class: 'lead'}, t('proposals.intro')), bar, list));
  updateBar();
  await load(chosenDistrict());
}
