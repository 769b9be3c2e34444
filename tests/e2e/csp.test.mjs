// End to end: the pages run under a strict Content-Security-Policy with no violation reported.
// The served site: `default-src 'self'` (its wasm is fetched) and hashes of its own inline
// scripts and style. The single file (file://): `default-src 'none'` and hashes of its own
// inline scripts and style. In both, the policy is live: an injected inline script is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { assertPolicyEnforced, launch, newPage, openWidget, recordViolations, serve, site } from './browser.mjs';

let browser;
let server;
before(async () => { browser = await launch(); server = await serve(); });
after(async () => { await browser?.close(); server?.stop(); });

async function underPolicy(url, expectPolicy) {
  const page = await newPage(browser);
  await recordViolations(page);
  await openWidget(page, url);
  const policy = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(policy, expectPolicy);
  // Use it: type, open a paper, come back, filter, sort.
  const box = page.getByRole('combobox', { name: 'Search papers' });
  await box.fill('federated learning');
  await page.locator('[role=option]').first().waitFor();
  await page.locator('[role=option]').first().click();
  await page.locator('.pb-detail h2').waitFor();
  await page.locator('.pb-back').click();
  await page.locator('[role=option]').first().waitFor();
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no violation while searching');
  await assertPolicyEnforced(page);
  await page.context().close();
}

test('the served site runs under default-src \'self\' with no violation', async () => {
  await underPolicy(server.url, /^default-src 'self'; script-src 'sha256-[^']+' 'sha256-[^']+' 'sha256-[^']+' 'wasm-unsafe-eval'; style-src 'sha256-[^']+';/);
});

test('the single file runs from file:// under default-src \'none\' and script hashes', async () => {
  await underPolicy(pathToFileURL(path.join(site, 'paperbloom.html')).href, /^default-src 'none'; script-src 'sha256-[^']+' 'sha256-[^']+' 'sha256-[^']+' 'wasm-unsafe-eval'; style-src 'sha256-[^']+';/);
});
