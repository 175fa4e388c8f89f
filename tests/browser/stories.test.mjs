// stories.test.mjs: the three roles' main stories end to end in headless Chromium
// against the real server with the Almere fixtures, in order: a school posts a
// request (and sees a validation error from the API next to the field), the
// coordinator runs a round and approves the proposals for it, the school sees who
// comes, the organisation sees where its employee goes and edits its staff (and imports
// staff from a spreadsheet: problems per row first, then all of it stored); the
// coordinator invites a school, which signs in with the link from the mail, and
// reads on "Open plekken" that availability went stale.  Every page is checked with
// axe-core (no serious or critical violation) and at phone size for clipped cells;
// every story saves screenshots (laptop 1280x800 and phone 390x844) in
// HANDEN_SCREENSHOTS; HANDEN_README_SCREENSHOT=path also saves the dashboard there
// for the README.  city.test.mjs does the coordinator's pages at a city's scale.

import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {copyFileSync} from 'node:fs';
import path from 'node:path';
import {LAPTOP, PHONE, handen, startWorld} from './harness.mjs';

const SCHOOL = '06RM00'; // Vrije School Almere, in Stad: no request in the fixtures
const SCHOOL_NAME = 'Vrije School Almere';
const DAY = '2020-05-06'; // a Wednesday with staff available in Stad

let world;
let tokens;


// Opens the folded request form below the school's list.
async function openForm(page) {
  const summary = page.getByText('Nieuwe hulpvraag plaatsen');
  await summary.waitFor();
  if (!(await page.locator('details.new-request').evaluate((d) => d.open))) await summary.click();
  await page.getByRole('heading', {name: 'Nieuwe hulpvraag'}).waitFor();
}

before(async () => {
  world = await startWorld();
  tokens = {
    coordinator: world.token('--role', 'coordinator'),
    school: world.token('--role', 'school', '--school', SCHOOL),
  };
});

after(async () => {
  if (!world) return;
  const status = await world.stop();
  assert.deepEqual(status, {code: 0, signal: null}, 'handen serve stops cleanly on SIGTERM');
  assert.deepEqual(world.problems, [], 'no console or page errors (a CSP violation is one)');
});

test('sign-in is in Dutch, refuses an unknown token and switches to English', async () => {
  const page = await world.page();
  await page.goto(`${world.base}/`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'nl');
  await page.getByRole('heading', {name: 'Aanmelden'}).waitFor();
  await page.getByLabel('Toegangscode').fill('hnd_onbekend');
  await page.getByRole('button', {name: 'Aanmelden'}).click();
  await page.getByText('Deze toegangscode kennen we niet').waitFor();
  assert.equal(await page.getByLabel('Toegangscode').getAttribute('aria-invalid'), 'true');
  await world.accessible(page, 'the sign-in page');
  await world.shot(page, 'signin-error');
  await world.onPhone(page, 'signin-error', 'input');
  await page.getByRole('button', {name: 'English'}).click();
  await page.getByRole('heading', {name: 'Sign in'}).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.getByRole('button', {name: 'Nederlands'}).click();
  await page.getByRole('heading', {name: 'Aanmelden'}).waitFor();
  await page.context().close();
});

test('a school sees a validation error from the API next to the field', async () => {
  const page = await world.page();
  await world.signIn(page, tokens.school);
  await page.getByRole('heading', {name: 'Nieuwe hulpvraag'}).waitFor();
  await page.getByText('U heeft nog geen hulpvragen.').waitFor();
  await page.getByLabel('Elke week (patroon)').check();
  await page.getByLabel('Van', {exact: true}).fill('2020-05-08');
  await page.getByLabel('Tot en met', {exact: true}).fill('2020-05-04');
  await page.getByRole('button', {name: 'Hulpvraag plaatsen'}).click();
  const error = page.locator('[data-field="to"] .field-error');
  await error.waitFor();
  assert.match(await error.textContent(), /ligt vóór de begindatum \(kies 2020-05-08 of later\)/);
  assert.equal(await page.getByLabel('Tot en met', {exact: true}).getAttribute('aria-invalid'), 'true');
  await page.getByText('Controleer het formulier').waitFor();
  await world.accessible(page, 'the school page with a validation error');
  await world.shot(page, 'school-validation');
  await world.onPhone(page, 'school-validation', '.field');
  await page.context().close();
});

