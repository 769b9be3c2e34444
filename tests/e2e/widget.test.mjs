// End to end: the served page and the single-file bundle, in Chromium, as a reader uses them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, newPage, openWidget, serve, site, typeAndRead } from './browser.mjs';

let browser;
let server;
before(async () => { browser = await launch(); server = await serve(); });
after(async () => { await browser?.close(); server?.stop(); });

test('typing FedLGD in the served page shows the paper with its authors and date', async () => {
  const page = await newPage(browser);
  await openWidget(page, server.url);
  const results = await typeAndRead(page, 'FedLGD');
  assert.equal(results[0].title, 'Federated Learning on Virtual Heterogeneous Data with Local-global Distillation');
  assert.match(results[0].meta, /5 authors/);
  assert.match(results[0].meta, /Mar 3, 2023/);
  assert.match(await page.getByRole('status').textContent(), /\d+ papers? · [\d.]+ ms/);
  assert.equal(await page.locator('#pb-tagline').textContent(), 'Search 247 papers — instantly, in your browser, offline.');
  assert.deepEqual(page.problems, []);
});

test('the status line says when the word being typed is not required yet', async () => {
  // No paper with "federated learning" has a common word starting "qz": the widget shows
  // those papers and says they match every word before it (not that none has every word: one
  // may have a rarer word that "qz" becomes).
  const page = await newPage(browser);
  await openWidget(page, server.url);
  const done = await typeAndRead(page, 'federated learning');
  const typing = await typeAndRead(page, 'federated learning qz');
  assert.deepEqual(typing.map((r) => r.title).sort(), done.map((r) => r.title).sort());
  await page.waitForFunction(() => document.querySelector('[role=status]').textContent.includes('qz'));
  assert.match(await page.getByRole('status').textContent(), /^\d+ papers · [\d.]+ ms · matching every word before “qz”$/);
  await typeAndRead(page, 'federated qqqqq learning');
  await page.waitForFunction(() => !document.querySelector('[role=status]').textContent.includes('qz'));
  assert.match(await page.getByRole('status').textContent(), /closest matches \(no paper has every word\)$/);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the served page loads with one request besides itself: the wasm, preloaded and used once', async () => {
  // Style, glue and scripts are inline: a cold load waits for no stylesheet or module, and the
  // wasm is requested by the preload in <head> while the page is parsed. (Should wasm-bindgen
  // ever emit different wasm for its two targets, the page fetches paperbloom_page_bg.wasm and
  // this test says so.)
  const page = await newPage(browser);
  const requests = [];
  page.on('request', (r) => requests.push(r.url().replace(server.url, '')));
  await openWidget(page, server.url + '?q=federated%20learning');
  await page.waitForSelector('[role=listbox] [role=option]');
  await page.waitForTimeout(100);
  assert.deepEqual(requests, ['?q=federated%20learning', 'pkg/paperbloom_bg.wasm']);
  const entries = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => [e.name.split('/').pop(), e.initiatorType]));
  assert.deepEqual(entries, [['paperbloom_bg.wasm', 'link']], 'the wasm comes from the preload');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('with an empty box, the idle warm-up of the search code leaves the page as it was', async () => {
  // The first keystroke would otherwise wait for the browser to compile the search code; the
  // widget runs two throwaway searches when the page is idle instead. Nothing of them shows.
  const page = await newPage(browser);
  await openWidget(page, server.url);
  const entries = await page.evaluate(() => history.length);
  await page.evaluate(() => new Promise((done) => (window.requestIdleCallback || setTimeout)(() => setTimeout(done, 200))));
  assert.equal(await page.locator('[role=option]').count(), 0);
  assert.match(await page.getByRole('status').textContent(), /^Type to search 247 papers/);
  assert.equal(await page.getByRole('combobox', { name: 'Search papers' }).inputValue(), '');
  assert.deepEqual(await page.evaluate(() => [location.search, location.hash, history.length]), ['', '', entries]);
  assert.equal(await page.evaluate(() => performance.getEntriesByName('paperbloom:warm-up').length), 1, 'the warm-up ran once');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the tagline groups thousands and says "1 paper" (the page script, run for several counts)', async () => {
  // The page's own script as served (the inline script that fills the tagline), with `ready`
  // and the tagline element stubbed.
  const { readFile } = await import('node:fs/promises');
  const html = await readFile(path.join(site, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const source = scripts.find((s) => s.includes('pb-tagline'));
  assert.ok(source, 'index.html has an inline script that fills the tagline');
  const tagline = async (n) => {
    const el = { textContent: '' };
    const run = new Function('ready', 'document', source);
    run(Promise.resolve({ paperCount: () => n }), { getElementById: (id) => (id === 'pb-tagline' ? el : null) });
    await new Promise((r) => setTimeout(r, 0));
    return el.textContent.replace(/ — .*$/, '');
  };
  const seen = [];
  for (const n of [0, 1, 247, 999, 1000, 65536, 100000, 1234567]) seen.push(await tagline(n));
  assert.deepEqual(seen, ['Search 0 papers', 'Search 1 paper', 'Search 247 papers', 'Search 999 papers', 'Search 1,000 papers',
    'Search 65,536 papers', 'Search 100,000 papers', 'Search 1,234,567 papers']);
});

test('search as you type, and "did you mean" for a misspelled query', async () => {
  const page = await newPage(browser);
  await openWidget(page, server.url);
  const typed = await typeAndRead(page, 'LightHG');
  assert.match(typed[0].title, /^LightHGNN:/);
  const box = page.getByRole('combobox', { name: 'Search papers' });
  await box.fill('');
  await box.pressSequentially('hyperblic grpah', { delay: 10 });
  const suggestion = page.locator('.pb-suggestion');
  await suggestion.waitFor();
  assert.equal(await suggestion.textContent(), 'hyperbolic graph');
  await suggestion.click();
  assert.equal(await box.inputValue(), 'hyperbolic graph');
  await page.waitForSelector('[role=listbox] [role=option]');
  assert.equal(await page.locator('.pb-suggest').isHidden(), true);
  assert.deepEqual(page.problems, []);
});

test('highlights, "/" to focus, and the query kept in the URL', async () => {
  const page = await newPage(browser);
  await openWidget(page, server.url);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'combobox');
  await page.keyboard.type('federated distillation', { delay: 10 });
  await page.waitForSelector('[role=option] .pb-title mark');
  const marks = await page.$$eval('[role=option]:first-child mark', (els) => els.map((m) => m.textContent.toLowerCase()));
  assert.ok(marks.some((m) => m.startsWith('federat')), JSON.stringify(marks));
  assert.equal(new URL(page.url()).searchParams.get('q'), 'federated distillation');
  // A shared link opens with its results.
  const shared = await newPage(browser);
  await openWidget(shared, `${server.url}?q=LightHGNN`);
  await shared.waitForSelector('[role=option]');
  assert.equal(await shared.getByRole('combobox', { name: 'Search papers' }).inputValue(), 'LightHGNN');
  assert.match(await shared.locator('[role=option] .pb-title').first().textContent(), /^LightHGNN:/);
  assert.deepEqual(page.problems, []);
  assert.deepEqual(shared.problems, []);
});

test('keyboard: arrows move the active option, Escape leaves the results then clears', async () => {
  const page = await newPage(browser);
  await openWidget(page, server.url);
  await typeAndRead(page, 'federated learning');
  const box = page.getByRole('combobox', { name: 'Search papers' });
  await box.press('ArrowDown');
  await box.press('ArrowDown');
  const active = await box.getAttribute('aria-activedescendant');
  assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('[role=option][aria-selected=true]').count(), 1);
  await box.press('Escape'); // first: leave the results
  assert.equal(await box.inputValue(), 'federated learning');
  assert.equal(await page.locator('[role=option][aria-selected=true]').count(), 0);
  await box.press('Escape'); // then: clear
  assert.equal(await box.inputValue(), '');
  assert.equal(await page.locator('[role=option]').count(), 0);
  assert.match(await page.getByRole('status').textContent(), /^Type to search \d+ papers/);
});

