// Browser benchmark: page load → first result in headless Chromium, and per-query latency of
// the wasm `search()` API (results crossing into JS included), on the served site.
// Usage: node scripts/bench-browser.mjs [SITE_DIR]   (default target/e2e-site; build it first)
// Prints a markdown table. Not a test.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import path from 'node:path';

const site = path.resolve(process.argv[2] || 'target/e2e-site');
const bin = path.resolve('target/debug/paperbloom');
const port = 21000 + Math.floor(Math.random() * 20000);
const server = spawn(bin, ['serve', '--no-build', '--out', site, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => server.stdout.on('data', (d) => { if (String(d).includes('serving')) resolve(); }));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update'],
});
try {
  // Cold page load to first result, 5 times (new context each: nothing cached).
  const firsts = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/?q=learning`);
    await page.waitForFunction(() => document.querySelector('[role=status]')?.textContent);
    firsts.push(await page.evaluate(() => performance.now()));
    await context.close();
  }
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => window.paperbloom);
  const r = await page.evaluate(() => {
    const qs = ['FedRE', 'HypAD', 'LightHGNN', 'TransHP', 'federated learning', 'contrastive learning', 'diffusion model',
      'large language models', 'knowledge distillation', 'image retrieval', 'hyperbolic', 'sparse',
      'anomaly detection time series', 'graph neural networks', 'quantization', 'noisy labels', 'xylophone'];
    const reps = 300;
    const times = qs.map((q) => {
      window.paperbloom.search(q, 10);
      const t = performance.now();
      for (let i = 0; i < reps; i++) window.paperbloom.search(q, 10);
      return (performance.now() - t) * 1000 / reps;
    }).sort((a, b) => a - b);
    const pick = (p) => times[Math.round((times.length - 1) * p)];
    return { p50: pick(0.5), p99: pick(0.99), n: qs.length, reps };
  });
  firsts.sort((a, b) => a - b);
  console.log(`| Chromium | value |\n|---|---|`);
  console.log(`| page load → first result (served, cold, median of 5) | ${firsts[2].toFixed(0)} ms |`);
  console.log(`| search() p50 / p99 over ${r.n} queries (${r.reps} runs each, JS objects included) | ${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} µs |`);
} finally {
  await browser.close();
  server.kill();
}