test('a school posts a request for extra hands', async () => {
  const page = await world.page();
  await world.signIn(page, tokens.school);
  await page.getByLabel('Datum', {exact: true}).fill(DAY);
  await page.getByRole('button', {name: 'Datum toevoegen'}).click();
  await page.getByLabel('Middag').check();
  await page.getByLabel('Aantal', {exact: true}).fill('1');
  await page.getByRole('group', {name: 'Gewenst'}).getByLabel('BSO-ervaring').check();
  await page.getByLabel('Opmerking (voor de coördinator)').fill('Groep 3 en 4, ingang aan de achterkant.');
  await page.getByRole('button', {name: 'Hulpvraag plaatsen'}).click();
  const card = page.locator('article.request').first();
  await card.waitFor();
  await card.getByText('0 van 2 plekken ingevuld').waitFor();
  assert.equal(await card.locator('tbody tr').count(), 2, 'one row per day part');
  assert.deepEqual(await card.locator('[data-status]').allTextContents(), ['open', 'open']);
  assert.match(await card.locator('tbody tr').first().textContent(), /^wo 6 mei 2020/, 'dates in Dutch');
  await page.getByRole('heading', {name: `Hulpvragen van ${SCHOOL_NAME}`}).waitFor();
  await world.accessible(page, 'the school page with a request');
  await world.shot(page, 'school-posted');
  await world.onPhone(page, 'school-posted', 'table.staffing td');
  await page.context().close();
});

// Waits until the dashboard shows the API's figures (GET /v1/summary) and returns them.
async function dashboardMatchesApi(page, query = '') {
  const {total} = await world.call(tokens.coordinator, 'GET', `/v1/summary${query}`);
  assert.equal(total.open, Math.max(0, total.needed - total.approved - total.proposed));
  for (const key of ['requests', 'needed', 'proposed', 'approved', 'open']) {
    const value = page.locator(`[data-stat="${key}"] .stat-value`);
    await value.filter({hasText: new RegExp(`^${total[key]}$`)}).waitFor();
  }
  const rate = await page.locator('[data-stat="rate"] .stat-value').textContent();
  const expected = new Intl.NumberFormat('nl-NL', {style: 'percent', maximumFractionDigits: 1})
    .format(total.approved / total.needed);
  assert.equal(rate, expected, 'the fill rate is approved / needed');
  return total;
}

// The dashboard's map draws each district with an outline in the API as that polygon,
// one vertex per point of it (the real CBS boundary, not the hull round its schools),
// the one without (Duin) as a hull, and every school inside its district's area.
async function mapDrawsOutlines(page) {
  const {items: districts} = await world.call(tokens.coordinator, 'GET', '/v1/districts?limit=100');
  assert.deepEqual(districts.filter((d) => d.outline === null).map((d) => d.id), ['duin']);
  const map = page.locator('svg.district-map');
  for (const d of districts) {
    const vertices = await map.locator(`a.district[data-district="${d.id}"] path.area`)
      .evaluate((area) => area.getAttribute('d').split(/[MLZ]/).filter((v) => v.trim()).length);
    if (d.outline) assert.equal(vertices, d.outline.length, `${d.id} is drawn as its outline`);
    else assert.ok(vertices >= 8, `${d.id} is drawn as the hull round its schools`);
  }
  const outside = await map.evaluate((svg) => Array.from(svg.querySelectorAll('.school-dot'))
    .filter((dot) => !svg.querySelector(`a.district[data-district="${dot.dataset.district}"] .area`)
      .isPointInFill(new DOMPoint(Number(dot.getAttribute('cx')), Number(dot.getAttribute('cy')))))
    .map((dot) => dot.textContent));
  assert.deepEqual(outside, [], 'every school lies inside its district\'s area');
}

