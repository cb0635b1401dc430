// The contestants: one app file each under apps/, how it is bundled, and what it answers to an unknown path.

/** One framework (or none) serving the benchmark app. */
export interface Contestant {
  /** Short name, used for file names: `middy`. */
  readonly id: string;
  /** The row label: `@middy/core + http-router`. */
  readonly label: string;
  /** The app file under apps/. */
  readonly app: string;
  /** The packages whose versions the report lists. */
  readonly packages: readonly string[];
  /** `cli`: our own `bundle()`; `esbuild`: esbuild as a user of that framework runs it. */
  readonly bundler: "cli" | "esbuild";
  /** The body answered for an unknown path: each framework's own, checked exactly. */
  readonly notFound: unknown;
  /** The status answered for a body that fails validation. */
  readonly invalidStatus: number;
  /** A floor to read the others against (the bare handler, Powertools Logger alone), not a peer. */
  readonly reference?: true;
}

/** Every contestant, the floor first. Warm rounds alternate this order and its reverse. */
export const CONTESTANTS: readonly Contestant[] = [
  {
    id: "bare",
    label: "bare handler (floor)",
    app: "bare.ts",
    packages: [],
    bundler: "esbuild",
    notFound: { message: "Not Found" },
    invalidStatus: 400,
    reference: true,
  },
  {
    id: "pt-logger",
    label: "Powertools Logger alone (bare + 1 line, floor)",
    app: "powertools-logger.ts",
    packages: ["@aws-lambda-powertools/logger"],
    bundler: "esbuild",
    notFound: { message: "Not Found" },
    invalidStatus: 400,
    reference: true,
  },
  {
    id: "middy",
    label: "@middy/core + http-router",
    app: "middy.ts",
    packages: ["@middy/core", "@middy/http-router"],
    bundler: "esbuild",
    notFound: { message: "Not Found" },
    invalidStatus: 400,
  },
  {
    id: "lambda-api",
    label: "lambda-api",
    app: "lambda-api.ts",
    packages: ["lambda-api"],
    bundler: "esbuild",
    notFound: { error: "Route not found" },
    invalidStatus: 400,
  },
  {
    id: "hono",
    label: "hono (aws-lambda)",
    app: "hono.ts",
    packages: ["hono"],
    bundler: "esbuild",
    notFound: "404 Not Found",
    invalidStatus: 400,
  },
  {
    id: "powertools",
    label: "Powertools event-handler",
    app: "powertools.ts",
    packages: ["@aws-lambda-powertools/event-handler"],
    bundler: "esbuild",
    notFound: {
      statusCode: 404,
      error: "NotFoundError",
      message: "Route /nope/42 for method GET not found",
    },
    invalidStatus: 400,
  },
  {
    id: "aio-log-on",
    label: "aio-lambda-api, access log on",
    app: "aio-log-on.ts",
    packages: ["valibot", "@aws-lambda-powertools/logger", "fast-json-stringify"],
    bundler: "cli",
    notFound: { detail: "Not Found" },
    invalidStatus: 422,
  },
  {
    id: "aio-log-off",
    label: "aio-lambda-api, access log off",
    app: "aio-log-off.ts",
    packages: ["valibot", "fast-json-stringify"],
    bundler: "cli",
    notFound: { detail: "Not Found" },
    invalidStatus: 422,
  },
];

/** The contestant every ratio is taken against. */
export const FLOOR = "bare";
