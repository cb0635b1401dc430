// Our esbuild plugin (aio-lambda-api/esbuild, lib/cli/esbuild.ts) for the bench's "esbuild + our plugin" rows, when it exists.
//
// Found by path and imported at run time, so the bench type-checks and runs before the plugin is
// written: its rows then read "plugin: not yet available" and are measured once it lands.

import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Plugin } from "esbuild";
import { ROOT } from "./build.js";

/** Where the plugin's entry may be, first found wins. */
const CANDIDATES = ["lib/cli/esbuild.ts"];

/** The plugin, or why there is none. */
export type OurPlugin = { readonly plugin: Plugin } | { readonly missing: string };

function isPlugin(value: unknown): value is Plugin {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Plugin).name === "string" &&
    typeof (value as Plugin).setup === "function"
  );
}

/**
 * Loads the plugin: a plugin object exported by the entry, or what one of its exported functions
 * returns when called with no options (the default export first).
 */
export async function ourPlugin(): Promise<OurPlugin> {
  const file = CANDIDATES.map((c) => path.join(ROOT, c)).find((f) => existsSync(f));
  if (!file) return { missing: `plugin: not yet available (no ${CANDIDATES.join(" or ")})` };
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const values = [mod.default, ...Object.values(mod)];
  for (const value of values) if (isPlugin(value)) return { plugin: value };
  for (const value of values) {
    // Only a factory whose options may be left out.
    if (typeof value !== "function" || value.length > 1) continue;
    try {
      const made: unknown = await (value as () => unknown)();
      if (isPlugin(made)) return { plugin: made };
    } catch {
      // A function that needs arguments is not the plugin factory.
    }
  }
  return {
    missing: `plugin: ${path.relative(ROOT, file)} exports no esbuild plugin (an object with name and setup, or a function returning one)`,
  };
}
