// Preloaded into the jsii kernel's Node process (NODE_OPTIONS=--require, set by runtime.py).
//
// Each prebuilt provider's lib/index.js requires every one of its submodules up front
// (`exports.vpc = require("./vpc");`, 2,212 lines for aws): about 2.5 s and most of the kernel's
// memory, although a synth touches a handful. This rewrites those lines, as Node compiles the file,
// into getters that require the submodule on first access and then keep it as a plain property.
// jsii finds types by walking those properties, so it sees the same modules; a file that doesn't
// have this exact shape is left untouched (it then loads eagerly, as before).
"use strict";
const Module = require("module");

const PROVIDER_INDEX = /[\\/]@cdktf[\\/]provider-[a-z0-9-]+[\\/]lib[\\/]index\.js$/;
const EAGER_EXPORT = /^exports\.([A-Za-z_$][\w$]*) = require\("(\.\/[a-z0-9-]+)"\);$/gm;

function lazyExport(_line, name, path) {
  const key = JSON.stringify(name);
  const target = JSON.stringify(path);
  return (
    `Object.defineProperty(exports, ${key}, { enumerable: true, configurable: true, get() {` +
    ` const loaded = require(${target});` +
    ` Object.defineProperty(exports, ${key}, { value: loaded, enumerable: true, configurable: true });` +
    ` return loaded; } });`
  );
}

const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  if (PROVIDER_INDEX.test(filename)) {
    content = content.replace(EAGER_EXPORT, lazyExport);
  }
  return compile.call(this, content, filename);
};
