// The docs check: every ```ts block of README.md and docs/*.md type-checks as written, and the ones marked runnable run.
//
// Run: npx tsx scripts/check-docs.ts   (npm run docs:check, part of npm test)
// 1. Extracts every ```ts / ```typescript block into its own module in a folder of this run,
//    node_modules/.cache/aio-lambda-api/docs-check-XXXXXX/ (removed at the end unless --keep),
//    where `aio-lambda-api` and its subpaths resolve to the sources in lib/ (tsconfig `paths`
//    for the compiler, a resolve hook for tsx).
// 2. Type-checks them all in one run of the repository's TypeScript compiler with the settings
//    `tsc --init` gives a new project (strict, noUncheckedIndexedAccess,
//    exactOptionalPropertyTypes, verbatimModuleSyntax, ...), and prints each error at its
//    markdown line: `docs/guide.md:123 (block 4): TS2304 Cannot find name 'api'.`
// 3. Runs the blocks marked ```ts runnable with tsx; each must exit 0 within RUN_TIMEOUT_MS.
// Blocks marked ```ts skip-check (samples for tools this repository does not install, such as
// the AWS CDK, Bun or Deno) are left out; say why beside them in the docs.
// Exits 1 with the reasons, 0 with a summary.

import { execFile } from "node:child_process";
import { access, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** What a failed `execFile` rejects with. */
type ExecError = Error & {
  stdout?: string;
  stderr?: string;
  code?: number | string;
  killed?: boolean;
};

/** A flag of a block's info string: ```ts skip-check, ```ts runnable. */
export type BlockFlag = "skip-check" | "runnable";

const FLAGS: ReadonlySet<string> = new Set<BlockFlag>(["skip-check", "runnable"]);
const LANGUAGES: ReadonlySet<string> = new Set(["ts", "typescript"]);

/** One TypeScript code block of a markdown file. */
export interface DocBlock {
  /** The markdown file, as given to `extractBlocks` (relative to the repository). */
  readonly file: string;
  /** Its rank among the file's TypeScript blocks, from 1. */
  readonly index: number;
  /** The markdown line (from 1) of the block's first code line, the one after the fence. */
  readonly line: number;
  /** The flags of its info string. */
  readonly flags: readonly BlockFlag[];
  /** The code, with the fence's indentation removed from each line. */
  readonly code: string;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/**
 * The TypeScript blocks of a markdown document: fenced with ``` or ~~~ (indented ones too, as
 * in list items), info string `ts` or `typescript`, optionally followed by flags.
 * @throws Error naming the file and line for an unknown flag or a fence that is never closed.
 */
export function extractBlocks(markdown: string, file: string): DocBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: DocBlock[] = [];
  let at = 0;
  while (at < lines.length) {
    const open = FENCE.exec(lines[at] ?? "");
    at += 1;
    if (open === null) continue;
    const indent = open[1]?.length ?? 0;
    const fence = open[2] ?? "";
    const info = (open[3] ?? "").trim().split(/\s+/).filter(Boolean);
    const start = at;
    const closing = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    while (at < lines.length && !closing.test(lines[at] ?? "")) at += 1;
    if (at === lines.length)
      throw new Error(`${file}:${start}: code fence ${fence} is never closed`);
    const body = lines.slice(start, at);
    at += 1;
    const [language = "", ...words] = info;
    if (!LANGUAGES.has(language)) continue;
    for (const word of words) {
      if (!FLAGS.has(word))
        throw new Error(
          `${file}:${start}: unknown flag "${word}" in \`\`\`${info.join(" ")}, expected ${[...FLAGS].join(" or ")}`,
        );
    }
    const dedent = (text: string) => text.replace(new RegExp(`^ {0,${indent}}`), "");
    blocks.push({
      file,
      index: blocks.length + 1,
      line: start + 1,
      flags: words as BlockFlag[],
      code: body.map(dedent).join("\n"),
    });
  }
  return blocks;
}

/**
 * One compiler diagnostic: the file as tsc printed it (empty for one about the configuration),
 * the line (from 1; 0 without a file), and the message, continuation lines included.
 */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const DIAGNOSTIC = /^(?:(.+?)\((\d+),\d+\): )?error (TS\d+: .*)$/;

/** tsc's `--pretty false` output as diagnostics; continuation lines join their diagnostic's message. */
export function parseDiagnostics(output: string): Diagnostic[] {
  const found: { file: string; line: number; message: string }[] = [];
  for (const text of output.split(/\r?\n/)) {
    const match = DIAGNOSTIC.exec(text);
    if (match !== null) {
      found.push({ file: match[1] ?? "", line: Number(match[2] ?? 0), message: match[3] ?? "" });
    } else if (text.trim() !== "" && found.length > 0) {
      found[found.length - 1]!.message += `\n${text}`;
    }
  }
  return found;
}

/** The library's import names and the source each resolves to, relative to the repository. */
const ENTRIES: Readonly<Record<string, string>> = {
  "aio-lambda-api": "lib/index.ts",
  "aio-lambda-api/middleware": "lib/middleware/index.ts",
  "aio-lambda-api/openapi": "lib/openapi/index.ts",
  "aio-lambda-api/aws": "lib/aws/index.ts",
  "aio-lambda-api/ssm": "lib/ssm/index.ts",
  "aio-lambda-api/cli": "lib/cli/index.ts",
  "aio-lambda-api/testing": "lib/testing/index.ts",
  "aio-lambda-api/streaming": "lib/streaming/index.ts",
  "aio-lambda-api/fetch": "lib/fetch/index.ts",
  "aio-lambda-api/batch": "lib/batch/index.ts",
  "aio-lambda-api/esbuild": "lib/cli/esbuild.ts",
  "aio-lambda-api/forms": "lib/forms/index.ts",
};

/** The longest a runnable block may run. */
const RUN_TIMEOUT_MS = 60_000;

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CACHE = path.join(ROOT, "node_modules", ".cache", "aio-lambda-api");

/** The file name of a block's module: `docs/guide.md` block 4 → `docs-guide-4.ts`. */
export function moduleName(block: DocBlock): string {
  return `${block.file.replace(/\.md$/, "").replace(/[^A-Za-z0-9]+/g, "-")}-${block.index}.ts`;
}

async function markdownFiles(): Promise<string[]> {
  const docs = (await readdir(path.join(ROOT, "docs"))).filter((name) => name.endsWith(".md"));
  return ["README.md", ...docs.sort().map((name) => `docs/${name}`)];
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** The import names that resolve (a subpath whose index file is missing is left out). */
async function entries(): Promise<[string, string][]> {
  const found: [string, string][] = [];
  for (const [name, source] of Object.entries(ENTRIES)) {
    if (await exists(path.join(ROOT, source))) found.push([name, path.join(ROOT, source)]);
  }
  return found;
}

/** The compiler options of a new project (`tsc --init`, set up for Node), with the library mapped. */
function tsconfig(files: readonly string[], mapped: readonly [string, string][]): object {
  return {
    compilerOptions: {
      module: "nodenext",
      moduleResolution: "nodenext",
      target: "esnext",
      lib: ["esnext"],
      types: ["node"],
      typeRoots: [path.join(ROOT, "node_modules", "@types")],
      strict: true,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      noUncheckedSideEffectImports: true,
      // Each block is a module of its own even without an import, so their names never clash.
      moduleDetection: "force",
      skipLibCheck: true,
      noEmit: true,
      paths: Object.fromEntries(mapped.map(([name, source]) => [name, [source]])),
    },
    files,
  };
}

/** A resolve hook for the runnable blocks: tsx ignores tsconfig `paths` inside node_modules. */
function resolveHook(mapped: readonly [string, string][]): string {
  const urls = Object.fromEntries(
    mapped.map(([name, source]) => [name, pathToFileURL(source).href]),
  );
  return [
    "// Resolves aio-lambda-api and its subpaths to the library's sources.",
    `const entries = ${JSON.stringify(urls)};`,
    "export async function resolve(specifier, context, next) {",
    "  return next(entries[specifier] ?? specifier, context);",
    "}",
    "",
  ].join("\n");
}

const REGISTER = [
  "// Registers the resolve hook beside tsx.",
  'import { register } from "node:module";',
  'register("./resolve-hook.mjs", import.meta.url);',
  "",
].join("\n");

async function typeCheck(
  scratch: string,
  byModule: ReadonlyMap<string, DocBlock>,
  print: (line: string) => void,
): Promise<number> {
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  let output = "";
  try {
    await run(process.execPath, [tsc, "-p", scratch, "--pretty", "false"], {
      cwd: scratch,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (caught) {
    const error = caught as ExecError;
    output = `${error.stdout ?? ""}${error.stderr ?? ""}`;
    if (output.trim() === "") throw caught;
  }
  let errors = 0;
  const elsewhere = new Set<string>();
  const diagnostics = parseDiagnostics(output);
  if (output.trim() !== "" && diagnostics.length === 0) {
    print(`tsc printed no diagnostic it could read:\n${output.trim()}`);
    return 1;
  }
  for (const diagnostic of diagnostics) {
    if (diagnostic.file === "") {
      errors += 1;
      print(`${path.relative(ROOT, path.join(scratch, "tsconfig.json"))}: ${diagnostic.message}`);
      continue;
    }
    const block = byModule.get(path.basename(diagnostic.file));
    if (block === undefined || path.dirname(path.resolve(scratch, diagnostic.file)) !== scratch) {
      // Users compile against the published declarations with skipLibCheck: the library's
      // own sources are checked by npm run typecheck, with the repository's settings.
      elsewhere.add(path.relative(ROOT, path.resolve(scratch, diagnostic.file)));
      continue;
    }
    errors += 1;
    const [first = "", ...rest] = diagnostic.message.split("\n");
    const where = `${block.file}:${block.line + diagnostic.line - 1} (block ${block.index})`;
    print(`${where}: ${first}`);
    for (const line of rest) print(`  ${line}`);
  }
  if (elsewhere.size > 0)
    print(
      `note: not counted, errors in the library's own sources under these stricter settings ` +
        `(npm run typecheck checks them with the repository's): ${[...elsewhere].join(", ")}`,
    );
  return errors;
}

/** Runs one block with tsx; resolves to what to print when it failed, or undefined. */
async function runBlock(
  scratch: string,
  module: string,
  block: DocBlock,
): Promise<string[] | undefined> {
  try {
    await run(process.execPath, ["--import", "tsx", "--import", "./register.mjs", module], {
      cwd: scratch,
      timeout: RUN_TIMEOUT_MS,
      env: { ...process.env, NODE_NO_WARNINGS: "1" },
      maxBuffer: 64 * 1024 * 1024,
    });
    return undefined;
  } catch (caught) {
    const error = caught as ExecError;
    const why = error.killed
      ? `still running after ${RUN_TIMEOUT_MS} ms`
      : `exit code ${String(error.code)}`;
    const output = `${error.stdout ?? ""}${error.stderr ?? ""}`.trim().split("\n").slice(0, 40);
    return [
      `${block.file}:${block.line} (block ${block.index}): the runnable block failed, ${why}`,
      ...output.map((line) => `  ${line}`),
    ];
  }
}

/** Runs the blocks a few at a time (each is a process of its own); the reports in block order. */
async function runAll(
  scratch: string,
  runnable: readonly [string, DocBlock][],
): Promise<(string[] | undefined)[]> {
  const reports: (string[] | undefined)[] = [];
  let next = 0;
  const worker = async () => {
    while (next < runnable.length) {
      const at = next++;
      const [module, block] = runnable[at]!;
      reports[at] = await runBlock(scratch, module, block);
    }
  };
  const workers = Math.max(1, Math.min(4, availableParallelism()));
  await Promise.all(Array.from({ length: workers }, worker));
  return reports;
}

async function main(): Promise<void> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const blocks: DocBlock[] = [];
  const files = await markdownFiles();
  for (const file of files)
    blocks.push(...extractBlocks(await readFile(path.join(ROOT, file), "utf8"), file));

  await mkdir(CACHE, { recursive: true });
  // A folder of its own, so two runs at once (npm test beside a docs:check) never share one.
  const scratch = await mkdtemp(path.join(CACHE, "docs-check-"));
  try {
    await check(scratch, files, blocks, print);
  } finally {
    if (process.argv.includes("--keep")) print(`modules kept in ${path.relative(ROOT, scratch)}`);
    else await rm(scratch, { recursive: true, force: true });
  }
}

async function check(
  scratch: string,
  files: readonly string[],
  blocks: readonly DocBlock[],
  print: (line: string) => void,
): Promise<void> {
  const mapped = await entries();
  const checked = blocks.filter((block) => !block.flags.includes("skip-check"));
  const byModule = new Map(checked.map((block) => [moduleName(block), block]));
  for (const [name, block] of byModule)
    await writeFile(path.join(scratch, name), `${block.code}\n`);
  // The nearest package.json above node_modules is not looked at: say ESM here.
  await writeFile(path.join(scratch, "package.json"), `${JSON.stringify({ type: "module" })}\n`);
  await writeFile(
    path.join(scratch, "tsconfig.json"),
    `${JSON.stringify(tsconfig([...byModule.keys()], mapped), null, 2)}\n`,
  );
  await writeFile(path.join(scratch, "resolve-hook.mjs"), resolveHook(mapped));
  await writeFile(path.join(scratch, "register.mjs"), REGISTER);

  const errors = await typeCheck(scratch, byModule, print);
  const runnable = [...byModule].filter(([, block]) => block.flags.includes("runnable"));
  // Run even when some block does not type-check: a failing run says more than the error alone.
  const failures = (await runAll(scratch, runnable)).filter((report) => report !== undefined);
  for (const line of failures.flat()) print(line);
  const failedRuns = failures.length;

  const skipped = blocks.length - checked.length;
  const summary =
    `${blocks.length} TypeScript blocks in ${files.length} files: ${checked.length} type-checked, ` +
    `${skipped} skipped, ${runnable.length} run`;
  if (errors > 0 || failedRuns > 0) {
    print(`docs:check failed: ${errors} type errors, ${failedRuns} failed runs (${summary})`);
    process.exitCode = 1;
  } else {
    print(`docs:check: ${summary}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
