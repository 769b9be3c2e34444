// End to end: the served page and the single-file bundle, in Chromium, as a reader uses them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, newPage, serve, site, typeAndRead } from './browser.mjs';

let browser;
let server;
before(async () => { browser = await launch(); server = await serve(); });
after(async () => { await browser?.close(); server?.stop(); });

test('typing FedLGD in the served page shows the paper with its authors and date', async () => {
  const page = await newPage(browser);
  await page.goto(server.url);
  await page.waitForFunction(() => window.paperbloom && typeof window.paperbloom.search === 'function');
  const results = await typeAndRead(page, 'FedLGD');
  assert.equal(results[0].title, 'Federated Learning on Virtual Heterogeneous Data with Local-global Distillation');
  assert.match(results[0].meta, /5 authors/);
  assert.match(results[0].meta, /Mar 3, 2023/);
  assert.match(await page.getByRole('status').textContent(), /\d+ papers? · [\d.]+ ms/);
  assert.deepEqual(page.problems, []);
});

test('search as you type, and "did you mean" for a misspelled query', async () => {
  const page = await newPage(browser);
  await page.goto(server.url);
  await page.waitForFunction(() => window.paperbloom);
  const typed = await typeAndRead(page, 'LightHG');
  assert.match(typed[0].title, /^LightHGNN:/);
  const box = page.getByRole('combobox');
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
  await page.goto(server.url);
  await page.waitForFunction(() => window.paperbloom);
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
  await shared.goto(`${server.url}?q=LightHGNN`);
  await shared.waitForSelector('[role=option]');
  assert.equal(await shared.getByRole('combobox').inputValue(), 'LightHGNN');
  assert.match(await shared.locator('[role=option] .pb-title').first().textContent(), /^LightHGNN:/);
  assert.deepEqual(page.problems, []);
  assert.deepEqual(shared.problems, []);
});

test('keyboard: arrows move the active option, Escape clears', async () => {
  const page = await newPage(browser);
  await page.goto(server.url);
  await page.waitForFunction(() => window.paperbloom);
  await typeAndRead(page, 'federated learning');
  const box = page.getByRole('combobox');
  await box.press('ArrowDown');
  await box.press('ArrowDown');
  const active = await box.getAttribute('aria-activedescendant');
  assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('[role=option][aria-selected=true]').count(), 1);
  await box.press('Escape');
  assert.equal(await box.inputValue(), '');
  assert.equal(await page.locator('[role=option]').count(), 0);
  assert.match(await page.getByRole('status').textContent(), /^Type to search \d+ papers/);
});

test('opening a result shows its whole abstract (Enter or click), and again hides it', async () => {
  const page = await newPage(browser);
  await page.goto(server.url);
  await page.waitForFunction(() => window.paperbloom);
  const [first] = await typeAndRead(page, 'FedLGD');
  const box = page.getByRole('combobox');
  await box.press('ArrowDown');
  await box.press('Enter');
  const option = page.locator('[role=option]').first();
  assert.equal(await option.getAttribute('aria-expanded'), 'true');
  const full = await option.locator('.pb-excerpt').textContent();
  const id = await option.getAttribute('data-id');
  assert.equal(full, await page.evaluate((i) => window.paperbloom.paper(i).abstract, id));
  assert.ok(full.length > first.excerpt.length);
  await option.locator('.pb-excerpt').click();
  assert.equal(await option.getAttribute('aria-expanded'), 'false');
  assert.equal(await option.locator('.pb-excerpt').textContent(), first.excerpt);
  assert.deepEqual(page.problems, []);
});

test('the single file works offline from file://', async () => {
  const page = await newPage(browser);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.context().setOffline(true);
  await page.goto(pathToFileURL(path.join(site, 'paperbloom.html')).href);
  await page.waitForFunction(() => window.paperbloom && typeof window.paperbloom.search === 'function');
  const results = await typeAndRead(page, 'FedRE');
  assert.match(results[0].title, /^FedRE: A Representation Entanglement Framework/);
  const api = await page.evaluate(() => window.paperbloom.search('hyperbolic anomaly', 3).map((r) => r.title));
  assert.ok(api.length > 0);
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), []);
  assert.deepEqual(page.problems, []);
});
