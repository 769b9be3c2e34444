// Shared helpers for the end-to-end tests: Debian's Chromium through playwright-core, and the
// site built by `paperbloom build` (folder in $PAPERBLOOM_SITE, default target/e2e-site).
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const site = path.resolve(root, process.env.PAPERBLOOM_SITE || 'target/e2e-site');

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A page that records console errors and uncaught exceptions in `page.problems`. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console: ${m.text()}`); });
  page.on('dialog', (d) => { page.problems.push(`dialog: ${d.message()}`); d.dismiss(); });
  return page;
}

/** Records the page's Content-Security-Policy violations in `window.__violations` (call before
 * loading the page). */
export async function recordViolations(page) {
  await page.context().addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}

/** Asserts the page's policy is in force, not just present: an injected inline script is
 * refused and reported (needs `recordViolations`), and nothing else went wrong. */
export async function assertPolicyEnforced(page) {
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = 1';
    document.body.append(s);
    await new Promise((ok) => setTimeout(ok, 50));
    return { injected: window.__injected, violations: window.__violations.length };
  });
  assert.equal(ran.injected, undefined, 'an injected inline script is refused');
  assert.ok(ran.violations >= 1, 'and reported');
  assert.deepEqual(page.problems.filter((p) => !p.includes('Content Security Policy')), []);
}

/** The site built from the XSS digest (tests/fixtures/xss.jsonl) by scripts/test.sh. */
export const xssSite = path.resolve(root, process.env.PAPERBLOOM_XSS_SITE || 'target/e2e-xss');

/** Starts `paperbloom serve --no-build` for `dir` on a free port; resolves to {url, stop}. */
export async function serve(dir = site) {
  const bin = path.join(root, 'target/debug/paperbloom');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(bin, ['serve', '--no-build', '--out', dir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('paperbloom serve did not start in 20 s')), 20000);
    child.on('exit', (code) => reject(new Error(`paperbloom serve exited with ${code}`)));
    child.stdout.on('data', (d) => { if (String(d).includes('serving')) { clearTimeout(timer); resolve(); } });
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

/** Opens `url` and waits until the widget is mounted. */
export async function openWidget(page, url) {
  await page.goto(url);
  await page.waitForSelector('paper-bloom .pb-input');
  await page.waitForFunction(() => window.paperbloom && typeof window.paperbloom.search === 'function');
}

/** Types `query` into the widget and returns the visible results as {title, meta, excerpt}. */
export async function typeAndRead(page, query) {
  const box = page.getByRole('combobox', { name: 'Search papers' });
  await box.fill('');
  await box.pressSequentially(query, { delay: 20 });
  await page.waitForSelector('[role=listbox] [role=option]');
  return page.$$eval('[role=listbox] [role=option]', (els) => els.map((li) => ({
    title: li.querySelector('.pb-title').textContent,
    meta: li.querySelector('.pb-meta')?.textContent ?? '',
    excerpt: li.querySelector('.pb-excerpt')?.textContent ?? '',
  })));
}