test('the coordinator runs a round and approves the proposals for the school', async () => {
  const page = await world.page();
  await world.signIn(page, tokens.coordinator);
  await page.getByRole('heading', {name: 'Overzicht alle wijken'}).waitFor();
  await page.locator('[data-stat="requests"] .stat-value').filter({hasText: '32'}).waitFor();
  const before = await dashboardMatchesApi(page);
  assert.equal(before.needed, 335 + 2, 'the fixtures ask for 335, the school\'s new request for 2');
  await page.getByRole('button', {name: 'Ronde starten'}).click();
  await page.getByText(/Ronde \d+ is klaar\./).waitFor({timeout: 60000});
  await page.locator('svg.chart rect.proposed').first().waitFor();
  const after = await dashboardMatchesApi(page);

  // Before a decision the school sees its day parts in progress, not who is proposed.
  const school = await world.page();
  await world.signIn(school, tokens.school);
  const pending = school.locator('article.request').first();
  await pending.locator('[data-status="proposed"]').first().waitFor();
  assert.deepEqual(await pending.locator('[data-status]').allTextContents(), ['in behandeling', 'in behandeling']);
  await school.getByText('Er is nog niemand ingepland.').waitFor();
  await world.shot(school, 'school-in-progress');
  await school.context().close();
  assert.ok(after.proposed > before.proposed, 'the round proposed more');
  assert.equal(after.needed, before.needed, 'proposals do not change what is needed');
  await page.getByLabel('Wijk', {exact: true}).selectOption('stad');
  await page.getByRole('heading', {name: /Almere Stad/}).waitFor();
  await dashboardMatchesApi(page, '?district=stad');
  await page.getByLabel('Wijk', {exact: true}).selectOption('');
  await dashboardMatchesApi(page);
  await page.locator('svg.district-map a.district').first().waitFor();
  await mapDrawsOutlines(page);
  await world.accessible(page, 'the dashboard');
  await world.shot(page, 'coordinator-dashboard');
  if (process.env.HANDEN_README_SCREENSHOT) {
    // From the top down to the map of the districts.
    const map = await page.locator('section[aria-labelledby="map-heading"]').boundingBox();
    const top = await page.evaluate(() => window.scrollY);
    await page.screenshot({path: process.env.HANDEN_README_SCREENSHOT, fullPage: true,
      clip: {x: 0, y: 0, width: LAPTOP.width, height: Math.ceil(top + map.y + map.height + 16)}});
  }
  await world.onPhone(page, 'coordinator-dashboard', 'table.district-table td, table.district-table th');

  await page.getByRole('link', {name: 'Voorstellen', exact: true}).click();
  await page.locator('#filter-district').selectOption('stad');
  await page.locator('#filter-school').selectOption(SCHOOL);
  const rows = page.locator(`tr.proposal[data-school="${SCHOOL}"]`);
  await rows.first().waitFor();
  assert.equal(await page.locator('tr.proposal').count(), 2, 'both day parts are proposed, nothing else shown');
  await rows.locator('td.why .tag').first().waitFor();
  assert.match(await rows.first().locator('td.why').textContent(), /km reizen/);
  assert.match(await rows.first().locator('td.slot').textContent(), /^1 nodig · 1 voorgesteld · 0 goedgekeurd$/);
  await page.getByText('2 voorstellen', {exact: true}).waitFor();
  await world.accessible(page, 'the proposals');
  await world.shot(page, 'coordinator-proposals', false);
  await world.onPhone(page, 'coordinator-proposals', 'tr.proposal td');
  await page.getByLabel('Alle voorstellen op deze pagina selecteren').check();
  await page.getByRole('button', {name: 'Selectie goedkeuren (2)'}).click();
  await page.getByText('2 voorstellen goedgekeurd.').waitFor();
  await rows.first().waitFor({state: 'detached'});
  await page.locator('#filter-status').selectOption('approved');
  await rows.first().waitFor();
  assert.deepEqual(await rows.locator('td.actions-cell').allTextContents(), ['goedgekeurd', 'goedgekeurd']);
  assert.match(await rows.first().locator('td.slot').textContent(), /^1 nodig · 0 voorgesteld · 1 goedgekeurd$/);
  await page.locator('#filter-status').selectOption('proposed');

  await page.getByRole('link', {name: 'Open plekken'}).click();
  await page.getByRole('heading', {name: 'Open plekken'}).waitFor();
  await page.getByLabel('Wijk', {exact: true}).selectOption('');
  await page.locator('li.unfilled').first().waitFor();
  assert.match(await page.locator('li.unfilled .funnel').first().textContent(), /beschikbaar die (ochtend|middag)/);
  // Each open place says, in Dutch, the cheapest single relaxation that would fill it,
  // as the round found it.
  const latest = (await world.call(tokens.coordinator, 'GET', '/v1/rounds?limit=1')).items[0];
  const round = await world.call(tokens.coordinator, 'GET', `/v1/rounds/${latest.id}`);
  const found = round.unfilled.filter((u) => u.whatif.outcome === 'found');
  assert.ok(found.length > 0, 'the round found what-ifs');
  const item = page.locator(`li.unfilled[data-request="${found[0].request}"] .whatif`).first();
  assert.match(await item.textContent(), /^Wat als: (Eén plek meer g|G)evuld als .+\.$/);
  const texts = await page.locator('li.unfilled .whatif').allTextContents();
  // The page words it as the server's Dutch sentence does (qualifications aside, which the
  // page names in full).
  for (const u of found.filter((x) => x.whatif.kind !== 'preferred')) {
    assert.ok(texts.includes(`Wat als: ${u.whatif.text_nl}`), `shown: ${u.whatif.text_nl}`);
  }
  await world.accessible(page, 'the unfilled staff-slots');
  await world.shot(page, 'coordinator-unfilled', false);
  await world.onPhone(page, 'coordinator-unfilled', 'li.unfilled p');
  await page.context().close();
});

