// harness.mjs: what the browser stories share: a fresh store with the Almere
// fixtures (or a city made by `handen-gen`), tokens made by `handen token create`, the real `handen serve` on a free
// loopback port, and headless Debian Chromium driven by playwright-core (no browser
// download: HANDEN_CHROMIUM or /usr/bin/chromium), each launch with a fresh empty
// profile of playwright's own.  The server sends its mail to a real SMTP server
// (tests/mail/smtp-sink.py on Debian's aiosmtpd), which keeps every message for the
// stories to read (world.mail).  Every console error and every
// page error is recorded, so a broken script or a Content-Security-Policy violation
// fails the run.  world.accessible runs axe-core (tests/browser/node_modules) on a
// page and world.onPhone checks at 390x844 that cells show all they hold.

import assert from 'node:assert/strict';
import {spawn, execFileSync} from 'node:child_process';
import {createRequire} from 'node:module';
import {mkdtempSync, rmSync, mkdirSync, readdirSync, readFileSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {chromium} from 'playwright-core';

export const CHROMIUM = process.env.HANDEN_CHROMIUM || '/usr/bin/chromium';
export const LAPTOP = {width: 1280, height: 800};
export const PHONE = {width: 390, height: 844};
export const TODAY = '2020-05-04'; // handen serve --today: the fixtures are spring 2020

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run the tests with meson test)`);
  return value;
}

// Runs `handen ARGS...` to completion and returns its stdout.
export function handen(...args) {
  return execFileSync(required('HANDEN_BIN'), args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
}

// A loopback port free now, for a server that must know its own address up front.
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const {port} = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

// Starts `command ARGS...` and resolves with the first match of `pattern` in its
// stdout (the child is in `child`); rejects when it exits first.
function startAndRead(command, args, pattern) {
  const child = spawn(command, args, {stdio: ['ignore', 'pipe', 'pipe']});
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const match = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = pattern.exec(out);
      if (m) resolve(m);
    });
    child.on('exit', (code) => reject(new Error(`${path.basename(command)} exited with ${code}: ${stderr}`)));
  });
  return {child, match};
}

// The decoded text parts of a message as handen writes it (base64 bodies).
function mailText(raw) {
  const parts = raw.split(/\r\nContent-Transfer-Encoding: base64\r\n\r\n/).slice(1);
  return parts.map((part) => Buffer.from(part.split(/\r\n(?:--|\r\n)/)[0].replace(/\s+/g, ''), 'base64')
    .toString('utf8')).join('\n');
}

// axe-core's script, run in a page through the debugging protocol (so the page's
// Content-Security-Policy, which refuses inline scripts, stays as it is).
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// A dataset file made by `handen-gen ARGS...` in `dir`; its path.
export function generate(dir, ...args) {
  const file = path.join(dir, 'city.json');
  execFileSync(required('HANDEN_GEN'), [...args, '--output', file], {stdio: ['ignore', 'pipe', 'pipe']});
  return file;
}

// The world: `dataset(dir)` names the file to import (default: the Almere fixtures).
export async function startWorld({dataset} = {}) {
  const shots = required('HANDEN_SCREENSHOTS');
  mkdirSync(shots, {recursive: true});
  const dir = mkdtempSync(path.join(tmpdir(), 'handen-browser-'));
  const db = path.join(dir, 'handen.db');
  handen('import', '--replace', '--db', db,
    dataset ? dataset(dir) : path.join(required('HANDEN_FIXTURES'), 'almere.json'));
  const token = (...args) => handen('token', 'create', '--db', db, ...args).trim();
  const mailDir = path.join(dir, 'mail');
  const smtp = startAndRead('/usr/bin/python3', [required('HANDEN_SMTP_SINK'), mailDir, '0'], /port (\d+)/);
  const smtpPort = (await smtp.match)[1];
  const sink = smtp.child;
  const port = await freePort();
  const serve = startAndRead(required('HANDEN_BIN'), ['serve', '--port', String(port), '--db', db, '--today', TODAY,
    '--smtp-url', `smtp://127.0.0.1:${smtpPort}`, '--mail-from', 'handen@example.nl',
    '--public-url', `http://127.0.0.1:${port}`], /serving (http:\/\/127\.0\.0\.1:\d+)\//);
  const server = serve.child;
  const base = await serve.match.then((m) => m[1]).catch((error) => {
    sink.kill('SIGTERM');
    throw error;
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  }).catch((error) => {
    server.kill('SIGTERM');
    sink.kill('SIGTERM');
    throw error;
  });
  const problems = [];
  const world = {
    dir, db, base, browser, problems, shots, token,
    // A fresh browser context (its own session storage) with a page at `viewport`.
    async page(viewport = LAPTOP) {
      const context = await browser.newContext({viewport, locale: 'nl-NL', acceptDownloads: true});
      const page = await context.newPage();
      page.on('console', (message) => {
        // The stories provoke 401 (a wrong token), 403 (the role probe) and 422 (the
        // validation story) on purpose; a missing file (404) or a refused one is a fault.
        const expected = /status of (401|403|422) /.test(message.text());
        if (message.type() === 'error' && !expected) problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      return page;
    },
    async signIn(page, secret) {
      await page.goto(`${base}/`);
      await page.getByLabel('Toegangscode').fill(secret);
      await page.getByRole('button', {name: 'Aanmelden'}).click();
    },
    // Saves NAME.png: the whole page, or only the viewport for long lists.
    async shot(page, name, fullPage = true) {
      await page.screenshot({path: path.join(shots, `${name}.png`), fullPage});
    },
    // axe-core's serious and critical violations on the page as it is now, as
    // "rule: target" lines (none is the goal).
    async axe(page) {
      await page.evaluate(AXE);
      const result = await page.evaluate(() => window.axe.run(document, {resultTypes: ['violations']}));
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} (${v.help})`));
    },
    // The cells matching `selector` whose content is wider than the cell (clipped or
    // scrolling), as "text" lines; and the page itself when wider than the viewport.
    async clipped(page, selector) {
      return page.evaluate((sel) => {
        const wide = Array.from(document.querySelectorAll(sel)).filter((el) => el.scrollWidth > el.clientWidth)
          .map((el) => `${sel}: ${el.textContent.trim().slice(0, 40)} (${el.scrollWidth} > ${el.clientWidth})`);
        const root = document.documentElement;
        if (root.scrollWidth > root.clientWidth) wide.push(`page: ${root.scrollWidth} > ${root.clientWidth}`);
        return wide;
      }, selector);
    },
    // Fails on any serious or critical axe-core violation on the page as it is now.
    async accessible(page, what) {
      assert.deepEqual(await world.axe(page), [], `axe-core on ${what}`);
    },
    // The page at phone size: nothing in `selector` clipped; a screenshot NAME-phone.
    async onPhone(page, name, selector, fullPage = true) {
      await page.setViewportSize(PHONE);
      assert.deepEqual(await world.clipped(page, selector), [], `nothing clipped on ${name} at 390x844`);
      await world.shot(page, `${name}-phone`, fullPage);
      await page.setViewportSize(LAPTOP);
    },
    // The JSON API itself, for what a story must find out behind the scenes.
    async call(secret, method, target, body) {
      const headers = {Authorization: `Bearer ${secret}`};
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const reply = await fetch(`${base}${target}`, {method, headers,
        body: body === undefined ? undefined : JSON.stringify(body)});
      return reply.json();
    },
    // The decoded text of the first message to `recipient` the SMTP server accepted,
    // waiting for the delivery worker up to 20 s.
    async mail(recipient) {
      for (let tries = 0; tries < 200; tries++) {
        for (const name of readdirSync(mailDir).filter((n) => n.endsWith('.eml')).sort()) {
          const raw = readFileSync(path.join(mailDir, name), 'utf8');
          if (raw.startsWith(`X-Envelope-To: ${recipient}\r\n`)) return mailText(raw);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no mail to ${recipient}`);
    },
    async stop() {
      await browser.close();
      const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({code, signal})));
      server.kill('SIGTERM');
      const status = await exited;
      const sinkExited = new Promise((resolve) => sink.on('exit', resolve));
      sink.kill('SIGTERM');
      await sinkExited;
      rmSync(dir, {recursive: true, force: true});
      return status;
    },
  };
  return world;
}