test('the single file starts in a browser without Uint8Array.fromBase64 (atob fallback)', async () => {
  const page = await newPage(browser);
  await page.context().addInitScript(() => { delete Uint8Array.fromBase64; });
  await openWidget(page, pathToFileURL(path.join(site, 'paperbloom.html')).href);
  assert.equal(await page.evaluate(() => typeof Uint8Array.fromBase64), 'undefined');
  const results = await typeAndRead(page, 'FedRE');
  assert.match(results[0].title, /^FedRE: A Representation Entanglement Framework/);
  assert.deepEqual(page.problems, []);
});

test('the single file works offline from file://', async () => {
  const page = await newPage(browser);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.context().setOffline(true);
  await openWidget(page, pathToFileURL(path.join(site, 'paperbloom.html')).href);
  const results = await typeAndRead(page, 'FedRE');
  assert.match(results[0].title, /^FedRE: A Representation Entanglement Framework/);
  const api = await page.evaluate(() => window.paperbloom.search('hyperbolic anomaly', 3).map((r) => r.title));
  assert.ok(api.length > 0);
  // Every feature works from file://: facets and sort, the detail view and back, the URL state.
  await typeAndRead(page, 'learning');
  await page.selectOption('.pb-sort', 'newest');
  await page.locator('.pb-code-box').check();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('code') === '1');
  assert.equal(new URL(page.url()).searchParams.get('sort'), 'newest');
  const badges = await page.$$eval('[role=option]', (els) => els.map((li) => !!li.querySelector('.pb-code')));
  assert.ok(badges.length > 0 && badges.every(Boolean));
  await page.getByRole('combobox', { name: 'Search papers' }).press('Enter');
  await page.locator('.pb-detail h2').waitFor();
  assert.match(new URL(page.url()).hash, /^#paper=/);
  await page.goBack();
  await page.locator('[role=option]').first().waitFor();
  assert.equal(await page.locator('.pb-detail').isHidden(), true);
  assert.equal(new URL(page.url()).hash, '');
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), []);
  assert.deepEqual(page.problems, []);
});

test('on a 360 px phone: results, the detail view and no sideways scrolling', async () => {
  const page = await newPage(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  await openWidget(page, server.url);
  const results = await typeAndRead(page, 'federated learning');
  assert.ok(results.length > 3);
  const noSideways = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.equal(await noSideways(), true);
  await page.locator('[role=option]').first().tap();
  await page.locator('.pb-detail h2').waitFor();
  assert.equal(await page.locator('.pb-detail h2').textContent(), results[0].title);
  assert.equal(await noSideways(), true);
  await page.locator('.pb-back').tap();
  await page.locator('[role=option]').first().waitFor();
  assert.deepEqual(page.problems, []);
});
