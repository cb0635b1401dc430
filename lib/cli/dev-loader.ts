// Loads the dev server's handler: esbuild bundles the entry to a temporary module, rebuilt and re-imported on change.

import type { FSWatcher } from "node:fs";
import { existsSync, rmSync, watch } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { BuildContext, BuildResult, Message } from "esbuild";
import { notAHandler } from "./dev-handler.js";
import { loadEsbuild } from "./tools.js";

/** A Lambda handler as the dev server calls it. */
export type DevHandler = (event: unknown, context: unknown) => unknown;

/** Options of {@link createLoader}. */
export interface LoaderOptions {
  /** The entry file, absolute or relative to the current directory. */
  readonly entry: string;
  /** The export to call. */
  readonly handler: string;
  /** Where progress and build errors go. */
  readonly log: (text: string) => void;
  /**
   * Rebuild and reload when a source file of the app changes.
   * @default true
   */
  readonly watch?: boolean;
}

/** The loaded app, kept current. */
export interface Loader {
  /** The handler of the last version that loaded. */
  handler(): DevHandler;
  /** The exports of the version that loaded last. */
  exports(): Readonly<Record<string, unknown>>;
  /** How many versions have loaded (1 after start). */
  readonly version: number;
  /** Stops watching and deletes the temporary module (also deleted if the process exits first). */
  close(): Promise<void>;
}

/** The app could not be built or loaded: `details` holds esbuild's messages or the app's stack. */
export class LoadError extends Error {
  /** esbuild's messages with file and line, or the error the app threw while loading. */
  readonly details: string;

  constructor(message: string, details: string, cause?: unknown) {
    super(message, { cause });
    this.name = "LoadError";
    this.details = details;
  }
}

// Lets CommonJS packages bundled into the ES module `require()` Node built-ins.
const REQUIRE_BANNER =
  'import { createRequire as __aioLambdaApiCreateRequire } from "node:module";\n' +
  "const require = __aioLambdaApiCreateRequire(import.meta.url);";

let serial = 0;

/** The nearest directory at or above `dir` holding a package.json; `dir` itself when none does. */
export function projectRoot(dir: string): string {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, "package.json"))) return at;
    if (path.dirname(at) === at) return dir;
  }
}

/** Absolute paths of the bundle's inputs that belong to the project (not node_modules). */
function sourceFiles(
  result: BuildResult<{ metafile: true }>,
  cwd: string,
  root: string,
): Set<string> {
  const files = new Set<string>();
  for (const input of Object.keys(result.metafile.inputs)) {
    if (input.includes("node_modules/") || /^[a-z-]+:/i.test(input)) continue;
    const file = path.resolve(cwd, input);
    if (!path.relative(root, file).startsWith("..")) files.add(file);
  }
  return files;
}

/**
 * Bundles `options.entry` (everything but `@aws-sdk/*`, as `bundle` does) into a module under
 * the project's `node_modules/.cache/aio-lambda-api/`, where its external imports resolve, and
 * imports it. With `watch`, the directories of the project's source files are watched, and a
 * change rebuilds and re-imports; a failed rebuild prints esbuild's messages and keeps the last
 * good version.
 * @throws LoadError with esbuild's messages or the app's stack when the first build or import fails.
 * @throws MissingToolError when esbuild (an optional peer dependency) is not installed.
 */
