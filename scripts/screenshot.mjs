// Screenshots of the built site, to look at it as a reader would.
// Usage: node scripts/screenshot.mjs [SITE_DIR] [OUT_DIR]   (defaults: target/e2e-site, target/screenshots)
// Writes <out>/{desktop,phone}-{light,dark}-{query}.png for a few queries, from paperbloom.html.
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
const shots = [];
for (const [device, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]]) {
  for (const scheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport, colorScheme: scheme });
    await page.goto(pathToFileURL(path.join(site, 'paperbloom.html')).href);
    await page.waitForFunction(() => window.paperbloom);
    for (const query of ['federated learning', 'FedLGD', 'qqqxyz', 'hyperblic grpah', 'LightHG', '"graph neural" -hypergraph year:>=2023']) {
      await page.getByRole('combobox').fill(query);
      const file = path.join(out, `${device}-${scheme}-${query.replace(/\W+/g, '_')}.png`);
      await page.screenshot({ path: file });
      shots.push(file);
    }
    await page.close();
  }
}
await browser.close();
console.log(shots.join('\n'));
