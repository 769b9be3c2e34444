// paperbloom's element: embedders get it in paperbloom-element.js; both pages inline it.
//
// paperbloomDefine(start) — `start` resolves to the wasm module's exports once it is ready —
// exposes the module as window.paperbloom and defines <paper-bloom>, which mounts the widget
// into itself. Attributes: placeholder, limit (results per page), query, autofocus,
// url-state="off" (keep the URL alone), shortcuts="off" (no / and Ctrl+K), open="link" (go to a
// result's url instead of the detail view), theme="light"|"dark" (default: auto). After
// mounting it fires `paperbloom:ready` on window (detail: the element). If the module cannot
// start, the element says so.
function paperbloomDefine(start) {
  const ready = start().then((pb) => { window.paperbloom = pb; return pb; });
  const off = (el, name) => ['off', 'false', 'no'].includes((el.getAttribute(name) || '').toLowerCase());
  class PaperBloomElement extends HTMLElement {
    connectedCallback() {
      if (this.paperbloomMounted) return;
      this.paperbloomMounted = true;
      const options = {
        urlState: !off(this, 'url-state'),
        shortcuts: !off(this, 'shortcuts'),
        detail: (this.getAttribute('open') || '').toLowerCase() !== 'link',
        autofocus: this.hasAttribute('autofocus'),
      };
      if (this.hasAttribute('placeholder')) options.placeholder = this.getAttribute('placeholder');
      if (this.hasAttribute('query')) options.query = this.getAttribute('query');
      if (this.hasAttribute('theme')) options.theme = this.getAttribute('theme');
      const limit = parseInt(this.getAttribute('limit') || '', 10);
      if (limit > 0) options.limit = limit;
      ready.then((pb) => {
        pb.mount(this, options);
        window.dispatchEvent(new CustomEvent('paperbloom:ready', { detail: this }));
      }).catch((e) => {
        this.textContent = 'Search could not start: ' + (e && e.message ? e.message : e);
        console.error(e);
      });
    }
  }
  if (!customElements.get('paper-bloom')) customElements.define('paper-bloom', PaperBloomElement);
  return ready;
}
