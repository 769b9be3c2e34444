// End to end: embedding. The README's plain-HTML snippet works as written on a page of another
// site, with the three files `paperbloom build` writes; the TypeScript declarations describe the
// API (tests/types/consumer.ts passes `tsc --strict`), and wrong uses are rejected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { assertPolicyEnforced, launch, newPage, recordViolations, root, serve, site } from './browser.mjs';

let browser;
let server;
// The policy README.md gives a site that embeds the widget: nothing inline, nothing from elsewhere.
const EMBED_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'";
const host = path.join(root, 'target/e2e-embed');

before(async () => {
  // A site with the README snippet on a page, and the built files under /search/.
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const snippet = readme.split('<!-- embed:plain-html -->')[1].match(/```html\n([\s\S]*?)```/)[1];
  fs.rmSync(host, { recursive: true, force: true });
  fs.mkdirSync(path.join(host, 'search'), { recursive: true });
  for (const name of ['paperbloom-element.js', 'paperbloom.css', 'pkg']) {
    fs.cpSync(path.join(site, name), path.join(host, 'search', name), { recursive: true });
  }
  fs.writeFileSync(path.join(host, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A blog</title><link rel="icon" href="data:,"></head>\n<body style="margin:40px">\n<h1>My notes</h1>\n${snippet}\n</body></html>\n`);
  // The same snippet on a page under the strict policy the README gives embedders.
  fs.writeFileSync(path.join(host, 'strict.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${EMBED_CSP}"><title>A strict blog</title><link rel="icon" href="data:,"></head>\n<body>\n<h1>My notes</h1>\n${snippet}\n</body></html>\n`);
  browser = await launch();
  server = await serve(host);
});
after(async () => { await browser?.close(); server?.stop(); });

test('the README snippet embeds a working widget in another page', async () => {
  const page = await newPage(browser);
  await page.goto(server.url);
  const box = page.getByRole('combobox', { name: 'Search papers' });
  await box.waitFor();
  assert.equal(await box.getAttribute('placeholder'), 'Search the papers…');
  await box.pressSequentially('federated', { delay: 10 });
  await page.locator('[role=option]').first().waitFor();
  assert.equal(await page.locator('[role=option]').count(), 10, 'limit="10"');
  // The widget's style stays inside it: the host page keeps its margin and font.
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).margin), '40px');
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme), 'normal');
  await box.press('Enter');
  await page.locator('.pb-detail h2').waitFor();
  assert.match(new URL(page.url()).hash, /^#paper=/);
  assert.deepEqual(page.problems, []);
});

test('the embedded widget runs under the README\'s strict policy (no inline script or style)', async () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8').replace(/\s+/g, ' ');
  assert.ok(readme.includes(`\`${EMBED_CSP}\``), 'README.md gives this policy');
  const page = await newPage(browser);
  await recordViolations(page);
  await page.goto(server.url + 'strict.html');
  const box = page.getByRole('combobox', { name: 'Search papers' });
  await box.pressSequentially('federated', { delay: 10 });
  await page.locator('[role=option]').first().waitFor();
  await page.locator('[role=option]').first().click();
  await page.locator('.pb-detail h2').waitFor();
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  await assertPolicyEnforced(page);
  await page.context().close();
});

test('TypeScript declarations describe the API (tsc --strict), and reject wrong uses', () => {
  const tsc = path.join(root, 'node_modules/.bin/tsc');
  const project = path.join(root, 'tests/types/tsconfig.json');
  execFileSync(tsc, ['-p', project], { stdio: 'pipe' });
  // A wrong use fails: an unknown sort order and a misspelt option.
  const bad = path.join(root, 'target/e2e-embed/bad.ts');
  fs.writeFileSync(bad, "import { query, mount } from 'paperbloom';\nquery('x', { sort: 'best' });\nmount('#s', { urlstate: false });\n");
  const config = path.join(root, 'target/e2e-embed/tsconfig.json');
  fs.writeFileSync(config, JSON.stringify({
    extends: project, files: [bad],
    compilerOptions: { paths: { paperbloom: [path.join(site, 'pkg/paperbloom.d.ts')] } },
  }));
  let output = '';
  try {
    execFileSync(tsc, ['-p', config], { stdio: 'pipe' });
  } catch (e) {
    output = String(e.stdout);
  }
  assert.match(output, /"best"/);
  assert.match(output, /urlstate/);
});