export async function createLoader(options: LoaderOptions): Promise<Loader> {
  const { context, formatMessages } = await loadEsbuild();
  const cwd = process.cwd();
  const entry = path.resolve(cwd, options.entry);
  if (!existsSync(entry)) {
    throw new LoadError(
      `Entry ${JSON.stringify(options.entry)} is not a file`,
      `expected a file at ${entry}\n`,
    );
  }
  const root = projectRoot(path.dirname(entry));
  const dir = path.join(root, "node_modules", ".cache", "aio-lambda-api");
  await mkdir(dir, { recursive: true });
  const outfile = path.join(dir, `dev-${process.pid}-${++serial}.mjs`);
  const ctx: BuildContext<{ metafile: true }> = await context({
    absWorkingDir: cwd,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    external: ["@aws-sdk/*"],
    sourcemap: "inline",
    metafile: true,
    write: true,
    logLevel: "silent",
    banner: { js: REQUIRE_BANNER },
  });
  // The app may end the process itself before close() runs (api.provide disposes its resources
  // on SIGTERM, then calls process.exit): the module is removed on the way out all the same.
  const removeOnExit = () => {
    try {
      rmSync(outfile, { force: true });
    } catch {
      // Nothing more can be done while the process exits.
    }
  };
  process.on("exit", removeOnExit);

  let current: DevHandler | undefined;
  let loaded: Record<string, unknown> = {};
  let version = 0;
  let watched = new Map<string, FSWatcher>();
  let files = new Set<string>([entry]);
  let closed = false;

  async function load(): Promise<void> {
    let result: BuildResult<{ metafile: true }>;
    try {
      result = await ctx.rebuild();
    } catch (error) {
      const messages = (error as { errors?: Message[] }).errors ?? [];
      const details = (await formatMessages(messages, { kind: "error", color: false })).join("");
      const count = `${messages.length} error${messages.length === 1 ? "" : "s"}`;
      throw new LoadError(
        `Bundling ${options.entry} failed with ${count}`,
        details || `${String(error)}\n`,
        error,
      );
    }
    files = sourceFiles(result, cwd, root);
    files.add(entry);
    // A new query string makes Node evaluate the rebuilt file instead of its cached module.
    let module: Record<string, unknown>;
    try {
      module = await import(`${pathToFileURL(outfile).href}?v=${version + 1}`);
    } catch (error) {
      // The app threw while loading, as it would at a cold start (Lambda's init error).
      const details = error instanceof Error ? (error.stack ?? error.message) : String(error);
      throw new LoadError(`Loading ${options.entry} failed`, `${details}\n`, error);
    }
    const handler = module[options.handler];
    if (typeof handler !== "function") {
      const { message, details } = notAHandler(options.entry, options.handler, module);
      throw new LoadError(message, details);
    }
    current = handler as DevHandler;
    loaded = module;
    version += 1;
  }

  let pending: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  function reload(changed: string): void {
    if (pending) {
      again = true;
      return;
    }
    const started = performance.now();
    pending = load()
      .then(() => {
        options.log(
          `Reloaded after a change to ${path.relative(cwd, changed)} (${Math.round(performance.now() - started)} ms)\n`,
        );
      })
      .catch((error: unknown) => {
        const details = error instanceof LoadError ? error.details : "";
        options.log(
          `${error instanceof Error ? error.message : String(error)}\n${details}Keeping the last version that loaded.\n`,
        );
      })
      .finally(() => {
        pending = undefined;
        if (closed) return;
        updateWatchers();
        if (again) {
          again = false;
          reload(changed);
        }
      });
  }

  function onChange(file: string): void {
    if (closed || !files.has(file)) return;
    // Editors write a file in several steps: wait for the burst to end.
    clearTimeout(timer);
    timer = setTimeout(() => reload(file), 40);
  }

  function updateWatchers(): void {
    if (options.watch === false) return;
    const dirs = new Set([...files].map((file) => path.dirname(file)));
    const next = new Map<string, FSWatcher>();
    for (const watchedDir of dirs) {
      const existing = watched.get(watchedDir);
      if (existing) {
        next.set(watchedDir, existing);
        continue;
      }
      try {
        // A directory, not the files: editors that save by renaming replace the file's inode.
        const watcher = watch(watchedDir, (_event, name) => {
          if (name) onChange(path.join(watchedDir, name.toString()));
        });
        watcher.on("error", () => watcher.close());
        next.set(watchedDir, watcher);
      } catch {
        // The directory went away; the next successful build watches what exists.
      }
    }
    for (const [watchedDir, watcher] of watched) if (!next.has(watchedDir)) watcher.close();
    watched = next;
  }

  try {
    await load();
  } catch (error) {
    await ctx.dispose();
    await rm(outfile, { force: true });
    process.off("exit", removeOnExit);
    throw error;
  }
  updateWatchers();

  return {
    handler() {
      return current!;
    },
    exports() {
      return loaded;
    },
    get version() {
      return version;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watched.values()) watcher.close();
      watched.clear();
      await pending;
      await ctx.dispose();
      await rm(outfile, { force: true });
      process.off("exit", removeOnExit);
    },
  };
}
