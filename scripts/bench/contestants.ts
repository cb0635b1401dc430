// The contestants: one app file each under apps/, how it is bundled, and the pairs the targets compare.

/**
 * How a contestant is bundled: `esbuild` as CDK NodejsFunction, SAM and serverless-esbuild run
 * it (bundle, minify, platform node, target node20, no plugins); `plugin` the same with our
 * esbuild plugin (aio-lambda-api/esbuild); `cli` our own `bundle()` (lib/cli/bundle.ts), ESM.
 */
export type Bundler = "esbuild" | "plugin" | "cli";

/** One framework (or none) serving the benchmark app, bundled one way. */
export interface Contestant {
  /** Short name, used for file names: `middy-cjs`. */
  readonly id: string;
  /** The app's name in rows: `@middy/core + http-router`. */
  readonly app: string;
  /** The row label: the app and how it was bundled. */
  readonly label: string;
  /** The app file under apps/. */
  readonly file: string;
  /** The packages whose versions the report lists. */
  readonly packages: readonly string[];
  readonly bundler: Bundler;
  readonly format: "esm" | "cjs";
  /** The body answered for an unknown path: each framework's own, checked exactly. */
  readonly notFound: unknown;
  /** The status answered for a body that fails validation. */
  readonly invalidStatus: number;
  /** A floor to read the others against (the bare handler, Powertools Logger alone), not a peer. */
  readonly reference?: true;
  /** A peer shown for context, outside the targets: left out of `--quick` runs. */
  readonly context?: true;
  /** One of ours: the bundle is checked for what the minimal app must not carry. */
  readonly ours?: true;
}

type App = Omit<Contestant, "id" | "label" | "bundler" | "format"> & { readonly base: string };

const MIDDY_404 = { message: "Not Found" };
const OUR_404 = { detail: "Not Found" };

const APPS = {
  bare: {
    base: "bare",
    app: "bare handler (floor)",
    file: "bare.ts",
    packages: [],
    notFound: MIDDY_404,
    invalidStatus: 400,
    reference: true,
  },
  ptLogger: {
    base: "pt-logger",
    app: "Powertools Logger alone (bare + 1 line, floor)",
    file: "powertools-logger.ts",
    packages: ["@aws-lambda-powertools/logger"],
    notFound: MIDDY_404,
    invalidStatus: 400,
    reference: true,
  },
  middy: {
    base: "middy",
    app: "middy + http-router",
    file: "middy.ts",
    packages: ["@middy/core", "@middy/http-router"],
    notFound: MIDDY_404,
    invalidStatus: 400,
  },
  middyLog: {
    base: "middy-log",
    app: "middy + http-router + Powertools Logger",
    file: "middy-logger.ts",
    packages: ["@middy/core", "@middy/http-router", "@aws-lambda-powertools/logger"],
    notFound: MIDDY_404,
    invalidStatus: 400,
  },
  aioOff: {
    base: "aio-off",
    app: "aio-lambda-api, access log off",
    file: "aio-min-off.ts",
    packages: [],
    notFound: OUR_404,
    invalidStatus: 400,
    ours: true,
  },
  aioOn: {
    base: "aio-on",
    app: "aio-lambda-api, access log on",
    file: "aio-min-on.ts",
    packages: ["@aws-lambda-powertools/logger"],
    notFound: OUR_404,
    invalidStatus: 400,
    ours: true,
  },
  aioSchemas: {
    base: "aio-schemas",
    app: "aio-lambda-api, valibot schemas, log on",
    file: "aio-log-on.ts",
    packages: ["valibot", "fast-json-stringify", "@aws-lambda-powertools/logger"],
    notFound: OUR_404,
    invalidStatus: 422,
    ours: true,
  },
  lambdaApi: {
    base: "lambda-api",
    app: "lambda-api",
    file: "lambda-api.ts",
    packages: ["lambda-api"],
    notFound: { error: "Route not found" },
    invalidStatus: 400,
    context: true,
  },
  hono: {
    base: "hono",
    app: "hono (aws-lambda)",
    file: "hono.ts",
    packages: ["hono"],
    notFound: "404 Not Found",
    invalidStatus: 400,
    context: true,
  },
  powertools: {
    base: "powertools",
    app: "Powertools event-handler",
    file: "powertools.ts",
    packages: ["@aws-lambda-powertools/event-handler"],
    notFound: {
      statusCode: 404,
      error: "NotFoundError",
      message: "Route /nope/42 for method GET not found",
    },
    invalidStatus: 400,
    context: true,
  },
} as const satisfies Record<string, App>;

