// An esbuild plugin for ES module bundles: Node built-ins load when the module importing them first runs, not at import.
//
// esbuild hoists an external `import … from "node:crypto"` to the top of an ES module bundle,
// so Node loads it at import even when the only module that uses it is one the app loads later
// (Powertools Logger's `node:crypto` costs about 2 ms of every cold start with the access log
// off). Routing each such import through a one-line CommonJS module turns it into a `require()`
// inside the importing module's own initializer, which esbuild runs on first use; the bundle's
// banner provides `require` (lib/cli/bundle.ts). Modules that run at import pay as before.

import { builtinModules } from "node:module";
import type { Plugin } from "esbuild";

const NAMESPACE = "aio-lambda-api-builtin";
const BUILTINS = new Set(builtinModules);

/** The plugin; only for `format: "esm"` (CommonJS bundles already `require()` in place). */
export const lazyBuiltins: Plugin = {
  name: NAMESPACE,
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/0-9]+$/ }, (args) => {
      if (args.kind !== "import-statement" || args.namespace === NAMESPACE) return undefined;
      const name = args.path.startsWith("node:") ? args.path.slice(5) : args.path;
      return BUILTINS.has(name) ? { path: args.path, namespace: NAMESPACE } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};