test('the school sees who comes', async () => {
  const placed = await world.call(tokens.coordinator, 'GET', `/v1/assignments?school=${SCHOOL}`);
  assert.equal(placed.items.length, 2);
  // Her organisation records the phone of one who comes; the school sees it after approval.
  const {employee, organisation} = placed.items[0];
  const changed = await world.call(world.token('--role', 'organisation', '--organisation', organisation), 'PATCH',
    `/v1/employees/${employee}`, {phone: '06 1234 5678'});
  assert.equal(changed.phone, '06 1234 5678');
  const approved = await world.call(tokens.school, 'GET', '/v1/assignments');
  assert.equal(approved.items.filter((a) => a.employee_phone === '06 1234 5678').length, 1);
  const page = await world.page();
  await world.signIn(page, tokens.school);
  const card = page.locator('article.request').first();
  await card.getByText('2 van 2 plekken ingevuld').waitFor();
  assert.deepEqual(await card.locator('[data-status]').allTextContents(), ['goedgekeurd', 'goedgekeurd']);
  // Who comes is seen first: the day list above the requests, with organisation and phone.
  const days = page.locator('section.day-list');
  for (const a of approved.items) {
    await card.getByText(a.employee_name).first().waitFor();
    const row = days.locator(`[data-date="${a.date}"] tr`, {hasText: a.employee_name});
    await row.getByText(a.organisation_name).waitFor();
    if (a.employee_phone) {
      assert.equal(await row.getByRole('link', {name: a.employee_phone}).getAttribute('href'), 'tel:0612345678');
    }
  }
  assert.ok(await days.evaluate((d, list) => d.compareDocumentPosition(list) & Node.DOCUMENT_POSITION_FOLLOWING,
    await page.locator('section[aria-labelledby="own-requests"]').elementHandle()), 'the day list comes first');
  assert.equal(await page.locator('details.new-request').evaluate((d) => d.open), false, 'the form is folded');
  await world.accessible(page, 'the school page with who comes');
  await world.shot(page, 'school-assigned');
  await world.onPhone(page, 'school-assigned', 'table.staffing td, table.day-table td');
  // The printed day list: only the list, no navigation, buttons or form.
  await page.emulateMedia({media: 'print'});
  assert.equal(await page.locator('header.top').isVisible(), false);
  assert.equal(await page.locator('details.new-request').isVisible(), false);
  assert.equal(await page.locator('article.request').first().isVisible(), false);
  assert.equal(await days.isVisible(), true);
  assert.equal(await days.getByRole('button', {name: 'Daglijst afdrukken'}).isVisible(), false);
  await page.pdf({path: path.join(world.shots, 'school-daylist.pdf')});
  await page.emulateMedia({media: 'screen'});
  await page.context().close();
});

