// planner.test.mjs: the childcare planner's week grid of all the organisation's
// employees, end to end in headless Chromium against the real server with the Almere
// fixtures.  The coordinator runs a round and approves one proposal; the organisation
// with the most proposals in the week of today (4 May 2020) then sees every employee
// by name, the approved day part with its school, the waiting ones as proposed, who
// has no VOG and whose availability went stale; toggles a day part by keyboard and
// saves it; repeats a week's pattern up to a date; and is told why an assigned day
// part cannot be switched off.  What was saved is read back through the API.  axe-core
// on the page, screenshots at laptop and phone size, nothing clipped on a phone.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {PHONE, TODAY, startWorld} from './harness.mjs';

// The pages' own date arithmetic and slot rules (api/web has no package.json saying
// its scripts are modules, so it is loaded as one from its text).
const DATES = readFileSync(new URL('../../api/web/js/dates.js', import.meta.url));
const {addDays, expandRules} = await import(`data:text/javascript;base64,${DATES.toString('base64')}`);

const SUNDAY = addDays(TODAY, 6); // TODAY is a Monday
const UNTIL = '2020-05-27'; // a Wednesday three weeks on: repeat up to and including it
const STALE_BEFORE = addDays(TODAY, -28); // the page's four weeks (the server leaves none out)
const PARTS = ['morning', 'afternoon'];

let world;
let coordinator;
let org; // {id, token, approved, proposed, employees}

const inWeek = (a) => a.date >= TODAY && a.date <= SUNDAY;
const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const cell = (page, employee, slot) => page.locator(`tr[data-employee="${employee}"] button[data-slot="${slot}"]`);

async function availability(id) {
  return expandRules((await world.call(org.token, 'GET', `/v1/employees/${id}`)).availability);
}

async function openGrid(page) {
  await world.signIn(page, org.token);
  await page.getByRole('heading', {name: 'Weekplanning'}).waitFor();
  await page.getByRole('heading', {name: 'Week 19: ma 4 mei 2020 – zo 10 mei 2020'}).waitFor();
}

