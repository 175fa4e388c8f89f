// city.test.mjs: the coordinator's pages at a real city's scale, in Dutch: a city of
// 150 schools and 600 employees made by handen-gen, a round on it (some 500
// proposals), then the dashboard's map of the districts coloured by fill, the
// proposals page with its pages, filters and decisions of many rows at once, the
// round history and the audit trail, and the Dutch words for every error code the
// API has.  Every page is checked with axe-core and at phone size; screenshots at
// laptop and phone size land in HANDEN_SCREENSHOTS.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {generate, handen, startWorld} from './harness.mjs';

let world;
let coordinator;
let round;

before(async () => {
  world = await startWorld({dataset: (dir) => generate(dir, '--schools', '150', '--employees', '600', '--weeks', '2',
    '--seed', '1')});
  coordinator = world.token('--role', 'coordinator');
  round = Number(/Round (\d+): saved/.exec(handen('match', '--db', world.db))[1]);
});

after(async () => {
  if (!world) return;
  const status = await world.stop();
  assert.deepEqual(status, {code: 0, signal: null}, 'handen serve stops cleanly on SIGTERM');
  assert.deepEqual(world.problems, [], 'no console or page errors (a CSP violation is one)');
});

// Every item of a paged API list.
async function all(target) {
  const items = [];
  let cursor = null;
  do {
    const joiner = target.includes('?') ? '&' : '?';
    const page = await world.call(coordinator, 'GET', `${target}${joiner}limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

// The colour band the map must give a district, worked out here from the API's figures.
function band(f) {
  if (f.needed <= 0) return 'none';
  const rate = (f.approved + f.proposed) / f.needed;
  return rate < 0.25 ? '0' : rate < 0.5 ? '1' : rate < 0.75 ? '2' : rate < 1 ? '3' : '4';
}

test('the dashboard maps the districts of a city, coloured by fill', async () => {
  const [districts, schools, summary] = await Promise.all([all('/v1/districts'), all('/v1/schools'),
    world.call(coordinator, 'GET', '/v1/summary')]);
  assert.equal(schools.length, 150);
  const page = await world.page();
  await world.signIn(page, coordinator);
  const areas = page.locator('svg.district-map a.district');
  await areas.first().waitFor();
  assert.equal(await areas.count(), districts.length, 'one area per district');
  assert.equal(await page.locator('svg.district-map circle.school-dot').count(), 150, 'every school a point');
  const outside = await page.locator('svg.district-map').evaluate((svg) => Array.from(svg.querySelectorAll('.school-dot'))
    .filter((dot) => {
      const area = svg.querySelector(`a.district[data-district="${dot.dataset.district}"] .area`);
      const point = new DOMPoint(Number(dot.getAttribute('cx')), Number(dot.getAttribute('cy')));
      return !area.isPointInFill(point);
    }).map((dot) => dot.textContent));
  assert.deepEqual(outside, [], 'every school lies inside its district\'s area');
  const bands = new Set();
  for (const f of summary.districts) {
    const area = page.locator(`svg.district-map a.district[data-district="${f.district}"]`);
    assert.equal(await area.getAttribute('class'), `district fill-${band(f)}`, `the colour of ${f.district}`);
    bands.add(band(f));
    const row = page.locator(`table.district-table tr[data-district="${f.district}"]`);
    assert.deepEqual((await row.locator('td').allTextContents()).slice(0, 4),
      [f.needed, f.proposed, f.approved, f.open].map(String), `the figures of ${f.district}`);
  }
  assert.ok(summary.districts.some((f) => f.proposed > 0), 'the round proposed');
  await world.accessible(page, 'the dashboard of a city');
  assert.deepEqual(await world.clipped(page, '.map-grid .table-wrap, table.district-table td, table.district-table th'), []);
  await world.shot(page, 'city-dashboard');
  await world.onPhone(page, 'city-dashboard', 'table.district-table td, table.district-table th', false);

  // A click on a district opens its proposals.
  const pick = summary.districts.find((f) => f.proposed > 0);
  await page.locator(`svg.district-map a.district[data-district="${pick.district}"]`).click();
  await page.getByRole('heading', {name: 'Voorstellen beoordelen'}).waitFor();
  assert.equal(await page.locator('#filter-district').inputValue(), pick.district);
  await page.locator('tr.proposal').first().waitFor();
  await page.getByText(new RegExp(`^${pick.proposed} voorstel(len)?$`)).waitFor();
  const shownDistricts = new Set(await page.locator('tr.proposal').evaluateAll((rows) => rows.map((r) => r.dataset.district)));
  assert.deepEqual([...shownDistricts], [pick.district]);
  await page.context().close();
});

test('hundreds of proposals: pages, filters, and decisions on many rows at once', async () => {
  const proposals = await all('/v1/proposals');
  assert.ok(proposals.length >= 300, `a city's round proposes 300+ (${proposals.length})`);
  const requests = await all('/v1/requests');
  const urgent = new Set(requests.filter((r) => r.priority === 'high').map((r) => r.id));
  const page = await world.page();
  await world.signIn(page, coordinator);
  await page.getByRole('link', {name: 'Voorstellen', exact: true}).click();
  await page.locator('#filter-district').selectOption('');
  await page.getByText(`${proposals.length} voorstellen`, {exact: true}).waitFor();
  const pages = Math.ceil(proposals.length / 50);
  await page.getByText(`Pagina 1 van ${pages}`).first().waitFor();
  assert.equal(await page.locator('tr.proposal').count(), 50, '50 rows a page');
  await page.getByRole('button', {name: 'Volgende →'}).first().click();
  await page.getByText(`Pagina 2 van ${pages}`).first().waitFor();
  assert.equal(await page.locator('tr.proposal').count(), 50);
  await world.accessible(page, 'the proposals of a city');
  await world.shot(page, 'city-proposals', false);
  await world.onPhone(page, 'city-proposals', 'tr.proposal td', false);

  // Urgent only: every row has the badge, as many as the API's urgent requests have.
  await page.locator('#filter-priority').selectOption('high');
  const high = proposals.filter((p) => urgent.has(p.request));
  assert.ok(high.length > 0, 'the city has urgent requests with proposals');
  await page.getByText(new RegExp(`^${high.length} voorstel(len)?$`)).waitFor();
  const shown = await page.locator('tr.proposal').count();
  assert.equal(shown, Math.min(50, high.length));
  assert.equal(await page.locator('tr.proposal td.school .badge.urgent').count(), shown);
  await world.shot(page, 'city-proposals-urgent', false);

  // One day and day part.
  await page.locator('#filter-priority').selectOption('');
  const day = proposals[0].date;
  await page.locator('#filter-date').selectOption(day);
  await page.locator('#filter-part').selectOption('morning');
  const morning = proposals.filter((p) => p.date === day && p.part === 'morning');
  await page.getByText(new RegExp(`^${morning.length} voorstel(len)?$`)).waitFor();
  const keys = await page.locator('tr.proposal').evaluateAll((rows) => rows.map((r) => `${r.dataset.date} ${r.dataset.part}`));
  assert.ok(keys.every((k) => k === `${day} morning`), 'only that day part');
  assert.match(await page.locator('#filter-date option:checked').textContent(), /^[a-z]{2} \d{1,2} [a-z]+\.? 2020$/,
    'the date in Dutch');

  // Approve every row of the page at once, then reject one with a reason.
  const ids = await page.locator('tr.proposal').evaluateAll((rows) => rows.map((r) => r.dataset.proposal));
  const [first, ...rest] = ids;
  const row = page.locator(`tr.proposal[data-proposal="${first}"]`);
  await page.getByLabel('Alle voorstellen op deze pagina selecteren').check();
  await row.locator('input[type="checkbox"]').uncheck(); // the first row stays out
  await page.getByRole('button', {name: `Selectie goedkeuren (${rest.length})`}).click();
  await page.getByText(`${rest.length} voorstel${rest.length === 1 ? '' : 'len'} goedgekeurd.`).waitFor();
  const decided = await all('/v1/proposals?status=approved');
  assert.deepEqual(rest.filter((id) => !decided.some((p) => p.id === id)), [], 'every selected row is approved');
  await row.getByRole('button', {name: 'Afwijzen'}).click();
  await page.getByLabel('Reden (wordt vastgelegd)').fill('Kent de groep niet.');
  await page.getByRole('dialog').getByRole('button', {name: 'Afwijzen'}).click();
  await page.getByText('1 voorstel afgewezen.').waitFor();
  await row.waitFor({state: 'detached'});
  const rejected = await all('/v1/proposals?status=rejected');
  assert.deepEqual(rejected.map((p) => p.id), [first]);
  await page.context().close();
});

test('the round history and the audit trail say what happened', async () => {
  const entries = await all('/v1/audit');
  const approvals = entries.filter((e) => e.action === 'proposal.approve').length;
  assert.ok(approvals > 0, 'the previous story approved');
  const page = await world.page();
  await world.signIn(page, coordinator);
  await page.getByRole('link', {name: 'Geschiedenis'}).click();
  await page.getByRole('heading', {name: 'Rondes en besluiten'}).waitFor();
  const roundRow = page.locator(`tr[data-round="${round}"]`);
  await roundRow.waitFor();
  const {proposals} = await world.call(coordinator, 'GET', `/v1/rounds/${round}`);
  assert.match(await roundRow.textContent(), new RegExp(`klaar.*opdrachtregel \\(gebruiker .+\\).*${proposals}`));
  await page.getByText(`${entries.length} regels, nieuwste eerst`).waitFor();
  const newest = page.locator('tr[data-audit]').first();
  assert.equal(await newest.getAttribute('data-audit'), String(entries[entries.length - 1].id), 'newest first');
  assert.deepEqual(await newest.locator('td').allTextContents().then((cells) => cells.slice(1)), [
    `coördinator (toegangscode ${entries[entries.length - 1].actor.split(' ').pop()})`, 'voorstel afgewezen',
    `inzet ${entries[entries.length - 1].object.split('/')[1]}`,
    ...(await newest.locator('td').nth(4).textContent().then((text) => [text]))]);
  assert.match(await newest.locator('td').nth(4).textContent(),
    /^hulpvraag \S+, medewerker \S+, [a-z]{2} \d{1,2} [a-z]+\.? 2020 (ochtend|middag): Kent de groep niet\.$/);
  assert.ok(await page.locator('tr[data-audit]', {hasText: 'voorstel goedgekeurd'}).count() > 0);
  // What: only the approvals, as many as the API counts; who: a part of the actor.
  await page.getByLabel('Wat', {exact: true}).selectOption('proposal.approve');
  await page.getByText(approvals === 1 ? '1 regel, nieuwste eerst' : `${approvals} regels, nieuwste eerst`).waitFor();
  const actions = await page.locator('tr[data-audit] td:nth-child(3)').allTextContents();
  assert.ok(actions.length > 0 && actions.every((text) => text === 'voorstel goedgekeurd'), actions.join('|'));
  const approver = entries.find((e) => e.action === 'proposal.approve').actor;
  const byApprover = entries.filter((e) => e.action === 'proposal.approve' && e.actor === approver).length;
  await page.getByLabel('Wie', {exact: true}).fill(approver.toUpperCase());
  await page.getByLabel('Wie', {exact: true}).press('Enter');
  await page.getByText(byApprover === 1 ? '1 regel, nieuwste eerst' : `${byApprover} regels, nieuwste eerst`).waitFor();
  await page.getByLabel('Wie', {exact: true}).fill('niemand-zo-genoemd');
  await page.getByLabel('Wie', {exact: true}).press('Enter');
  await page.getByText('Geen regels met deze filters.').waitFor();
  await page.getByLabel('Wie', {exact: true}).fill('');
  await page.getByLabel('Wie', {exact: true}).press('Enter');
  await page.getByLabel('Wat', {exact: true}).selectOption('');
  await page.getByText(`${entries.length} regels, nieuwste eerst`).waitFor();
  await world.accessible(page, 'the history');
  await world.shot(page, 'city-history', false);
  await world.onPhone(page, 'city-history', 'table.history-table td', false);
  await page.context().close();
});

test('every error code of the API has Dutch words, and plurals are right', async () => {
  const source = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'api', 'http.c'), 'utf8');
  const codes = Array.from(source.matchAll(/\[API_ERROR_\w+\] = \{(\d+), "([a-z_]+)"/g), (m) => [Number(m[1]), m[2]]);
  assert.ok(codes.length >= 25, 'the table of api/http.c is read');
  const page = await world.page();
  await page.goto(`${world.base}/`);
  await page.getByRole('heading', {name: 'Aanmelden'}).waitFor();
  const said = await page.evaluate(async (list) => {
    const i18n = await import('/js/i18n.js');
    return list.map(([status, code]) => [code, i18n.t(`error.code.${code}`),
      i18n.describeError({status, code, message: 'an English message from the API'})]);
  }, codes);
  for (const [code, words, shown] of said) {
    assert.notEqual(words, `error.code.${code}`, `a Dutch message for ${code}`);
    assert.doesNotMatch(shown, /English message/, `${code} is shown in Dutch`);
  }
  const plurals = await page.evaluate(async () => {
    const {t} = await import('/js/i18n.js');
    return [0, 1, 2].map((n) => t('proposals.count', {n}));
  });
  assert.deepEqual(plurals, ['0 voorstellen', '1 voorstel', '2 voorstellen']);
  await page.context().close();
});