/** How a row names its bundling: `esbuild cjs`, `esbuild + plugin esm`, `bundle (esm)`. */
export function howBundled(c: Pick<Contestant, "bundler" | "format">): string {
  if (c.bundler === "cli") return "aio-lambda-api bundle";
  return `${c.bundler === "plugin" ? "esbuild + our plugin" : "esbuild"} ${c.format}`;
}

function variant(app: App, bundler: Bundler, format: "esm" | "cjs"): Contestant {
  const { base, ...rest } = app;
  const suffix = bundler === "cli" ? "cli" : bundler === "plugin" ? `plugin-${format}` : format;
  const c = { ...rest, id: `${base}-${suffix}`, bundler, format, label: "" };
  return { ...c, label: `${app.app} · ${howBundled(c)}` };
}

const plain = (app: App) => [variant(app, "esbuild", "cjs"), variant(app, "esbuild", "esm")];

/** Every contestant, the floor first. Warm rounds alternate this order and its reverse. */
export const CONTESTANTS: readonly Contestant[] = [
  variant(APPS.bare, "esbuild", "esm"),
  variant(APPS.ptLogger, "esbuild", "esm"),
  ...plain(APPS.middy),
  ...plain(APPS.aioOff),
  variant(APPS.aioOff, "cli", "esm"),
  ...plain(APPS.middyLog),
  ...plain(APPS.aioOn),
  variant(APPS.aioOn, "cli", "esm"),
  variant(APPS.aioSchemas, "cli", "esm"),
  variant(APPS.aioSchemas, "plugin", "cjs"),
  variant(APPS.aioSchemas, "plugin", "esm"),
  ...plain(APPS.aioSchemas),
  variant(APPS.lambdaApi, "esbuild", "esm"),
  variant(APPS.hono, "esbuild", "esm"),
  variant(APPS.powertools, "esbuild", "esm"),
];

/** The contestant every warm ratio to the floor is taken against. */
export const FLOOR = "bare-esm";

/** A target pair: our app against the peer that does the same work, each bundled alike. */
export interface Pair {
  readonly name: string;
  /** Our contestants' id without the bundling suffix (`aio-off`). */
  readonly ours: string;
  /** The peer's id without the bundling suffix (`middy`). */
  readonly peer: string;
  /** The gzip goal: `besides` = at most `kb` kB besides Powertools' own code; `over` = at most the peer's + `kb`. */
  readonly bundleGoal: { readonly kind: "besides" | "over"; readonly bytes: number };
}

/** The two pairs of the targets. */
export const PAIRS: readonly Pair[] = [
  {
    name: "log off",
    ours: "aio-off",
    peer: "middy",
    bundleGoal: { kind: "besides", bytes: 10_000 },
  },
  {
    name: "access log on",
    ours: "aio-on",
    peer: "middy-log",
    bundleGoal: { kind: "over", bytes: 3_000 },
  },
];

/** The bundlings each pair is compared in: ours, and the peer's bundle it is set against. */
export const PAIRINGS: readonly { readonly ours: string; readonly peer: string }[] = [
  { ours: "cjs", peer: "cjs" },
  { ours: "esm", peer: "esm" },
  // `bundle` writes ESM: set against the peer's ESM bundle.
  { ours: "cli", peer: "esm" },
];

/** The contestants a run measures: all, or without the context peers for `--quick`. */
export function selected(quick: boolean): readonly Contestant[] {
  return quick ? CONTESTANTS.filter((c) => !c.context) : CONTESTANTS;
}
