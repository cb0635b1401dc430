// aio-lambda-api/esbuild: an esbuild plugin that compiles response serializers ahead of time, for builds users run themselves.

import path from "node:path";
import type { BuildOptions, Plugin } from "esbuild";
import { serializerTable, TABLE, tablePlugin } from "./precompile.js";

/** The plugin's name, as esbuild reports it. */
const NAME = "aio-lambda-api";

/** The entry points' paths, made absolute; `stdin` has none. */
function entryPaths(options: BuildOptions, cwd: string): string[] {
  const given = options.entryPoints;
  const list = Array.isArray(given)
    ? given.map((entry) => (typeof entry === "string" ? entry : entry.in))
    : Object.values(given ?? {});
  return list.map((entry) => path.resolve(cwd, entry));
}

/**
 * The options of the scratch build that learns the app's schemas: the app's own (aliases,
 * externals, loaders, its other plugins), without what decides where and how the real output is
 * written, which lib/cli/precompile.ts sets.
 */
function scratchOptions(options: BuildOptions): BuildOptions {
  const {
    entryPoints: _entryPoints,
    stdin: _stdin,
    outdir: _outdir,
    outbase: _outbase,
    outfile: _outfile,
    outExtension: _outExtension,
    entryNames: _entryNames,
    chunkNames: _chunkNames,
    assetNames: _assetNames,
    splitting: _splitting,
    banner: _banner,
    footer: _footer,
    inject,
    plugins,
    ...rest
  } = options;
  return {
    ...rest,
    bundle: true,
    platform: "node",
    target: `node${process.versions.node}`,
    // The scratch build is an ES module: CommonJS packages in it `require()` Node built-ins.
    banner: {
      js: 'import { createRequire as __aioLambdaApiCreateRequire } from "node:module";\nconst require = __aioLambdaApiCreateRequire(import.meta.url);',
    },
    inject: inject?.filter((file) => file !== TABLE),
    plugins: plugins?.filter((plugin) => plugin.name !== NAME),
  };
}

/**
 * An esbuild plugin for builds you run yourself (serverless-esbuild, SST, a build script): it
 * compiles the response serializers of every entry point ahead of time, as `aio-lambda-api
 * bundle` does, and adds them to the output, so a function never compiles one at run time.
 * Each entry is built once more to a scratch file and imported in a child process to learn its
 * schemas (importing it must not need Lambda); a schema it cannot compile keeps the run-time
 * writer, with a warning. esbuild is an optional peer dependency of aio-lambda-api: install it
 * in the project that builds.
 * @example
 * import { build } from "esbuild";
 * import { aioLambdaApi } from "aio-lambda-api/esbuild";
 *
 * await build({
 *   entryPoints: ["src/app.ts"],
 *   bundle: true,
 *   platform: "node",
 *   outfile: "dist/index.js",
 *   plugins: [aioLambdaApi()],
 * });
 */
export function aioLambdaApi(): Plugin {
  return {
    name: NAME,
    setup(build) {
      const options = build.initialOptions;
      const cwd = options.absWorkingDir ?? process.cwd();
      const entries = entryPaths(options, cwd);
      if (entries.length === 0) return;
      // Injected into every entry point and evaluated before its own modules: the table is in
      // place before the app registers its routes.
      options.inject = [...(options.inject ?? []), TABLE];
      const table = tablePlugin(() => serializerTable(scratchOptions(options), entries, cwd));
      return table.setup(build);
    },
  };
}
