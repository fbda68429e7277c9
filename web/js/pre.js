// web/js/pre.js — prepended to leadflow-web.js: binds the module to the page's canvas and keeps
// Emscripten's diagnostics on the console.
Module['canvas'] = Module['canvas'] || document.getElementById('canvas');
Module['print'] = Module['print'] || ((text) => console.log(text));
Module['printErr'] = Module['printErr'] || ((text) => console.warn(text));