before(async () => {
  world = await startWorld();
  coordinator = world.token('--role', 'coordinator');
  const round = await world.call(coordinator, 'POST', '/v1/rounds', {});
  for (let tries = 0; tries < 600; tries++) {
    const now = await world.call(coordinator, 'GET', `/v1/rounds/${round.id}`);
    if (now.status !== 'running') {
      assert.equal(now.status, 'finished');
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The organisation with the most proposals this week (ties: the smallest id).
  const proposals = (await world.call(coordinator, 'GET', '/v1/proposals?limit=500')).items.filter(inWeek);
  const count = new Map();
  for (const p of proposals) count.set(p.organisation, (count.get(p.organisation) || 0) + 1);
  const id = Array.from(count.keys()).sort((a, b) => count.get(b) - count.get(a) || (a < b ? -1 : 1))[0];
  const mine = proposals.filter((p) => p.organisation === id).sort(byId);
  assert.ok(mine.length >= 2, 'the round left at least two proposals this week for one organisation');
  const approved = await world.call(coordinator, 'POST', `/v1/proposals/${mine[0].id}/approve`);
  assert.equal(approved.status, 'approved');
  const token = world.token('--role', 'organisation', '--organisation', id);
  // What the organisation itself reads: its own proposals, still waiting.
  const visible = (await world.call(token, 'GET', '/v1/proposals?limit=500')).items;
  assert.ok(visible.length > 0 && visible.every((p) => p.organisation === id && p.status === 'proposed'));
  assert.ok(!visible.some((p) => p.id === mine[0].id), 'an approved proposal is an assignment now');
  let employees = (await world.call(token, 'GET', '/v1/employees?limit=500')).items;
  if (employees.every((e) => e.qualifications.includes('vog'))) {
    await world.call(token, 'POST', '/v1/employees', {name: 'Sanne Jansen', district: employees[0].district,
                                                        qualifications: ['pm']});
    employees = (await world.call(token, 'GET', '/v1/employees?limit=500')).items;
  }
  org = {id, token, approved: mine[0], proposed: mine.slice(1), employees};
});

after(async () => {
  if (!world) return;
  const status = await world.stop();
  assert.deepEqual(status, {code: 0, signal: null}, 'handen serve stops cleanly on SIGTERM');
  assert.deepEqual(world.problems, [], 'no console or page errors (a CSP violation is one)');
});

test('the grid shows every employee with assigned, proposed, no VOG and stale marked', async () => {
  const page = await world.page();
  await openGrid(page);
  const collator = new Intl.Collator('nl');
  const expected = [...org.employees].sort((a, b) => collator.compare(a.name, b.name) || byId(a, b)).map((e) => e.id);
  const rows = await page.locator('table.planner tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.employee));
  assert.deepEqual(rows, expected, 'a row per employee, by name then id');
  assert.equal(await page.locator('table.planner tbody tr').first().locator('button.cell').count(), 14);

  const a = org.approved;
  const assigned = cell(page, a.employee, `${a.date}|${a.part}`);
  assert.match(await assigned.getAttribute('class'), /\bassigned\b/);
  assert.ok((await assigned.textContent()).includes(a.school_name), 'an assigned cell names the school');
  for (const p of org.proposed) {
    const proposed = cell(page, p.employee, `${p.date}|${p.part}`);
    assert.match(await proposed.getAttribute('class'), /\bproposed\b/);
    assert.ok((await proposed.textContent()).startsWith('voorgesteld'), `${p.id} shows proposed`);
  }

  // An assigned day part is not switched off: the page says why.
  assert.equal(await assigned.getAttribute('aria-pressed'), 'true');
  await assigned.click();
  await page.getByText(/is op .* ingezet bij .*Annuleer eerst die inzet/).waitFor();
  assert.equal(await assigned.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.getByRole('button', {name: 'Wijzigingen opslaan'}).isDisabled(), true);

  let stale = 0;
  for (const e of org.employees) {
    const row = page.locator(`tr[data-employee="${e.id}"]`);
    const noVog = !e.qualifications.includes('vog');
    assert.equal(await row.locator('[data-mark="no_vog"]').count(), noVog ? 1 : 0, `${e.id} no VOG mark`);
    const isStale = !e.confirmed || e.confirmed < STALE_BEFORE;
    assert.equal(await row.locator('[data-mark="stale"]').count(), isStale ? 1 : 0, `${e.id} stale mark`);
    stale += isStale ? 1 : 0;
  }
  assert.ok(stale > 0 && stale < org.employees.length, 'some availability is stale, some fresh');
  assert.ok(org.employees.some((e) => !e.qualifications.includes('vog')));
  await page.getByText('beschikbaarheid langer dan 28 dagen niet bevestigd').waitFor();

  await world.accessible(page, 'the planner grid');
  await world.shot(page, 'planner-grid');

  // On a phone the grid scrolls in its own box, the names staying in view.
  await page.setViewportSize(PHONE);
  const name = page.locator('table.planner tbody th.grid-name').first();
  const first = page.locator('table.planner tbody tr').first().locator('button.cell').first();
  const before = {name: (await name.boundingBox()).x, cell: (await first.boundingBox()).x};
  await page.locator('.planner-scroll').evaluate((box) => { box.scrollLeft = 300; });
  assert.equal((await name.boundingBox()).x, before.name, 'the name column stays in view');
  assert.ok((await first.boundingBox()).x < before.cell - 200, 'the cells scroll under it');
  for (const box of await page.locator('button.cell').evaluateAll((cells) => cells.map((c) => c.getBoundingClientRect())
    .map((r) => ({width: r.width, height: r.height})))) {
    assert.ok(box.width >= 40 && box.height >= 40, `touch target ${box.width}x${box.height}`);
  }
  await page.locator('.planner-scroll').evaluate((box) => { box.scrollLeft = 0; });
  await page.locator('.planner-card').screenshot({path: path.join(world.shots, 'planner-grid-phone-card.png')});
  await world.onPhone(page, 'planner-grid', 'table.planner th, table.planner td, .grid-legend li, .week-nav h3');
  await page.context().close();
});

test('a day part toggled by keyboard and saved is available after a reload', async () => {
  const page = await world.page();
  await openGrid(page);
  const rows = await page.locator('table.planner tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.employee));
  // The first unavailable day part of the week (today counts) not proposed to anyone.
  let target = null;
  for (let r = 0; r < rows.length && !target; r++) {
    const free = await availability(rows[r]);
    for (let c = 0; c < 14 && !target; c++) {
      const slot = `${addDays(TODAY, Math.floor(c / 2))}|${PARTS[c % 2]}`;
      const taken = [org.approved, ...org.proposed].some((p) => p.employee === rows[r] && `${p.date}|${p.part}` === slot);
      if (!free.has(slot) && !taken) target = {row: r, col: c, employee: rows[r], slot};
    }
  }
  assert.ok(target, 'someone is not available some day part this week');
  await page.locator('table.planner button.cell[tabindex="0"]').focus();
  for (let i = 0; i < target.row; i++) await page.keyboard.press('ArrowDown');
  for (let i = 0; i < target.col; i++) await page.keyboard.press('ArrowRight');
  const focused = await page.evaluate(() => [document.activeElement.closest('tr').dataset.employee,
    document.activeElement.dataset.slot]);
  assert.deepEqual(focused, [target.employee, target.slot], 'the arrows move the focus cell by cell');
  assert.equal(await page.locator('table.planner button.cell[tabindex="0"]').count(), 1, 'one cell in the tab order');
  await page.keyboard.press('Space');
  assert.equal(await cell(page, target.employee, target.slot).getAttribute('aria-pressed'), 'true');
  await page.getByText('1 medewerker gewijzigd, nog niet opgeslagen.').waitFor();
  await page.getByRole('button', {name: 'Wijzigingen opslaan'}).click();
  await page.getByText('Beschikbaarheid van 1 medewerker opgeslagen.').waitFor();

  await page.reload();
  await page.getByRole('heading', {name: 'Weekplanning'}).waitFor();
  await cell(page, target.employee, target.slot).waitFor();
  assert.equal(await cell(page, target.employee, target.slot).getAttribute('aria-pressed'), 'true');
  assert.ok((await availability(target.employee)).has(target.slot), 'the API has it too');
  await page.context().close();
});

test('repeat every week until a date copies the week\'s pattern', async () => {
  const page = await world.page();
  await openGrid(page);
  // Someone with availability this week and nothing decided or proposed after it.
  const busy = new Set([org.approved, ...org.proposed].map((p) => p.employee));
  let who = null;
  let before = null;
  for (const e of org.employees.filter((x) => !busy.has(x.id)).sort(byId)) {
    before = await availability(e.id);
    if (Array.from(before).some((key) => key >= TODAY && key <= `${SUNDAY}|z`)) {
      who = e;
      break;
    }
  }
  assert.ok(who, 'someone is available this week');
  await page.locator('#grid-repeat-who').selectOption(who.id);
  await page.getByLabel('Tot en met').fill(UNTIL);
  await page.getByRole('button', {name: 'Patroon herhalen'}).click();
  await page.getByText(`Het patroon van ${who.name} uit week 19 staat nu in elke week tot en met wo 27 mei 2020.`)
    .waitFor();
  await page.getByRole('button', {name: 'Wijzigingen opslaan'}).click();
  await page.getByText('Beschikbaarheid van 1 medewerker opgeslagen.').waitFor();

  const now = await availability(who.id);
  let copied = 0;
  for (let day = addDays(TODAY, 7); day <= addDays(UNTIL, 4); day = addDays(day, 1)) {
    for (const part of PARTS) {
      const key = `${day}|${part}`;
      if (day > UNTIL) {
        assert.equal(now.has(key), before.has(key), `${key} after the date is untouched`);
        continue;
      }
      const days = Math.round((Date.parse(day) - Date.parse(TODAY)) / 86400000);
      const model = `${addDays(TODAY, days % 7)}|${part}`;
      assert.equal(now.has(key), before.has(model), `${key} as ${model}`);
      copied += now.has(key) ? 1 : 0;
    }
  }
  assert.ok(copied >= 3, 'the pattern reached the following weeks');
  await world.shot(page, 'planner-repeat');
  await page.context().close();
});

test('the organisation reads its waiting proposals only, and no decided ones', async () => {
  const mine = (await world.call(org.token, 'GET', '/v1/proposals?limit=500')).items;
  const all = (await world.call(coordinator, 'GET', '/v1/proposals?limit=500')).items;
  assert.deepEqual(mine.map((p) => p.id), all.filter((p) => p.organisation === org.id).map((p) => p.id));
  assert.ok(all.some((p) => p.organisation !== org.id), 'others have proposals too');
  const any = await world.call(org.token, 'GET', '/v1/proposals?status=any');
  assert.equal(any.error.code, 'bad_request');
});