test('the organisation sees the assignment, adds an employee and sets availability', async () => {
  const approved = await world.call(tokens.coordinator, 'GET', `/v1/assignments?school=${SCHOOL}`);
  const {organisation, employee_name: name} = approved.items[0];
  const page = await world.page();
  await world.signIn(page, world.token('--role', 'organisation', '--organisation', organisation));
  await page.getByRole('heading', {name: 'Uw medewerkers', exact: true}).waitFor();
  const placed = page.locator('article.assignment', {hasText: name});
  await placed.getByText(SCHOOL_NAME).first().waitFor();
  await world.accessible(page, 'the organisation page');
  await world.shot(page, 'organisation-assignments');

  await page.getByRole('button', {name: 'Medewerker toevoegen'}).click();
  await page.getByLabel('Naam').fill('Fleur de Vries');
  await page.getByLabel('Wijk', {exact: true}).selectOption('stad');
  await page.getByLabel('BSO-ervaring').check();
  await page.getByRole('button', {name: 'Toevoegen', exact: true}).click();
  const row = page.locator('table.employees tr', {hasText: 'Fleur de Vries'});
  await row.waitFor();
  await row.getByRole('button', {name: 'Beschikbaarheid'}).click();
  await page.getByRole('heading', {name: 'Beschikbaarheid van Fleur de Vries'}).waitFor();
  const slots = page.locator('button.slot');
  await slots.nth(0).click(); // Monday morning
  await slots.nth(2).click(); // Wednesday morning
  await slots.nth(9).click(); // Wednesday afternoon
  assert.equal(await page.locator('button.slot[aria-pressed="true"]').count(), 3);
  await page.getByRole('button', {name: 'Beschikbaarheid opslaan'}).click();
  await page.getByText('Beschikbaarheid van Fleur de Vries is opgeslagen.').waitFor();
  await world.shot(page, 'organisation-availability');
  await page.setViewportSize(PHONE);
  await world.shot(page, 'organisation-availability-phone');

  const employees = await world.call(tokens.coordinator, 'GET', '/v1/employees?district=stad&limit=500');
  const fleur = employees.items.find((e) => e.name === 'Fleur de Vries');
  assert.ok(fleur, 'the new employee is stored');
  assert.deepEqual(fleur.qualifications.sort(), ['bso', 'vog']);
  const grid = page.locator('button.slot[aria-pressed="true"]');
  assert.equal(await grid.count(), 3, 'the grid keeps what was saved');
  assert.ok(fleur.availability.length >= 1);
  await page.context().close();
});

test('a school is warned about a day part at the weekend', async () => {
  const page = await world.page();
  await world.signIn(page, tokens.school);
  await openForm(page);
  await page.getByLabel('Datum', {exact: true}).fill('2020-05-09'); // a Saturday
  await page.getByRole('button', {name: 'Datum toevoegen'}).click();
  await page.getByLabel('Aantal', {exact: true}).fill('1');
  await page.getByRole('button', {name: 'Hulpvraag plaatsen'}).click();
  await page.getByText(/is geplaatst, met 1 waarschuwing:/).waitFor();
  const warning = page.locator('article.request [data-warning="weekend"]');
  await warning.waitFor();
  assert.match(await warning.textContent(), /in het weekend: za 9 mei 2020 ochtend\. Opgeslagen, maar scholen zijn dan dicht\./);
  assert.equal(await warning.count(), 1, 'only the weekend request is marked');
  await world.shot(page, 'school-weekend-warning');
  await page.context().close();
});

