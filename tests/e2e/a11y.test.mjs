// End to end: accessibility. axe-core (npm) finds no serious or critical violation in any state
// of the widget, in light and dark; focus is visible; the result count is announced.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { launch, newPage, openWidget, serve } from './browser.mjs';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser;
let server;
before(async () => { browser = await launch(); server = await serve(); });
after(async () => { await browser?.close(); server?.stop(); });

/** Serious and critical violations on the page, as "rule: target" strings. axe-core is injected
 * as an inline script, which the page's CSP refuses: these pages are opened with bypassCSP
 * (csp.test.mjs checks the policy itself). */
async function violations(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')} — ${v.help}`));
}

const states = {
  'empty box': async () => {},
  'results, one active': async (page, box) => {
    await box.fill('federated learning');
    await page.locator('[role=option]').first().waitFor();
    await box.press('ArrowDown');
  },
  'filters and sort in use': async (page, box) => {
    await box.fill('graph');
    await page.locator('[role=option]').first().waitFor();
    await page.selectOption('.pb-year', { index: 1 });
    await page.selectOption('.pb-sort', 'newest');
  },
  'did you mean': async (page, box) => {
    await box.fill('hyperblic grpah');
    await page.locator('.pb-suggestion').waitFor();
  },
  'no results': async (page, box) => {
    await box.fill('hypergraph year:2019');
    await page.locator('.pb-relax').waitFor();
  },
  'detail view': async (page, box) => {
    await box.fill('FedLGD');
    await page.locator('[role=option]').first().waitFor();
    await box.press('Enter');
    await page.locator('.pb-detail h2').waitFor();
  },
};

for (const scheme of ['light', 'dark']) {
  for (const [name, act] of Object.entries(states)) {
    test(`axe: no serious or critical violations — ${name}, ${scheme}`, async () => {
      const page = await newPage(browser, { colorScheme: scheme, bypassCSP: true });
      await openWidget(page, server.url);
      await act(page, page.getByRole('combobox', { name: 'Search papers' }));
      assert.deepEqual(await violations(page), []);
      assert.deepEqual(page.problems, []);
    });
  }
}

test('keyboard focus is visible on every control, and the count is announced politely', async () => {
  const page = await newPage(browser, { bypassCSP: true });
  await openWidget(page, server.url);
  const box = page.getByRole('combobox', { name: 'Search papers' });
  await box.fill('learning');
  await page.locator('[role=option]').first().waitFor();
  const status = page.getByRole('status');
  assert.equal(await status.getAttribute('aria-live'), 'polite');
  assert.match(await status.textContent(), /^\d+ papers · /);
  assert.equal(await box.getAttribute('aria-controls'), await page.locator('[role=listbox]').getAttribute('id'));
  // Tab through the controls: each focused element shows an outline.
  const seen = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    seen.push(await page.evaluate(() => {
      const e = document.activeElement;
      const s = getComputedStyle(e);
      return { tag: e.tagName, cls: e.className, outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1 };
    }));
  }
  assert.ok(seen.every((s) => s.outline), JSON.stringify(seen));
  assert.deepEqual(seen.map((s) => s.cls), ['pb-year', 'pb-code-box', 'pb-sort', 'pb-more']);
  // The active result is visibly marked.
  await box.focus();
  await box.press('ArrowDown');
  const border = await page.locator('[role=option][aria-selected=true]').evaluate((e) => getComputedStyle(e).borderColor);
  const plain = await page.locator('[role=option][aria-selected=false]').first().evaluate((e) => getComputedStyle(e).borderColor);
  assert.notEqual(border, plain);
  assert.deepEqual(page.problems, []);
});

test('control: the axe check does catch a violation', async () => {
  const page = await newPage(browser, { bypassCSP: true });
  await openWidget(page, server.url);
  await page.evaluate(() => document.querySelector('.paperbloom').append(Object.assign(document.createElement('input'), { type: 'text' })));
  const found = await violations(page);
  assert.ok(found.some((v) => v.startsWith('label ')), JSON.stringify(found));
});
