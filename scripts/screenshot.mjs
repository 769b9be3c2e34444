// Screenshots of the built site, to look at it as a reader would.
// Usage: node scripts/screenshot.mjs [SITE_DIR] [OUT_DIR]   (defaults: target/e2e-site, target/screenshots)
// Writes <out>/{desktop,phone}-{light,dark}-<state>.png from paperbloom.html (file://): the empty
// box, results, a typo with "did you mean", a prefix, a word being typed that is not required yet,
// facets and sort in use, the detail view, no results.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const site = path.resolve(process.argv[2] || 'target/e2e-site');
const out = path.resolve(process.argv[3] || 'target/screenshots');
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update'],
});
const states = {
  empty: async () => {},
  results: async (page) => page.getByRole('combobox', { name: 'Search papers' }).fill('federated learning'),
  typo: async (page) => page.getByRole('combobox', { name: 'Search papers' }).fill('hyperblic grpah'),
  prefix: async (page) => page.getByRole('combobox', { name: 'Search papers' }).fill('LightHG'),
  // A last word no paper with the others has a common completion of: not required yet.
  unfinished: async (page) => page.getByRole('combobox', { name: 'Search papers' }).fill('federated learning qz'),
  facets: async (page) => {
    await page.getByRole('combobox', { name: 'Search papers' }).fill('graph');
    await page.selectOption('.pb-year', { index: 1 }, { timeout: 3000 });
    await page.selectOption('.pb-sort', 'newest');
  },
  detail: async (page) => {
    await page.getByRole('combobox', { name: 'Search papers' }).fill('hyperbolic residual');
    await page.keyboard.press('Enter');
  },
  noresults: async (page) => page.getByRole('combobox', { name: 'Search papers' }).fill('hypergraph year:2019'),
};
const shots = [];
for (const [device, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  for (const scheme of ['light', 'dark']) {
    for (const [name, act] of Object.entries(states)) {
      const page = await browser.newPage({ viewport, colorScheme: scheme });
      await page.goto(pathToFileURL(path.join(site, 'paperbloom.html')).href);
      await page.waitForFunction(() => window.paperbloom);
      await page.waitForSelector('.pb-input');
      try {
        await act(page);
      } catch (e) {
        // A digest without dates has no year facet to pick, for instance: say so, go on.
        console.error(`skipped ${device}-${scheme}-${name}: ${String(e.message).split('\n')[0]}`);
        await page.close();
        continue;
      }
      const file = path.join(out, `${device}-${scheme}-${name}.png`);
      await page.screenshot({ path: file });
      shots.push(file);
      await page.close();
    }
  }
}
await browser.close();
console.log(shots.join('\n'));
