// Starts the page once the wasm module is ready: exposes it as window.paperbloom, mounts the
// widget (with ?q= as the initial query) and fires `paperbloom:ready`. `start` resolves to the
// module's exports; a failure is shown in the page, not only in the console.
async function paperbloomBoot(start) {
  try {
    const paperbloom = await start();
    window.paperbloom = paperbloom;
    const s = paperbloom.stats();
    document.getElementById('pb-tagline').textContent =
      'Search ' + s.papers + ' papers — instantly, in your browser, offline.';
    paperbloom.mount('#search', { autofocus: true, query: new URLSearchParams(location.search).get('q') || '' });
    window.dispatchEvent(new Event('paperbloom:ready'));
  } catch (e) {
    document.getElementById('search').textContent = 'Search could not start: ' + (e && e.message ? e.message : e);
    throw e;
  }
}
