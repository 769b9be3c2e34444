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

// PAPERBLOOM_SOAK=N runs N searches instead (for a quick try).
const total = Number(process.env.PAPERBLOOM_SOAK ?? 1_000_000);

test(`wasm memory is flat across ${total.toLocaleString('en')} searches`, { timeout: 1_200_000 }, async () => {
  const page = await newPage(browser);
  await openWidget(page, server.url);
  const r = await page.evaluate(async (total) => {
    const pb = window.paperbloom;
    // Mostly search(q, 10) as a search box makes them, on queries of 1–800 µs; every 100th call a
    // query() with sort, filters and facets, every 1000th a slow shape (a phrase with an
    // exclusion, two unknown words, typos: 1–10 ms each; a million of those would not fit CI).
    const quick = ['hyperbolic', 'FedRE', 'graph neural', 'title:bloom OR gan', 'LLM', '🌸 \u0000 \u202e', 'x', 'Poincaré'];
    const slow = ['"large language" -model', 'zzzz nothing', 'difusion', 'federated learning', 'diffusion imag'];
    const run = (n, offset) => {
      for (let i = 0; i < n; i++) {
        const k = i + offset;
        if (i % 1000 === 0) pb.search(slow[k % slow.length], 10);
        else if (i % 100 === 0) pb.query(quick[k % quick.length], { limit: 20, sort: 'newest', year: 2024 });
        else pb.search(quick[k % quick.length], 10);
      }
    };
    run(5000, 0); // warm-up: the allocator reaches its working size
    const before = pb.memoryBytes();
    const t = performance.now();
    for (let batch = 0; batch < total / 10_000; batch++) {
      run(10_000, batch);
      await new Promise((ok) => setTimeout(ok, 0));
    }
    // An error thrown from wasm (bad options) must not leak either, and the API keeps working.
    for (let i = 0; i < 10_000; i++) { try { pb.query('x', { nope: 1 }); } catch { /* expected */ } }
    return { before, after: pb.memoryBytes(), seconds: (performance.now() - t) / 1000, works: pb.search('federated', 5).length };
  }, total);
  console.log(`${total} searches in ${r.seconds.toFixed(0)} s; wasm memory ${r.before} -> ${r.after} bytes`);
  assert.equal(r.after, r.before, 'wasm memory grew');
  assert.ok(r.works > 0);
  assert.deepEqual(page.problems, []);
});
