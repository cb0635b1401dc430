// The `aio-lambda-api` bin: parses the command line and runs `bundle` or `dev`, each loaded on demand.

import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BundleCommand, DevCommand } from "./args.js";
import { parseCommandLine, UsageError } from "./args.js";

/** Where the CLI writes: results to `stdout`, progress and errors to `stderr`. */
export interface CliOutput {
  /** Writes to standard output. */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
}

const processOutput: CliOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * The version in the package's package.json, read when asked. It is two folders up from this
 * file both in the sources (lib/cli/main.ts) and in the published build (dist/cli/main.js).
 */
export function packageVersion(): string {
  const file = new URL("../../package.json", import.meta.url);
  const { version } = JSON.parse(readFileSync(file, "utf8")) as { version?: unknown };
  if (typeof version !== "string" || version === "") {
    throw new Error(
      `${fileURLToPath(file)} has no version, got ${JSON.stringify(version) ?? "nothing"}; expected a string`,
    );
  }
  return version;
}

async function runBundle(command: BundleCommand, output: CliOutput): Promise<number> {
  const { bundle, formatBundleReport } = await import("./bundle.js");
  const result = await bundle(command);
  for (const warning of result.warnings) output.stderr(warning);
  output.stdout(formatBundleReport(result));
  return 0;
}

async function runDev(
  command: DevCommand,
  output: CliOutput,
  stop: Promise<unknown>,
): Promise<number> {
  const { startDevServer } = await import("./dev.js");
  const server = await startDevServer({ ...command, log: output.stderr });
  output.stderr(
    `Serving ${command.entry} as ${command.eventFormat} events on ${server.url} (Ctrl+C stops)\n`,
  );
  if (server.docsUrl) output.stderr(`API docs on ${server.docsUrl}\n`);
  await stop;
  await server.close();
  return 0;
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
}

/**
 * Runs one command line (the arguments after the program name) and resolves to the exit code:
 * 0 done, 1 failed (build errors, a server that cannot start), 2 bad usage. `dev` resolves
 * once `stop` settles (by default on SIGINT or SIGTERM) and the server has closed.
 * @example
 * process.exitCode = await runCli(["bundle", "src/app.ts"]);
 */
export async function runCli(
  argv: readonly string[],
  output: CliOutput = processOutput,
  stop?: Promise<unknown>,
): Promise<number> {
  try {
    const command = parseCommandLine(argv);
    switch (command.command) {
      case "help":
        output.stdout(`${command.text}\n`);
        return 0;
      case "version":
        output.stdout(`${packageVersion()}\n`);
        return 0;
      case "bundle":
        return await runBundle(command, output);
      case "dev":
        return await runDev(command, output, stop ?? untilSignal());
    }
  } catch (error) {
    if (error instanceof UsageError) {
      output.stderr(`aio-lambda-api: ${error.message}\n\n${error.usage}\n`);
      return 2;
    }
    // Build and load errors carry esbuild's messages (or the app's stack) in `details`.
    const details = (error as { details?: unknown } | null)?.details;
    const message = error instanceof Error ? error.message : String(error);
    output.stderr(`aio-lambda-api: ${message}\n${typeof details === "string" ? details : ""}`);
    return 1;
  }
}

function isMainModule(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    // npm links the bin, so compare real paths.
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (isMainModule()) process.exitCode = await runCli(process.argv.slice(2));
