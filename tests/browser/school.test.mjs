// school.test.mjs: the school leader's page in headless Chromium against the real
// server with the Almere fixtures, in order: a request is changed in the request form
// filled in (a refusal of the API shown in Dutch next to its field, then saved); after a
// round and the coordinator's approvals the day list is limited to one date and printed
// (print media: only that list, only that date); one day part of the request is
// cancelled after a confirmation (a dismissed one changes nothing), which cancels what
// was approved then and leaves the other day part.  Every state is checked with axe-core
// (no serious or critical violation) and saved as screenshots at laptop and phone size.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {LAPTOP, handen, startWorld} from './harness.mjs';

const SCHOOL = '06RM00'; // Vrije School Almere, in Stad: no request in the fixtures
const DAYS = ['2020-05-06', '2020-05-07']; // a Wednesday and Thursday with staff in Stad

let world;
let tokens;
let request;

before(async () => {
  world = await startWorld();
  tokens = {
    coordinator: world.token('--role', 'coordinator'),
    school: world.token('--role', 'school', '--school', SCHOOL),
  };
  request = await world.call(tokens.school, 'POST', '/v1/requests', {
    staff_needed: 1, note: 'Groep 5', slots: DAYS.map((date) => ({date, part: 'morning'})),
  });
  assert.match(request.id, /^r-/);
});

after(async () => {
  if (!world) return;
  const status = await world.stop();
  assert.deepEqual(status, {code: 0, signal: null}, 'handen serve stops cleanly on SIGTERM');
  assert.deepEqual(world.problems, [], 'no console or page errors (a CSP violation is one)');
});

// The school's page, signed in, with its request's card.
async function schoolPage() {
  const page = await world.page(LAPTOP);
  await world.signIn(page, tokens.school);
  const card = page.locator(`article.request[data-request="${request.id}"]`);
  await card.waitFor();
  return {page, card};
}

test('a school changes a request in the form filled in', async () => {
  const {page, card} = await schoolPage();
  await card.getByRole('button', {name: 'Wijzigen'}).click();
  const form = card.locator('form.edit-request');
  await form.getByRole('heading', {name: `Hulpvraag ${request.id} wijzigen`}).waitFor();
  // Filled in as stored: the dates, the morning, one staff member, the note.
  assert.equal(await form.getByLabel('Aantal', {exact: true}).inputValue(), '1');
  assert.equal(await form.getByLabel('Opmerking (voor de coördinator)').inputValue(), 'Groep 5');
  assert.equal(await form.getByLabel('Ochtend').isChecked(), true);
  assert.equal(await form.getByLabel('Middag').isChecked(), false);
  assert.equal(await form.locator('li.chip').count(), 2, 'one chip per date');
  // The API refuses an amount of 0: said in Dutch next to the field.
  await form.getByLabel('Aantal', {exact: true}).fill('0');
  await form.getByRole('button', {name: 'Wijzigingen opslaan'}).click();
  const problem = form.locator('[data-field="amount"] .field-error');
  await problem.waitFor();
  assert.match(await problem.textContent(), /kan niet|verplicht|klopt/, 'a Dutch sentence');
  assert.doesNotMatch(await problem.textContent(), /expected/);
  await world.accessible(page, 'the request form filled in, with a refusal');
  await world.shot(page, 'school-edit-refused');
  await world.onPhone(page, 'school-edit-refused', '.field');
  // Saved: the card shows the change, the stored request has it, the day parts kept.
  await form.getByLabel('Aantal', {exact: true}).fill('2');
  await form.getByLabel('Urgentie').selectOption('high');
  await form.getByLabel('Opmerking (voor de coördinator)').fill('Groep 5 en 6');
  await form.getByRole('button', {name: 'Wijzigingen opslaan'}).click();
  await page.getByText(`Hulpvraag ${request.id} is gewijzigd.`).waitFor();
  await card.getByText('2 medewerkers per dagdeel').waitFor();
  await card.getByText('Groep 5 en 6').waitFor();
  const stored = await world.call(tokens.school, 'GET', `/v1/requests/${request.id}`);
  assert.equal(stored.staff_needed, 2);
  assert.equal(stored.priority, 'high');
  assert.deepEqual(stored.slots, request.slots, 'untouched day parts are not sent, so they stay as written');
  await world.accessible(page, 'the school page after a change');
  await world.shot(page, 'school-edited');
  await world.onPhone(page, 'school-edited', 'table.staffing td');
  await page.context().close();
});