test('an organisation is warned about an employee without a VOG', async () => {
  const page = await world.page();
  await world.signIn(page, world.token('--role', 'organisation', '--organisation', 'org-01'));
  await page.getByRole('heading', {name: 'Uw medewerkers', exact: true}).waitFor();
  await page.getByRole('button', {name: 'Medewerker toevoegen'}).click();
  await page.getByLabel('Naam').fill('Bram Zonder');
  await page.getByLabel('Wijk', {exact: true}).selectOption('stad');
  await page.getByLabel('VOG', {exact: true}).uncheck();
  await page.getByRole('button', {name: 'Toevoegen', exact: true}).click();
  await page.getByText('Bram Zonder is opgeslagen, maar zonder VOG: wordt nooit voorgesteld.').waitFor();
  const row = page.locator('table.employees tr', {hasText: 'Bram Zonder'});
  const warning = row.locator('[data-warning="no_vog"]');
  await warning.waitFor();
  assert.match(await warning.textContent(), /geen VOG.*nooit voorgesteld tot er een geldige VOG is vastgelegd/);
  assert.equal(await page.locator('table.employees tr', {hasText: 'Esther Dijkstra'}).locator('[data-warning]').count(), 0);
  await world.shot(page, 'organisation-no-vog');
  await page.context().close();
});

test('an organisation imports its employees from a spreadsheet', async () => {
  const token = world.token('--role', 'organisation', '--organisation', 'org-02');
  const before = await world.call(token, 'GET', '/v1/employees?limit=500');
  const page = await world.page();
  await world.signIn(page, token);
  await page.getByRole('heading', {name: 'Uw medewerkers', exact: true}).waitFor();
  await page.getByRole('button', {name: 'Importeren uit spreadsheet'}).click();
  await page.getByRole('heading', {name: 'Importeren uit spreadsheet'}).waitFor();
  await page.getByRole('button', {name: 'Sjabloon downloaden (.csv)'}).waitFor();
  const file = page.getByLabel('Kies een bestand (.csv)');
  const header = '\uFEFFid;naam;wijk;kwalificaties;vog;beschikbaar\r\n';
  // Errors in three rows: rows 3, 4 and 6 (the header is row 1).
  await file.setInputFiles({name: 'medewerkers.csv', mimeType: 'text/csv', buffer: Buffer.from(
    header +
    'imp-1;Iris Bakker;stad;pm;ja;06-05-2020 ochtend\r\n' +
    'imp-2;Joost Smit;nergens;pm;ja;\r\n' +
    'imp-3;;stad;;ja;\r\n' +
    'imp-4;Karin Mol;stad;bso;ja;\r\n' +
    'imp-5;Lotte Kok;stad;rijbewijs;ja;\r\n')});
  await page.getByText('5 medewerker(s) gelezen, 3 probleem/problemen').waitFor();
  const rows = page.locator('table.import-preview tbody tr');
  assert.equal(await rows.count(), 5);
  assert.match(await page.locator('tr[data-row="3"]').textContent(), /wijk: Er is geen wijk "nergens"/);
  assert.match(await page.locator('tr[data-row="4"]').textContent(), /naam: Dit veld is verplicht/);
  assert.match(await page.locator('tr[data-row="6"]').textContent(), /kwalificaties: "rijbewijs" is geen kwalificatie/);
  assert.equal(await page.locator('tr.has-problems').count(), 3);
  assert.equal(await page.getByRole('button', {name: 'Alles opslaan'}).isDisabled(), true);
  await world.shot(page, 'organisation-import-problems');
  const unchanged = await world.call(token, 'GET', '/v1/employees?limit=500');
  assert.equal(unchanged.items.length, before.items.length, 'a preview stores nothing');

  await file.setInputFiles({name: 'medewerkers.csv', mimeType: 'text/csv', buffer: Buffer.from(
    header +
    'imp-1;Iris Bakker;stad;pm;ja;06-05-2020 ochtend\r\n' +
    'imp-2;"Smit, Joost";stad;pm bso;ja;06-05-2020|07-05-2020 middag\r\n' +
    'imp-3;Karin Mol;stad;;nee;\r\n')});
  await page.getByText('3 medewerker(s) gelezen, alles in orde: 3 nieuw, 0 bijgewerkt.').waitFor();
  await page.getByRole('button', {name: 'Alles opslaan'}).click();
  await page.getByText('Opgeslagen: 3 nieuw, 0 bijgewerkt.').waitFor();
  for (const name of ['Iris Bakker', 'Smit, Joost', 'Karin Mol'])
    await page.locator('table.employees tr', {hasText: name}).waitFor();
  await world.shot(page, 'organisation-import-saved');
  const after = await world.call(token, 'GET', '/v1/employees?limit=500');
  assert.equal(after.items.length, before.items.length + 3);
  const joost = after.items.find((e) => e.id === 'imp-2');
  assert.deepEqual(joost.qualifications.sort(), ['bso', 'pm', 'vog']);
  assert.equal(joost.availability.length, 3);
  await page.context().close();
});

