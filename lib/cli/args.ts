// The command line of `aio-lambda-api`: usage texts and argv → a checked command, or a usage error.

import type { ParseArgsConfig } from "node:util";
import { parseArgs } from "node:util";
import type { LambdaNodeTarget } from "./lambda-runtime.js";
import { DEFAULT_LAMBDA_RUNTIME, lambdaRuntime, refusedTarget } from "./lambda-runtime.js";
import { quote } from "../util/describe.js";

/** What `aio-lambda-api bundle` was asked to do. */
export interface BundleCommand {
  readonly command: "bundle";
  readonly entry: string;
  readonly out: string;
  readonly handler: string;
  readonly format: "esm" | "cjs";
  /** The esbuild target of the Lambda runtime the bundle is for (`--target`). */
  readonly target: LambdaNodeTarget;
  readonly sourcemap: boolean;
  readonly minify: boolean;
  readonly external: readonly string[];
  readonly bundleAwsSdk: boolean;
  readonly precompile: boolean;
}

/** What `aio-lambda-api dev` was asked to do. */
export interface DevCommand {
  readonly command: "dev";
  readonly entry: string;
  readonly port: number;
  readonly host: string;
  readonly eventFormat: "v1" | "v2" | "alb" | "lattice";
  readonly handler: string;
}

/** A request for a usage text: `--help`, `help <command>` or no command at all. */
export interface HelpCommand {
  readonly command: "help";
  readonly text: string;
}

/** A request for the package's version: `--version` or `-v`. */
export interface VersionCommand {
  readonly command: "version";
}

/** A parsed command line. */
export type Command = BundleCommand | DevCommand | HelpCommand | VersionCommand;

/** A command line that cannot run: the message says why, `usage` is the text to show under it. */
export class UsageError extends Error {
  /** The usage text of the command that was misused (or the general one). */
  readonly usage: string;

  constructor(message: string, usage: string) {
    super(message);
    this.name = "UsageError";
    this.usage = usage;
  }
}

/** The general usage text. */
export const MAIN_USAGE = `Usage: aio-lambda-api <command> [options]

Commands:
  bundle <entry>   bundle an app with esbuild into a Lambda deployment zip
  dev <entry>      serve an app on a local HTTP server that turns requests into Lambda events

Options:
  -h, --help       show this text
  -v, --version    print the version of aio-lambda-api

Run "aio-lambda-api <command> --help" for the options of a command.`;

/** The usage text of `bundle`. */
export const BUNDLE_USAGE = `Usage: aio-lambda-api bundle <entry> [options]

Bundles <entry> and everything it imports into one file for a Lambda Node.js runtime
(--target) and writes a deployment zip holding just that file.

Options:
  --out <file>          the zip to write (default: dist/function.zip)
  --handler <name>      the exported handler function (default: handler);
                        the Lambda handler setting is then index.<name>
  --format <esm|cjs>    esm writes index.mjs, cjs writes index.js (default: esm)
  --target <runtime>    the function's Lambda runtime: node24 or nodejs24.x (the default),
                        node22 or nodejs22.x
  --sourcemap           add index.mjs.map (or index.js.map) to the zip
  --minify              minify the bundle (the default)
  --no-minify           keep the bundle readable
  --external <pattern>  leave matching imports out of the bundle (repeatable; * is a wildcard)
  --bundle-aws-sdk      bundle @aws-sdk/* too (by default the SDK that Lambda provides is used)
  --no-precompile       compile response serializers on each route's first call instead of
                        now (by default the app is imported once, in a child process, to
                        compile them into the bundle)
  -h, --help            show this text`;

/** The usage text of `dev`. */
export const DEV_USAGE = `Usage: aio-lambda-api dev <entry> [options]

Serves <entry> on a local HTTP server: each request becomes a Lambda event of the chosen
kind, the exported handler answers it, and the result becomes the HTTP response.
Rebuilds and reloads when a source file of the app changes.

Options:
  --port <number>               the port to listen on; 0 picks a free one (default: 3000)
  --host <address>              the address to listen on (default: 127.0.0.1)
  --event-format <v1|v2|alb|lattice>
                                v1: API Gateway REST (payload 1.0), v2: HTTP API (payload 2.0),
                                alb: Application Load Balancer, multi-value headers,
                                lattice: VPC Lattice, event structure version 2 (default: v2)
  --handler <name>              the exported handler function (default: handler)
  -h, --help                    show this text`;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function checkHandler(handler: string, usage: string): string {
  if (!IDENTIFIER.test(handler)) {
    throw new UsageError(`--handler must be a JavaScript identifier, got ${quote(handler)}`, usage);
  }
  return handler;
}

function oneOf<T extends string>(
  flag: string,
  value: string,
  allowed: readonly T[],
  usage: string,
): T {
  const found = allowed.find((x) => x === value);
  if (found === undefined) {
    throw new UsageError(
      `${flag} must be one of ${allowed.join(", ")}, got ${quote(value)}`,
      usage,
    );
  }
  return found;
}

