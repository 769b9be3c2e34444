// End to end: a digest made of XSS vectors (tests/fixtures/xss.jsonl: <script>, <img onerror>,
// <svg onload>, javascript:/data:/vbscript: URLs in titles, abstracts, urls, code links and
// author names) renders as inert text, in the served page and in the single file: nothing
// executes (every vector would bump window.__xss or open a dialog), no element but the widget's
// own is created, and no link has a scheme other than http(s) (or the page's own, for #paper=).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, newPage, openWidget, root, serve, xssSite } from './browser.mjs';

const fixture = fs.readFileSync(path.join(root, 'tests/fixtures/xss.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
let browser;
let server;
before(async () => { browser = await launch(); server = await serve(xssSite); });
after(async () => { await browser?.close(); server?.stop(); });

async function attack(page, url) {
  await openWidget(page, url);
  const box = page.getByRole('combobox', { name: 'Search papers' });
  const scriptsBefore = await page.locator('script').count();
  for (const q of ['payload', 'script', 'onerror javascript', 'img src', 'vector05']) {
    await box.fill(q);
    await page.locator('[role=option]').first().waitFor();
    // Open every result on the first page: the detail view renders links and the whole abstract.
    const n = Math.min(await page.locator('[role=option]').count(), 12);
    for (let i = 0; i < n; i++) {
      await page.locator('[role=option]').nth(i).click();
      await page.locator('.pb-detail h2').waitFor();
      const shown = await page.locator('.pb-detail h2').textContent();
      assert.ok(fixture.some((r) => r.title === shown), `title shown as its text: ${shown}`);
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => ({ href: a.getAttribute('href'), protocol: a.protocol })));
      for (const { href, protocol } of hrefs) {
        assert.ok(['http:', 'https:'].includes(protocol), `link ${href} (${protocol})`);
      }
      await page.locator('.pb-back').click();
      await page.locator('[role=option]').first().waitFor();
    }
  }
  // Shared links carrying vectors in the query and the paper id.
  const evil = encodeURIComponent('<img src=x onerror=window.__xss=1>');
  await openWidget(page, `${url}?q=${evil}&year=${evil}&sort=${evil}#paper=${evil}`);
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'nothing executed');
  const foreign = await page.$$eval('paper-bloom *', (els) => els.filter((e) => !e.closest('.paperbloom') || ['IMG', 'SVG', 'SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'VIDEO', 'FORM', 'BASE', 'META', 'TEMPLATE', 'MARQUEE', 'DETAILS'].includes(e.tagName.toUpperCase())).map((e) => e.tagName));
  assert.deepEqual(foreign, []);
  assert.equal(await page.locator('script').count(), scriptsBefore, 'no script element added');
  assert.deepEqual(page.problems, []);
}

test('XSS digest: inert in the served page', async () => {
  const page = await newPage(browser);
  await attack(page, server.url);
});

test('XSS digest: inert in the single file from file://', async () => {
  const page = await newPage(browser);
  await attack(page, pathToFileURL(path.join(xssSite, 'paperbloom.html')).href);
});
