// web/js/leadflow.js — the page's glue around the WebAssembly editor:
//   window.leadflow      the automation API for tests and integrations
//   window.leadflowGlue  hooks the C++ side calls (ready, file picker)
// plus the browser's clipboard events (copy/cut/paste of nodes as JSON text).
'use strict';

(function () {
  const call = (name, ret, types, args) => Module.ccall(name, ret, types, args);
  // Passes `text` on the heap: ccall's 'string' arguments go on the 1 MiB stack, too small for
  // big graphs.
  const callWithText = (name, ret, text) => {
    const n = Module.lengthBytesUTF8(text) + 1;
    const p = Module._malloc(n);
    try {
      Module.stringToUTF8(text, p, n);
      return call(name, ret, ['number'], [p]);
    } finally {
      Module._free(p);
    }
  };
  const parse = (text) => (text ? JSON.parse(text) : null);

  const api = {
    ready: false,
    // Replaces the graph. `json` is graph JSON text or an object. Returns {ok, error}.
    loadGraph(json) {
      const text = typeof json === 'string' ? json : JSON.stringify(json);
      return parse(callWithText('leadflow_load_graph', 'string', text));
    },
    // The current graph ({workflow, nodes, edges}) as an object.
    getGraph() {
      return parse(call('leadflow_get_graph', 'string', [], []));
    },
    // The core's validation report {valid, errors, warnings}.
    validate() {
      return parse(call('leadflow_validate', 'string', [], []));
    },
    // Frame build time (NewFrame → Render) and what the last frame drew.
    frameStats() {
      return parse(call('leadflow_frame_stats', 'string', [], []));
    },
    fitView() {
      call('leadflow_fit_view', null, [], []);
    },
    setZoom(zoom) {
      call('leadflow_set_zoom', null, ['number'], [zoom]);
    },
    // Screen positions (CSS pixels) of widgets and visible nodes, for tests driving the mouse.
    probe() {
      return parse(call('leadflow_ui_probe', 'string', [], []));
    },
    // Resolves after `n` more animation frames.
    frames(n = 1) {
      return new Promise((resolve) => {
        const step = () => (n-- <= 0 ? resolve() : requestAnimationFrame(step));
        requestAnimationFrame(step);
      });
    },
  };
  window.leadflow = api;

  window.leadflowGlue = {
    markReady() {
      api.ready = true;
      api.readyAt = performance.now();
      window.dispatchEvent(new Event('leadflow-ready'));
    },
    openFilePicker() {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = '.json,application/json';
      input.addEventListener('change', async () => {
        const file = input.files && input.files[0];
        if (!file) return;
        const text = await file.text();
        callWithText('leadflow_import_text', 'string', text);
      });
      input.click();
    },
  };

  const wantsText = () => api.ready && call('leadflow_wants_text_input', 'number', [], []) === 1;

  function onCopy(event) {
    if (!api.ready || wantsText()) return;
    const text = call('leadflow_copy_selection', 'string', [], []);
    if (!text) return;
    event.clipboardData.setData('text/plain', text);
    event.preventDefault();
  }
  document.addEventListener('copy', onCopy);
  document.addEventListener('cut', onCopy);
  document.addEventListener('paste', (event) => {
    if (!api.ready) return;
    const text = event.clipboardData ? event.clipboardData.getData('text/plain') : '';
    callWithText('leadflow_set_paste_text', null, text);
    event.preventDefault();
  });
})();