function parse(
  args: readonly string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  usage: string,
) {
  try {
    return parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    // node:util's messages name the flag ("Unknown option '--x'"); keep them.
    throw new UsageError(error instanceof Error ? error.message : String(error), usage);
  }
}

function entryOf(positionals: readonly string[], command: string, usage: string): string {
  const [entry, ...rest] = positionals;
  if (entry === undefined)
    throw new UsageError(`${command} needs an <entry> file, got none`, usage);
  if (rest.length > 0) {
    throw new UsageError(
      `${command} takes one <entry>, got ${positionals.length}: ${rest.map((value) => quote(value)).join(", ")} too`,
      usage,
    );
  }
  return entry;
}

function targetOf(value: unknown): LambdaNodeTarget {
  if (typeof value !== "string") return DEFAULT_LAMBDA_RUNTIME.target;
  const runtime = lambdaRuntime(value);
  if (runtime === undefined) throw new UsageError(refusedTarget("--target", value), BUNDLE_USAGE);
  return runtime.target;
}

function parseBundle(args: readonly string[]): BundleCommand | HelpCommand {
  const { values, positionals, tokens } = parse(
    args,
    {
      out: { type: "string" },
      handler: { type: "string" },
      format: { type: "string" },
      target: { type: "string" },
      sourcemap: { type: "boolean" },
      minify: { type: "boolean" },
      "no-minify": { type: "boolean" },
      external: { type: "string", multiple: true },
      "bundle-aws-sdk": { type: "boolean" },
      "no-precompile": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    BUNDLE_USAGE,
  );
  if (values.help === true) return { command: "help", text: BUNDLE_USAGE };
  // The last of --minify / --no-minify wins, as with most CLIs.
  let minify = true;
  for (const token of tokens ?? []) {
    if (token.kind === "option" && token.name === "minify") minify = true;
    if (token.kind === "option" && token.name === "no-minify") minify = false;
  }
  const external = (values.external ?? []) as string[];
  for (const pattern of external) {
    if (pattern.trim() === "")
      throw new UsageError(
        `--external needs a module pattern, got ${quote(pattern)}`,
        BUNDLE_USAGE,
      );
  }
  return {
    command: "bundle",
    entry: entryOf(positionals, "bundle", BUNDLE_USAGE),
    out: typeof values.out === "string" ? values.out : "dist/function.zip",
    handler: checkHandler(
      typeof values.handler === "string" ? values.handler : "handler",
      BUNDLE_USAGE,
    ),
    format: oneOf(
      "--format",
      typeof values.format === "string" ? values.format : "esm",
      ["esm", "cjs"],
      BUNDLE_USAGE,
    ),
    target: targetOf(values.target),
    sourcemap: values.sourcemap === true,
    minify,
    external,
    bundleAwsSdk: values["bundle-aws-sdk"] === true,
    precompile: values["no-precompile"] !== true,
  };
}

function parsePort(value: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError(
      `--port must be a whole number from 0 to 65535, got ${quote(value)}`,
      DEV_USAGE,
    );
  }
  return port;
}

function parseDev(args: readonly string[]): DevCommand | HelpCommand {
  const { values, positionals } = parse(
    args,
    {
      port: { type: "string" },
      host: { type: "string" },
      "event-format": { type: "string" },
      handler: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    DEV_USAGE,
  );
  if (values.help === true) return { command: "help", text: DEV_USAGE };
  const host = typeof values.host === "string" ? values.host : "127.0.0.1";
  if (host.trim() === "")
    throw new UsageError(`--host needs an address, got ${quote(host)}`, DEV_USAGE);
  const format = typeof values["event-format"] === "string" ? values["event-format"] : "v2";
  return {
    command: "dev",
    entry: entryOf(positionals, "dev", DEV_USAGE),
    port: parsePort(typeof values.port === "string" ? values.port : "3000"),
    host,
    eventFormat: oneOf("--event-format", format, ["v1", "v2", "alb", "lattice"], DEV_USAGE),
    handler: checkHandler(
      typeof values.handler === "string" ? values.handler : "handler",
      DEV_USAGE,
    ),
  };
}

/**
 * Parses the arguments after the program name into a command.
 * @throws UsageError for an unknown command or flag, a missing entry, or a bad value.
 * @example
 * parseCommandLine(["bundle", "src/app.ts", "--format", "cjs"]).command; // "bundle"
 */
export function parseCommandLine(argv: readonly string[]): Command {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      throw new UsageError("Missing command; expected bundle or dev", MAIN_USAGE);
    case "help":
    case "--help":
    case "-h": {
      const topic = rest[0];
      if (topic === "bundle") return { command: "help", text: BUNDLE_USAGE };
      if (topic === "dev") return { command: "help", text: DEV_USAGE };
      return { command: "help", text: MAIN_USAGE };
    }
    case "--version":
    case "-v":
      return { command: "version" };
    case "bundle":
      return parseBundle(rest);
    case "dev":
      return parseDev(rest);
    default:
      throw new UsageError(`Unknown command ${quote(command)}; expected bundle or dev`, MAIN_USAGE);
  }
}