test('the coordinator sees a round run from the command line', async () => {
  // `handen match --db` on the store being served is a round like one started on the
  // page: a fresh session finds it and its open staff-slots.
  const out = handen('match', '--db', world.db);
  const id = /Round (\d+): saved/.exec(out)[1];
  const page = await world.page();
  await world.signIn(page, tokens.coordinator);
  await page.getByRole('link', {name: 'Open plekken'}).click();
  await page.getByRole('heading', {name: 'Open plekken'}).waitFor();
  await page.getByText(`Uit ronde ${id} (`).waitFor();
  await page.locator('li.unfilled').first().waitFor();
  await page.context().close();
});

test('the coordinator invites a school, which signs in with the link from the mail', async () => {
  const email = 'directie@driemaster.example.nl';
  const page = await world.page();
  await world.signIn(page, tokens.coordinator);
  await page.getByRole('heading', {name: 'Uitnodigen'}).waitFor();
  await page.getByLabel('School of organisatie').selectOption('school:12XA00');
  await page.getByLabel('E-mail (leeg: het contactadres)').fill(email);
  await page.getByRole('button', {name: 'Uitnodiging sturen'}).click();
  await page.getByText(`Uitnodiging verstuurd naar ${email}.`).waitFor();
  const invited = page.locator('#invitations li', {hasText: email});
  await invited.filter({hasText: 'nog niet aangemeld'}).waitFor();
  assert.match(await invited.textContent(), /link geldig tot \d{1,2} [a-z]+\.? \d{4},? \d{2}:\d{2}\)$/,
    'the date in Dutch');
  await world.shot(page, 'coordinator-invitation', false);

  // The delivery worker sends it through the SMTP server; the link is on --public-url.
  const text = await world.mail(email);
  assert.match(text, /De coördinator van de noodopvang nodigt Basisschool de Driemaster uit/);
  const link = new RegExp(`${world.base.replace(/[.]/g, '\\.')}/#/signin\\?code=\\S+`).exec(text)?.[0];
  assert.ok(link, `a sign-in link to ${world.base} in: ${text}`);
  const school = await world.page();
  await school.goto(link);
  await school.getByText('Nieuwe hulpvraag plaatsen').waitFor();
  await school.getByText('Basisschool de Driemaster').first().waitFor();
  await world.shot(school, 'school-invited');
  // The link works once: a second use is refused.
  const again = await world.page();
  await again.goto(link);
  await again.getByRole('heading', {name: 'Aanmelden'}).waitFor();
  await again.context().close();
  await school.context().close();

  await page.reload();
  await invited.filter({hasText: 'aangemeld op'}).waitFor();
  await page.context().close();
});

test('the coordinator reads that availability went stale', async () => {
  // The fixtures' availability was confirmed in spring 2020: 30 days before today it
  // is all stale, so the round proposes no one and the open staff-slots say so.
  const out = handen('match', '--db', world.db, '--stale-after-days', '30');
  const id = /Round (\d+): saved/.exec(out)[1];
  const page = await world.page();
  await world.signIn(page, tokens.coordinator);
  await page.getByRole('link', {name: 'Open plekken'}).click();
  await page.getByText(`Uit ronde ${id} (`).waitFor();
  const funnel = page.locator('li.unfilled .funnel').filter({hasText: 'beschikbaar die'}).first();
  await funnel.waitFor();
  assert.match(await funnel.textContent(),
    /^\d+ beschikbaar die (ochtend|middag), maar niet bevestigd sinds \d{1,2} [a-z]+$/);
  await world.shot(page, 'coordinator-unfilled-stale', false);
  await page.context().close();
});
