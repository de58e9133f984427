// Preloaded into the jsii kernel's Node process (NODE_OPTIONS=--require, set by runtime.py).
//
// Each prebuilt provider's lib/index.js requires every one of its submodules up front
// (`exports.vpc = require("./vpc");`, 2,212 lines for aws): about 2.5 s and most of the kernel's
// memory, although a synth touches a handful. This rewrites those lines, as Node compiles the file,
// into getters that require the submodule on first access and then keep it as a plain property.
// jsii finds types by walking those properties, so it sees the same modules. A provider index that
// no longer has this shape (a new cdktf, another code generator) still loads — eagerly, as without
// this file — and a warning on stderr names the package and that cost, so the slowdown isn't silent.
"use strict";
const Module = require("module");

const PROVIDER_INDEX = /[\\/]@cdktf[\\/](provider-[a-z0-9-]+)[\\/]lib[\\/]index\.js$/;
const EAGER_EXPORT = /^exports\.([A-Za-z_$][\w$]*) = require\("(\.\/[a-z0-9-]+)"\);$/gm;
// Any require of a file of the package itself: after the rewrite, only the getters hold one.
const LOCAL_REQUIRE = /\brequire\s*\(\s*["']\.\.?\//g;

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

function lazyIndex(content, packageName) {
  let rewritten = 0;
  const lazy = content.replace(EAGER_EXPORT, (...match) => {
    rewritten += 1;
    return lazyExport(...match);
  });
  const eager = (lazy.match(LOCAL_REQUIRE) || []).length - rewritten;
  if (rewritten === 0 || eager > 0) {
    // Straight to stderr, not process.emitWarning: NODE_OPTIONS=--no-warnings must not hide it.
    process.stderr.write(
      `warning: @cdktf/${packageName}: lib/index.js no longer has the shape that ` +
        "constructs_lib/lazy_provider_index.js makes lazy (one `exports.<name> = require(\"./<module>\");` " +
        `line per submodule), so ${rewritten === 0 ? "all" : eager} of its submodules load up front: ` +
        "seconds and hundreds of MB more per synth. Update the preload to the new shape.\n",
    );
  }
  return lazy;
}

const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  const provider = PROVIDER_INDEX.exec(filename);
  if (provider !== null) {
    content = lazyIndex(content, provider[1]);
  }
  return compile.call(this, content, filename);
};