test('the day list is limited to one date and printed', async () => {
  handen('match', '--db', world.db);
  const proposals = await world.call(tokens.coordinator, 'GET', `/v1/proposals?school=${SCHOOL}&limit=100`);
  for (const p of proposals.items) await world.call(tokens.coordinator, 'POST', `/v1/proposals/${p.id}/approve`);
  const approved = await world.call(tokens.school, 'GET', '/v1/assignments');
  assert.deepEqual([...new Set(approved.items.map((a) => a.date))].sort(), DAYS, 'someone comes on both days');
  const {page} = await schoolPage();
  const days = page.locator('section.day-list');
  // From the service's today on (2020-05-04): both days.
  assert.equal(await days.getByLabel('Daglijst vanaf').inputValue(), '2020-05-04');
  for (const date of DAYS) await days.locator(`[data-date="${date}"]`).waitFor();
  await days.getByLabel('Daglijst vanaf').fill(DAYS[0]);
  await days.getByLabel('Daglijst tot en met').fill(DAYS[0]);
  await days.getByText('Op wo 6 mei 2020', {exact: true}).waitFor();
  assert.equal(await days.locator('[data-date]').count(), 1);
  assert.equal(await days.locator(`[data-date="${DAYS[1]}"]`).count(), 0);
  // A range without anyone says so.
  await days.getByLabel('Daglijst vanaf').fill('2020-06-01');
  await days.getByLabel('Daglijst tot en met').fill('2020-06-30');
  await days.getByText('In deze periode is niemand ingepland.').waitFor();
  await days.getByLabel('Daglijst vanaf').fill(DAYS[0]);
  await days.getByLabel('Daglijst tot en met').fill(DAYS[0]);
  await days.locator(`[data-date="${DAYS[0]}"]`).waitFor();
  await world.accessible(page, 'the day list of one date');
  await world.shot(page, 'school-daylist-date');
  await world.onPhone(page, 'school-daylist-date', 'table.day-table td');
  // Printed: only the day list of that date, without its filter or buttons.
  await page.emulateMedia({media: 'print'});
  assert.equal(await page.locator('header.top').isVisible(), false);
  assert.equal(await page.locator('article.request').first().isVisible(), false);
  assert.equal(await page.locator('details.new-request').isVisible(), false);
  assert.equal(await days.isVisible(), true);
  assert.equal(await days.locator('.day-filter').isVisible(), false);
  assert.equal(await days.getByRole('button', {name: 'Daglijst afdrukken'}).isVisible(), false);
  assert.equal(await days.getByText('Op wo 6 mei 2020', {exact: true}).isVisible(), true);
  assert.equal(await days.locator(`[data-date="${DAYS[0]}"]`).isVisible(), true);
  assert.equal(await days.locator('[data-date]').count(), 1);
  await world.shot(page, 'school-daylist-print');
  await page.emulateMedia({media: 'screen'});
  await page.context().close();
});

test('a school cancels one day part of its request', async () => {
  const {page, card} = await schoolPage();
  const label = `Dagdeel annuleren: do 7 mei 2020 ochtend van hulpvraag ${request.id}`;
  const button = card.getByRole('button', {name: label});
  // Dismissed: nothing changes.
  page.once('dialog', (dialog) => dialog.dismiss());
  await button.click();
  assert.equal(await card.locator('tbody tr').count(), 2);
  // Confirmed: the day part goes, with who was approved for it; the other day part stays.
  let question = '';
  page.once('dialog', (dialog) => {
    question = dialog.message();
    dialog.accept();
  });
  await button.click();
  await page.getByText(`do 7 mei 2020 ochtend van hulpvraag ${request.id} is geannuleerd.`).waitFor();
  assert.match(question, /de andere dagdelen blijven staan/);
  await card.locator(`tr[data-slot="${DAYS[1]}|morning"]`).waitFor({state: 'detached'});
  // The card is drawn again from the API: wait for the day part that stays.
  await card.locator(`tr[data-slot="${DAYS[0]}|morning"]`).waitFor();
  assert.equal(await card.locator('tbody tr').count(), 1);
  const stored = await world.call(tokens.school, 'GET', `/v1/requests/${request.id}`);
  assert.deepEqual(stored.slots, [{date: DAYS[0], part: 'morning'}]);
  const approved = await world.call(tokens.school, 'GET', '/v1/assignments');
  assert.deepEqual([...new Set(approved.items.map((a) => a.date))], [DAYS[0]], 'the approval then is cancelled');
  const audit = await world.call(tokens.coordinator, 'GET', '/v1/audit?limit=500');
  assert.ok(audit.items.some((e) => e.action === 'request.cancel_part' && e.object === `requests/${request.id}`));
  // The last day part is cancelled with the request: no button for it.
  assert.equal(await card.getByRole('button', {name: /^Dagdeel annuleren/}).count(), 0);
  await card.getByRole('button', {name: 'Hulpvraag annuleren'}).waitFor();
  await world.accessible(page, 'the school page after cancelling a day part');
  await world.shot(page, 'school-part-cancelled');
  await world.onPhone(page, 'school-part-cancelled', 'table.staffing td');
  await page.context().close();
});
