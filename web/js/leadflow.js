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
    // [Appearance] The theme and UI scale (View menu), kept per browser: {theme: 'dark'|'light',
    // ui_scale: percent, applied_scale: the scale the frame on screen was built with}.
    uiSettings() {
      return parse(call('leadflow_ui_settings', 'string', [], []));
    },
    // Sets them as the View menu does ({theme, ui_scale}; a missing or bad field gets its
    // default, the scale is clamped to 75–200). Applies from the next frame. Returns {ok}.
    setUiSettings(settings) {
      const text = typeof settings === 'string' ? settings : JSON.stringify(settings);
      return parse(callWithText('leadflow_set_ui_settings', 'string', text));
    },
    // [Workspace] Panel sizes {left, right, bottom, results_maximized, dragging} (CSS pixels at
    // 100% UI scale, kept per browser), chart_hover ({chart, index, text}: the tooltip of the
    // bar or point under the mouse, or null), table_columns ([{table, header, width,
    // text_width}] in CSS pixels, for the results tables on screen) and png_exports (how many
    // canvas PNGs were downloaded).
    workspace() {
      return parse(call('leadflow_workspace', 'string', [], []));
    },
    // [Simulation] The scenario (docs/simulation.md#the-scenario). setScenario takes JSON text or
    // an object and returns {ok, error}; an invalid scenario is refused and the current one kept.
    setScenario(json) {
      const text = typeof json === 'string' ? json : JSON.stringify(json);
      return parse(callWithText('leadflow_set_scenario', 'string', text));
    },
    getScenario() {
      return parse(call('leadflow_get_scenario', 'string', [], []));
    },
    // Simulates the current graph and scenario at once; returns the results JSON text, byte for
    // byte what `leadflow-sim GRAPH --scenario S --json` prints (minus its final newline).
    // Throws an Error with the reason when the graph or scenario cannot be simulated.
    simulate() {
      const text = call('leadflow_simulate', 'string', [], []);
      if (!text) throw new Error(call('leadflow_last_error', 'string', [], []));
      return text;
    },
    // Starts the same simulation split across frames (the page stays responsive, a progress
    // bar shows). Resolves with the results JSON text when it finishes.
    async runSimulation() {
      const before = api.simulationStatus().finished_runs;
      const r = parse(call('leadflow_start_simulation', 'string', [], []));
      if (!r.ok) throw new Error(r.error);
      return api.waitForResults(before);
    },
    // Resolves with the results text once more than `finishedRuns` runs have finished.
    async waitForResults(finishedRuns) {
      for (;;) {
        const st = api.simulationStatus();
        if (st.finished_runs > finishedRuns) return api.results();
        if (!st.running) throw new Error(st.error || 'The simulation was cancelled');
        await api.frames(1);
      }
    },
    // {running, progress, events, leads, finished_runs, last_run_ms, error, scenario_error,
    //  link_error}.
    simulationStatus() {
      return parse(call('leadflow_sim_status', 'string', [], []));
    },
    // The results JSON text of the last finished run ('' when none).
    results() {
      return call('leadflow_results', 'string', [], []);
    },
    // [Share links] The link for the current graph, scenario and view
    // (docs/simulation.md#share-links).
    shareUrl() {
      const fragment = call('leadflow_share_fragment', 'string', [], []);
      return location.href.split('#')[0] + '#' + fragment;
    },
    // Opens a share link (a URL or its fragment). {ok, error}; a bad link changes nothing.
    openLink(link) {
      return parse(callWithText('leadflow_open_link', 'string', String(link)));
    },
    // [Compare] The editor's graph simulated against another graph under one scenario
    // (Simulate > Compare with). compare.action(name, arg): "opened" (the graph last opened:
    // share link, file, template, loadGraph), "template" (its name), "clear" → {ok, error};
    // the runs take the next frames: poll compare.status() ({pending, runs, error,
    // before_label, after_label, result: {conversion, calls_per_lead, time_to_terminal_hours,
    // before_results, after_results, …}}).
    compare: {
      status() {
        return parse(call('leadflow_compare_status', 'string', [], []));
      },
      action(name, arg = '') {
        return parse(call('leadflow_compare_action', 'string', ['string', 'string'], [name, String(arg)]));
      },
    },
    // [Server mode] When leadflow-server serves the page: server.status() and the Server tab's
    // actions (sign_in, sign_out, refresh, list_page, search, delete, delete_confirm,
    // delete_cancel, duplicate, create, open, save, validate, activate, pause, resume, cancel,
    // save_scenario, short_link, live, history; leads: leads_page, leads_status, leads_phone,
    // leads_refresh, lead_open, lead_close, lead_remove, lead_remove_confirm, lead_remove_cancel;
    // call log: calls_open, calls_page, calls_filter (a JSON {workflow_id, lead_id, status});
    // versions: versions, select_version, publish,
    // publish_confirm, publish_cancel, restore, diff, diff_off, simulate_change). Actions answer asynchronously: poll status().
    server: {
      status() {
        return parse(call('leadflow_server_status', 'string', [], []));
      },
      action(name, arg = '') {
        return parse(call('leadflow_server_action', 'string', ['string', 'string'], [name, String(arg)]));
      },
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
      // A share link in the address opens once the editor runs (outside the frame callback).
      if (/^#s=/.test(location.hash)) setTimeout(openLinkFromAddress, 0);
      detectServer();
      window.dispatchEvent(new Event('leadflow-ready'));
    },
    // Server mode: a request to the page's origin; the answer goes back to the editor.
    http(id, method, path, body, key) {
      const headers = {};
      if (key) headers.Authorization = 'Bearer ' + key;
      if (body) headers['Content-Type'] = 'application/json';
      send(id, path, { method, headers, body: body || undefined });
    },
    // Server mode: CSV text uploaded as the multipart field "file" (lead enrolment).
    uploadCsv(id, path, name, csv, key) {
      uploadFile(id, path, new Blob([csv], { type: 'text/csv' }), name, key);
    },
    // Server mode: a lead file (CSV or an Excel workbook) chosen in the browser's picker. The
    // File goes into the form as it is: its bytes never pass through the editor's memory or a
    // string, so a workbook (a zip archive) arrives byte for byte. The server tells the formats
    // apart by the bytes, then by the file name, then by the content type (docs/uploads.md).
    pickAndUploadLeads(id, path, key) {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = kLeadFileAccept;
      input.style.display = 'none';
      input.addEventListener('change', () => {
        const file = input.files && input.files[0];
        input.remove();
        if (file) uploadFile(id, path, leadFile(file), file.name, key);
      });
      input.addEventListener('cancel', () => input.remove());
      document.body.appendChild(input);
      input.click();
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

  // Sends a request and hands the answer (status 0: none) to the editor as leadflow_http_done.
  function send(id, path, init) {
    fetch(path, { ...init, cache: 'no-store' })
      .then(async (res) => [res.status, await res.text()])
      .catch(() => [0, ''])
      .then(([status, text]) => {
        const n = Module.lengthBytesUTF8(text) + 1;
        const p = Module._malloc(n);
        try {
          Module.stringToUTF8(text, p, n);
          call('leadflow_http_done', null, ['number', 'number', 'number'], [id, status, p]);
        } finally {
          Module._free(p);
        }
      });
  }
  // The lead files the picker offers: CSV and Excel workbooks (.xlsx, and .xlsm with macros).
  const kLeadFileTypes = {
    '.csv': 'text/csv',
    '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    '.xlsm': 'application/vnd.ms-excel.sheet.macroEnabled.12',
  };
  const kLeadFileAccept = Object.keys(kLeadFileTypes).join(',');
  // `file` with the content type its extension names (the browser's guess may be empty or
  // generic), or its own type for any other name. The bytes are shared, not copied or decoded.
  function leadFile(file) {
    const dot = file.name.lastIndexOf('.');
    const type = dot >= 0 ? kLeadFileTypes[file.name.slice(dot).toLowerCase()] : undefined;
    if (!type || type === file.type) return file;
    return new File([file], file.name, { type, lastModified: file.lastModified });
  }
  function uploadFile(id, path, blob, name, key) {
    const form = new FormData();
    form.append('file', blob, name || 'leads.csv');
    send(id, path, { method: 'POST', headers: key ? { Authorization: 'Bearer ' + key } : {}, body: form });
  }

  // Opens the link in the address bar, then drops it from the address so that a reload shows
  // the (autosaved) work rather than the link again.
  function openLinkFromAddress() {
    const hash = location.hash;
    if (!/^#s=/.test(hash)) return;
    api.lastLinkResult = api.openLink(hash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  // Server mode: leadflow-server marks every response with X-Request-Id, so the page's own URL
  // tells (without a request that could fail on a plain static host); /healthz confirms.
  async function detectServer() {
    try {
      const page = await fetch(location.pathname, { cache: 'no-store' });
      if (!page.headers.has('x-request-id')) return;
      const health = await fetch('/healthz', { cache: 'no-store' });
      if (!health.ok) return;
      const info = await health.json();
      if (info.status !== 'ok') return;
      call('leadflow_server_detected', null, ['string'], [String(info.provider || '')]);
    } catch (e) {
      // Not served by leadflow-server: the editor works on its own.
    }
  }
  window.addEventListener('hashchange', () => {
    if (api.ready) openLinkFromAddress();
  });

  // Ctrl+F (Cmd+F) opens the editor's Find node box: the browser's own find bar would search the
  // page, which is one canvas without text.
  window.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
      event.preventDefault();
    }
  });

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
