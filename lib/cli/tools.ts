// Loads the CLI's tools, esbuild and yazl: optional peer dependencies, named with the command that installs them when missing.

import type * as esbuild from "esbuild";
import type * as yazl from "yazl";

/** The esbuild module, as `import("esbuild")` gives it. */
export type Esbuild = typeof esbuild;
/** The yazl module, as `import("yazl")` gives it. */
export type Yazl = typeof yazl;

/** The command that installs every tool the CLI needs, beside aio-lambda-api. */
export const INSTALL_TOOLS = "npm install --save-dev esbuild yazl";

/**
 * A tool the CLI needs is not installed. esbuild and yazl are optional peer dependencies, so
 * that a production install of aio-lambda-api stays small: a project that bundles adds them.
 */
export class MissingToolError extends Error {
  /** The package that could not be loaded: `esbuild` or `yazl`. */
  readonly tool: string;

  constructor(tool: string, options?: { cause?: unknown }) {
    super(
      `${tool} is not installed; the aio-lambda-api CLI (bundle, dev) needs esbuild and yazl, which are optional peer dependencies of aio-lambda-api. Install them in your project: ${INSTALL_TOOLS}`,
      options,
    );
    this.name = "MissingToolError";
    this.tool = tool;
  }
}

/** Whether `error` is Node failing to find the package `name` itself (not one it imports). */
function isMissingPackage(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  const message = error instanceof Error ? error.message : "";
  // Node: "Cannot find package 'esbuild' imported from …" (ESM), "Cannot find module 'esbuild'" (require).
  return message.includes(`'${name}'`);
}

/**
 * Runs `load` and turns Node's "cannot find package `name`" into a {@link MissingToolError}
 * naming the install command; any other failure (a package the tool itself lacks, say) is
 * rethrown as it is.
 * @throws MissingToolError when the package `name` is not installed.
 */
export async function loadTool<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissingPackage(error, name)) throw new MissingToolError(name, { cause: error });
    throw error;
  }
}

/**
 * esbuild, loaded on first use: importing the CLI's modules never needs it installed.
 * @param load How to import it; tests pass a failing one.
 * @throws MissingToolError when esbuild is not installed.
 */
export function loadEsbuild(
  load: () => Promise<Esbuild> = () => import("esbuild"),
): Promise<Esbuild> {
  return loadTool("esbuild", load);
}

/**
 * yazl, loaded on first use: importing the CLI's modules never needs it installed.
 * @param load How to import it; tests pass a failing one.
 * @throws MissingToolError when yazl is not installed.
 */
export function loadYazl(load: () => Promise<Yazl> = () => import("yazl")): Promise<Yazl> {
  return loadTool("yazl", load);
}
