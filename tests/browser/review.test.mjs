// review.test.mjs: the coordinator weighs a proposal against its alternatives on the
// Almere fixtures, in Dutch: after a round, "Alternatieven" on a row of "Voorstellen"
// lists the next best employees for that day part (as GET
// /v1/proposals/{id}/alternatives ranks them, with the travel and the reasons),
// "Wisselen" replaces the proposal by one of them and the row shows the new proposal;
// a swap the store refuses (the employee was deactivated meanwhile) is said in Dutch in
// the row and changes nothing.  Checked with axe-core and at phone size; screenshots at
// laptop and phone size land in HANDEN_SCREENSHOTS.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {handen, startWorld} from './harness.mjs';

let world;
let coordinator;
let proposals;

before(async () => {
  world = await startWorld();
  coordinator = world.token('--role', 'coordinator');
  handen('match', '--db', world.db);
  proposals = (await world.call(coordinator, 'GET', '/v1/proposals?limit=500')).items;
});

after(async () => {
  if (!world) return;
  const status = await world.stop();
  assert.deepEqual(status, {code: 0, signal: null}, 'handen serve stops cleanly on SIGTERM');
  // The refused swap is answered 409 on purpose; the browser logs that failed request.
  const unexpected = world.problems.filter((p) => !/status of 409 /.test(p));
  assert.deepEqual(unexpected, [], 'no other console or page errors (a CSP violation is one)');
});

// The first waiting proposals (after `skip` of them) with at least `min` alternatives,
// each with its list as the API ranks it.
async function withAlternatives(min, skip = 0) {
  let seen = 0;
  for (const p of proposals) {
    const answer = await world.call(coordinator, 'GET', `/v1/proposals/${p.id}/alternatives?limit=5`);
    if ((answer.alternatives || []).length >= min && seen++ >= skip) return {p, alternatives: answer.alternatives};
  }
  throw new Error(`no proposal with ${min} alternatives`);
}

// Shows only the day part of `p` at its school on "Voorstellen" and returns its row.
async function showRow(page, p) {
  await page.getByRole('link', {name: 'Voorstellen', exact: true}).click();
  await page.locator('#filter-district').selectOption(p.district);
  await page.locator('#filter-school').selectOption(p.school);
  await page.locator(`#filter-date option[value="${p.date}"]`).waitFor({state: 'attached'});
  await page.locator('#filter-date').selectOption(p.date);
  const row = page.locator(`tr.proposal[data-proposal="${p.id}"]`);
  await row.waitFor();
  return row;
}

test('the coordinator opens the alternatives of a proposal and swaps to one', async () => {
  const {p, alternatives} = await withAlternatives(2);
  const page = await world.page();
  await world.signIn(page, coordinator);
  await page.getByRole('heading', {name: 'Overzicht alle wijken'}).waitFor();
  const row = await showRow(page, p);
  const open = row.getByRole('button', {name: 'Alternatieven'});
  assert.equal(await open.getAttribute('aria-expanded'), 'false');
  await open.click();
  const items = page.locator(`#alternatives-${p.id} li.alternative`);
  await items.first().waitFor();
  assert.equal(await open.getAttribute('aria-expanded'), 'true');
  // The page shows the API's ranking, each with the travel and the reasons in Dutch.
  assert.deepEqual(await items.evaluateAll((els) => els.map((e) => e.dataset.employee)),
    alternatives.map((a) => a.employee));
  const first = items.first();
  assert.match(await first.textContent(), new RegExp(alternatives[0].employee_name));
  assert.match(await first.locator('.km').textContent(),
    new RegExp(`^${alternatives[0].travel_km.toFixed(1)} km reizen$`));
  assert.ok(await first.locator('.tag').count() > 0, 'every alternative says why');
  await page.getByRole('heading', {name: new RegExp(`^In plaats van ${p.employee_name} op `)}).waitFor();
  await world.accessible(page, 'the alternatives of a proposal');
  await world.shot(page, 'coordinator-alternatives', false);
  await world.onPhone(page, 'coordinator-alternatives', 'tr.proposal td, tr.alternatives td, li.alternative > *',
    false);

  // Swapping to the second: the row becomes the new proposal for that employee.
  const chosen = alternatives[1];
  await page.getByRole('button', {name: `Wisselen naar ${chosen.employee_name}`}).click();
  await page.getByText(`${p.employee_name} vervangen door ${chosen.employee_name}`).waitFor();
  const fresh = page.locator(`tr.proposal[data-proposal="${p.id}-w1"]`);
  await fresh.waitFor();
  assert.match(await fresh.locator('td.who').textContent(), new RegExp(chosen.employee_name));
  await row.waitFor({state: 'detached'});
  const old = await world.call(coordinator, 'GET', `/v1/proposals?request=${p.request}&status=rejected`);
  const rejected = old.items.find((x) => x.id === p.id);
  assert.equal(rejected.reason, `swapped for ${chosen.employee} (${p.id}-w1)`);
  const audit = await world.call(coordinator, 'GET', '/v1/audit?limit=500');
  assert.ok(audit.items.some((e) => e.action === 'proposal.swap' && e.object === `assignments/${p.id}`),
    'the swap is audited');
  await world.accessible(page, 'the proposals after a swap');
  await world.shot(page, 'coordinator-swapped', false);
  await page.context().close();
});

test('a swap the store refuses is said in Dutch and changes nothing', async () => {
  const {p, alternatives} = await withAlternatives(1, 1);
  const page = await world.page();
  await world.signIn(page, coordinator);
  await page.getByRole('heading', {name: 'Overzicht alle wijken'}).waitFor();
  const row = await showRow(page, p);
  await row.getByRole('button', {name: 'Alternatieven'}).click();
  const chosen = alternatives[0];
  const swap = page.getByRole('button', {name: `Wisselen naar ${chosen.employee_name}`});
  await swap.waitFor();
  // Meanwhile the organisation deactivates the employee.
  const org = world.token('--role', 'organisation', '--organisation', chosen.organisation);
  const gone = await world.call(org, 'POST', `/v1/employees/${chosen.employee}/deactivate`);
  assert.equal(gone.active, false);
  await swap.click();
  const error = page.locator(`#alternatives-${p.id} .error-box`);
  await error.waitFor();
  assert.match(await error.textContent(), new RegExp(`^Wisselen naar ${chosen.employee_name} lukte niet: `));
  assert.doesNotMatch(await error.textContent(), /employee|inactive/, 'in Dutch, not the API\'s English');
  const still = await world.call(coordinator, 'GET', `/v1/proposals?request=${p.request}`);
  assert.ok(still.items.some((x) => x.id === p.id && x.status === 'proposed'), 'the proposal still waits');
  assert.ok(!still.items.some((x) => x.id === `${p.id}-w1`), 'no new proposal');
  await world.accessible(page, 'a refused swap');
  await world.shot(page, 'coordinator-swap-refused', false);
  await page.context().close();
});
