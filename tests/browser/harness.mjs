// harness.mjs: what the browser stories share: a fresh store with the Almere
// fixtures, tokens made by `handen token create`, the real `handen serve` on a free
// loopback port, and headless Debian Chromium driven by playwright-core (no browser
// download: HANDEN_CHROMIUM or /usr/bin/chromium), each launch with a fresh empty
// profile of playwright's own.  Every console error and every
// page error is recorded, so a broken script or a Content-Security-Policy violation
// fails the run.

import {spawn, execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, mkdirSync} from 'node:fs';
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

export async function startWorld() {
  const shots = required('HANDEN_SCREENSHOTS');
  mkdirSync(shots, {recursive: true});
  const dir = mkdtempSync(path.join(tmpdir(), 'handen-browser-'));
  const db = path.join(dir, 'handen.db');
  handen('import', '--replace', '--db', db, path.join(required('HANDEN_FIXTURES'), 'almere.json'));
  const token = (...args) => handen('token', 'create', '--db', db, ...args).trim();
  const server = spawn(required('HANDEN_BIN'), ['serve', '--port', '0', '--db', db, '--today', TODAY], {stdio: ['ignore', 'pipe', 'pipe']});
  let stderr = '';
  server.stderr.on('data', (chunk) => { stderr += chunk; });
  const base = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`handen serve exited with ${code}: ${stderr}`)));
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  }).catch((error) => {
    server.kill('SIGTERM');
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
    // The JSON API itself, for what a story must find out behind the scenes.
    async call(secret, method, target) {
      const reply = await fetch(`${base}${target}`, {method, headers: {Authorization: `Bearer ${secret}`}});
      return reply.json();
    },
    async stop() {
      await browser.close();
      const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({code, signal})));
      server.kill('SIGTERM');
      const status = await exited;
      rmSync(dir, {recursive: true, force: true});
      return status;
    },
  };
  return world;
}
