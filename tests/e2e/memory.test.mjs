// End to end: wasm memory stays flat across 1,000,000 searches made from JavaScript through the
// public API, as a page makes them (the glue, the JS objects returned, the thrown errors), read
// as memory.buffer.byteLength (`memoryBytes()`). tinysearch's loader grows 64 KiB per query.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newPage, openWidget, serve } from './browser.mjs';

let browser;
let server;
before(async () => { browser = await launch(); server = await serve(); });
after(async () => { await browser?.close(); server?.stop(); });

test('wasm memory is flat across 1,000,000 searches', { timeout: 900_000 }, async () => {
  const page = await newPage(browser);
  await openWidget(page, server.url);
  const r = await page.evaluate(async () => {
    const pb = window.paperbloom;
    const queries = ['federated learning', 'hyperbolic', 'FedRE', 'zzzz nothing', 'diffusion imag', 'LLM',
      'difusion', '"large language" -model', 'year:2024 graph', 'title:bloom OR gan', '', '🌸 \u0000 \u202e'];
    const run = (n, offset) => {
      for (let i = 0; i < n; i++) {
        const q = queries[(i + offset) % queries.length];
        if (i % 3 === 0) pb.query(q, { limit: 20, sort: 'newest' }); else pb.search(q, 10);
      }
    };
    run(5000, 0); // warm-up: the allocator reaches its working size
    const before = pb.memoryBytes();
    const t = performance.now();
    for (let batch = 0; batch < 100; batch++) {
      run(10_000, batch);
      await new Promise((ok) => setTimeout(ok, 0));
    }
    // An error thrown from wasm (bad options) must not leak either, and the API keeps working.
    for (let i = 0; i < 10_000; i++) { try { pb.query('x', { nope: 1 }); } catch { /* expected */ } }
    return { before, after: pb.memoryBytes(), seconds: (performance.now() - t) / 1000, works: pb.search('federated', 5).length };
  });
  console.log(`1,000,000 searches in ${r.seconds.toFixed(0)} s; wasm memory ${r.before} -> ${r.after} bytes`);
  assert.equal(r.after, r.before, 'wasm memory grew');
  assert.ok(r.works > 0);
  assert.deepEqual(page.problems, []);
});
