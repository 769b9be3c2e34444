// End to end: the detail view and its URL, back/forward, facets and sort, paging, no results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, openWidget, serve, typeAndRead } from './browser.mjs';

let browser;
let server;
before(async () => { browser = await launch(); server = await serve(); });
after(async () => { await browser?.close(); server?.stop(); });

const url = (page) => new URL(page.url());
const optionCount = (page) => page.locator('[role=listbox] [role=option]').count();

test('a result opens in a detail view with its own URL; back and forward move between list and paper', async () => {
  const page = await newPage(browser);
  await openWidget(page, server.url);
  const [first] = await typeAndRead(page, 'FedLGD');
  const box = page.getByRole('combobox', { name: 'Search papers' });
  await box.press('ArrowDown');
  await box.press('Enter');
  const detail = page.locator('.pb-detail');
  await detail.locator('h2').waitFor();
  assert.equal(await detail.locator('h2').textContent(), first.title);
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'H2', 'focus moves to the paper');
  const id = decodeURIComponent(url(page).hash.replace('#paper=', ''));
  const paper = await page.evaluate((i) => window.paperbloom.paper(i), id);
  assert.equal(paper.title, first.title);
  assert.equal(await detail.locator('.pb-abstract').textContent(), paper.abstract);
  assert.ok((await detail.locator('.pb-abstract mark').count()) > 0, 'query words marked in the abstract');
  assert.match(await detail.locator('.pb-meta').textContent(), /5 authors/);
  assert.equal(url(page).searchParams.get('q'), 'FedLGD');
  assert.equal(await page.locator('[role=listbox]').isHidden(), true);

  await page.goBack();
  await page.locator('[role=option]').first().waitFor();
  assert.equal(await detail.isHidden(), true);
  assert.equal(url(page).hash, '');
  assert.equal(await box.inputValue(), 'FedLGD');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('role')), 'combobox');
  const active = await box.getAttribute('aria-activedescendant');
  assert.equal(await page.locator(`#${active}`).getAttribute('data-id'), id, 'the opened result is active again');

  await page.goForward();
  await detail.locator('h2').waitFor();
  assert.equal(await detail.locator('h2').textContent(), first.title);
  // Esc closes it: the same as back.
  await page.keyboard.press('Escape');
  await page.locator('[role=option]').first().waitFor();
  assert.equal(url(page).hash, '');

  // A click opens; the back button in the view returns.
  await page.locator('[role=option]').first().click();
  await detail.locator('h2').waitFor();
  await page.locator('.pb-back').click();
  await page.locator('[role=option]').first().waitFor();
  assert.equal(await detail.isHidden(), true);
  assert.deepEqual(page.problems, []);
});

test('a shared link to a paper opens it; going back to the list stays on the page', async () => {
  const page = await newPage(browser);
  const id = await (async () => {
    await openWidget(page, server.url);
    return page.evaluate(() => window.paperbloom.search('LightHGNN', 1)[0].id);
  })();
  await openWidget(page, `${server.url}?q=LightHGNN#paper=${encodeURIComponent(id)}`);
  await page.locator('.pb-detail h2').waitFor();
  assert.match(await page.locator('.pb-detail h2').textContent(), /^LightHGNN:/);
  await page.locator('.pb-back').click();
  await page.locator('[role=option]').first().waitFor();
  assert.equal(url(page).hash, '');
  assert.equal(url(page).searchParams.get('q'), 'LightHGNN');
  // An unknown paper id: the list, and a message.
  await openWidget(page, `${server.url}?q=LightHGNN#paper=no-such-paper`);
  await page.locator('[role=option]').first().waitFor();
  assert.match(await page.getByRole('status').textContent(), /not in this index/);
  assert.deepEqual(page.problems, []);
});

