import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
const site = process.argv[2];
const port = 23457;
const server = spawn('/work/main/target/release/paperbloom', ['serve', '--no-build', '--out', site, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((r) => server.stdout.on('data', (d) => { if (String(d).includes('serving')) r(); }));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const context = await browser.newContext();
await context.addInitScript(() => {
  new MutationObserver((_, obs) => {
    if (document.querySelector('[role=option]')) { window.__firstResult = performance.now(); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
});
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
await page.goto(`http://127.0.0.1:${port}/?q=bloom`);
await page.waitForFunction(() => window.__firstResult);
const { profile } = await cdp.send('Profiler.stop');
console.log('first', await page.evaluate(() => window.__firstResult));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
profile.samples.forEach((id, i) => { const n = nodes.get(id); const k = (n.callFrame.functionName || '(anon)') + ' ' + n.callFrame.url.split('/').pop(); self.set(k, (self.get(k) || 0) + (dt[i] || 0)); });
[...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).forEach(([k, v]) => console.log((v / 1000).toFixed(1).padStart(7), 'ms', k.slice(0, 110)));
await browser.close(); server.kill();