test('facets count years and code links; filters and sort apply, live in the URL, and survive a reload', async () => {
  const page = await newPage(browser);
  await openWidget(page, server.url);
  await typeAndRead(page, 'learning');
  const total = Number((await page.getByRole('status').textContent()).match(/^(\d+) papers/)[1]);
  const years = await page.$$eval('.pb-year option', (os) => os.slice(1).map((o) => ({ value: o.value, text: o.textContent })));
  assert.ok(years.length >= 2, JSON.stringify(years));
  const counted = years.map((y) => Number(y.text.match(/\((\d+)\)$/)[1]));
  assert.ok(counted.reduce((a, b) => a + b, 0) <= total);
  // Pick the second year: exactly its count, all of that year.
  await page.selectOption('.pb-year', years[1].value);
  await page.waitForFunction((v) => new URL(location.href).searchParams.get('year') === v, years[1].value);
  assert.match(await page.getByRole('status').textContent(), new RegExp(`^${counted[1]} papers? ·`));
  const dates = await page.$$eval('[role=option] .pb-date', (els) => els.map((e) => e.textContent));
  assert.equal(dates.length, Math.min(counted[1], 20));
  assert.ok(dates.every((d) => d.endsWith(years[1].value)), JSON.stringify(dates));
  // The other years stay offered, with their counts.
  assert.equal(await page.locator('.pb-year option').count(), years.length + 1);
  // With code, newest first.
  await page.locator('.pb-code-box').check();
  await page.selectOption('.pb-sort', 'newest');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'newest');
  assert.equal(url(page).searchParams.get('code'), '1');
  const rows = await page.$$eval('[role=option]', (els) => els.map((li) => ({
    code: !!li.querySelector('.pb-code'), date: li.querySelector('.pb-date')?.textContent ?? '',
  })));
  assert.ok(rows.length > 0 && rows.every((r) => r.code), JSON.stringify(rows));
  const times = rows.map((r) => Date.parse(r.date));
  assert.ok(times.every((t, i) => i === 0 || times[i - 1] >= t), JSON.stringify(rows));
  // Reload: the same state.
  await openWidget(page, page.url());
  await page.locator('[role=option]').first().waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Search papers' }).inputValue(), 'learning');
  assert.equal(await page.locator('.pb-year').inputValue(), years[1].value);
  assert.equal(await page.locator('.pb-code-box').isChecked(), true);
  assert.equal(await page.locator('.pb-sort').inputValue(), 'newest');
  // Most upvoted: upvotes never increase down the list.
  await page.locator('.pb-code-box').uncheck();
  await page.selectOption('.pb-year', '');
  await page.selectOption('.pb-sort', 'upvotes');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'upvotes');
  const votes = await page.$$eval('[role=option]', (els) => els.map((li) => Number(li.querySelector('.pb-upvotes')?.textContent.replace('▲', '') ?? -1)));
  assert.ok(votes.every((v, i) => i === 0 || votes[i - 1] >= v), JSON.stringify(votes));
  assert.deepEqual(page.problems, []);
});

test('long result lists come in pages: "Show more", and ArrowDown past the last result', async () => {
  const page = await newPage(browser);
  await openWidget(page, server.url);
  await typeAndRead(page, 'learning');
  assert.equal(await optionCount(page), 20);
  const more = page.locator('.pb-more');
  assert.match(await more.textContent(), /^Show 20 more · \d+ not shown$/);
  await more.click();
  assert.equal(await optionCount(page), 40);
  const ids = await page.$$eval('[role=option]', (els) => els.map((li) => li.dataset.id));
  assert.equal(new Set(ids).size, 40, 'no repeats across pages');
  const box = page.getByRole('combobox', { name: 'Search papers' });
  await box.focus();
  await box.press('Escape'); // "Show more" made the first new result active; start from the box
  assert.equal(await box.getAttribute('aria-activedescendant'), '');
  assert.equal(await box.inputValue(), 'learning', 'Escape with an active result only deactivates it');
  for (let i = 0; i < 41; i++) await box.press('ArrowDown');
  assert.equal(await optionCount(page), 60);
  const active = await box.getAttribute('aria-activedescendant');
  assert.equal(active.endsWith('-opt-40'), true, active);
  assert.deepEqual(page.problems, []);
});

test('no results: a way out through "did you mean" and "search without filters"', async () => {
  const page = await newPage(browser);
  await openWidget(page, server.url);
  const box = page.getByRole('combobox', { name: 'Search papers' });
  await box.fill('hypergraph year:2019');
  await page.locator('.pb-empty').waitFor();
  assert.match(await page.getByRole('status').textContent(), /^No papers match/);
  const relax = page.locator('.pb-relax');
  assert.match(await relax.textContent(), /^Search without filters \(\d+ papers?\)$/);
  await relax.click();
  assert.equal(await box.inputValue(), 'hypergraph');
  await page.locator('[role=option]').first().waitFor();
  assert.equal(await page.locator('.pb-empty').isHidden(), true);
  // A facet selection is a filter too.
  await typeAndRead(page, 'learning');
  const lastYear = await page.$eval('.pb-year option:last-child', (o) => o.value);
  await page.selectOption('.pb-year', lastYear);
  await box.fill('hypergraph');
  await page.locator('.pb-empty').waitFor();
  await page.locator('.pb-relax').click();
  await page.locator('[role=option]').first().waitFor();
  assert.equal(await page.locator('.pb-year').inputValue(), '');
  assert.equal(url(page).searchParams.get('year'), null);
  // A misspelling: the suggestion is offered with the empty state.
  await box.fill('qzxwv hyperbolc');
  await page.locator('.pb-suggestion').waitFor();
  assert.equal(await page.locator('.pb-suggestion').textContent(), 'qzxwv hyperbolic');
  assert.deepEqual(page.problems, []);
});
