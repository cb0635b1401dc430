// Which export the dev server calls, and how: Lambda's `awslambda` global, streaming handlers, and exports that are not handlers.

/** The runtime's mark on a handler made with `awslambda.streamifyResponse`. */
const STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");

/** The content type that says a JSON prelude and a delimiter come before the body. */
export const PRELUDE_TYPE = "application/vnd.awslambda.http-integration-response";

/** The delimiter between the prelude and the body: 8 NUL bytes. */
export const DELIMITER_LENGTH = 8;

/** The `awslambda` global of Lambda's Node.js runtime, as much of it as handlers use. */
interface RuntimeGlobal {
  streamifyResponse(handler: object, options?: unknown): object;
  HttpResponseStream: {
    from(
      stream: { setContentType(type: string): void; write(chunk: string | Uint8Array): unknown },
      prelude: object,
    ): unknown;
  };
}

// What Lambda's runtime (and aws-lambda-ric) defines before it imports the handler's module.
const runtimeGlobal: RuntimeGlobal = {
  streamifyResponse(handler) {
    (handler as Record<symbol, unknown>)[STREAMING] = "response";
    return handler;
  },
  HttpResponseStream: {
    from(stream, prelude) {
      stream.setContentType(PRELUDE_TYPE);
      stream.write(JSON.stringify(prelude));
      stream.write(new Uint8Array(DELIMITER_LENGTH));
      return stream;
    },
  },
};

let users = 0;
let installed = false;

/**
 * Defines `globalThis.awslambda` (`streamifyResponse`, `HttpResponseStream.from`) as Lambda's
 * runtime does before it loads the app, unless something defined it already. Call before the
 * app is imported; the function it returns removes the global once no dev server needs it.
 */
export function useRuntimeGlobal(): () => void {
  const scope = globalThis as { awslambda?: unknown };
  if (users === 0 && scope.awslambda === undefined) {
    scope.awslambda = runtimeGlobal;
    installed = true;
  }
  users += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    users -= 1;
    if (users > 0 || !installed) return;
    installed = false;
    if (scope.awslambda === runtimeGlobal) delete scope.awslambda;
  };
}

/**
 * Whether Lambda would call `handler` as a streaming handler: it carries the mark of
 * `awslambda.streamifyResponse` (the library's streaming handler carries it also where the
 * global is missing).
 */
export function isStreamingHandler(handler: object): boolean {
  return (handler as Record<symbol, unknown>)[STREAMING] === "response";
}

/** What a non-handler export is, for the message that refuses it: `an Api`, `a number (42)`. */
function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    const api = value as { handler?: unknown; routes?: unknown };
    return typeof api.handler === "function" && Array.isArray(api.routes) ? "an Api" : "an object";
  }
  if (typeof value === "string") {
    const cut = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `a string (${JSON.stringify(cut)})`;
  }
  return value === undefined ? "undefined" : `a ${typeof value} (${String(value)})`;
}

/**
 * Why `name` cannot be the handler (missing, or not a function: what it is instead), and the
 * exports that could be (the functions, streaming ones marked): the message and details of
 * the error that refuses it.
 */
export function notAHandler(
  entry: string,
  name: string,
  module: Readonly<Record<string, unknown>>,
): { message: string; details: string } {
  const quoted = JSON.stringify(name);
  const handlers = Object.entries(module)
    .filter(
      (pair): pair is [string, (...args: never[]) => unknown] => typeof pair[1] === "function",
    )
    .map(([key, fn]) => `${JSON.stringify(key)}${isStreamingHandler(fn) ? " (streaming)" : ""}`);
  const others = Object.keys(module).map((key) => JSON.stringify(key));
  const found =
    handlers.length > 0
      ? `the handlers it exports: ${handlers.join(", ")}`
      : `it exports no function (its exports: ${others.join(", ") || "none"})`;
  const value = module[name];
  if (!(name in module)) {
    return {
      message: `${entry} has no export named ${quoted}`,
      details: `expected the name of an exported handler function (set with --handler); ${found}\n`,
    };
  }
  const what = describeValue(value);
  const hint =
    what === "an Api"
      ? `export its handler (export const handler = ${name}.handler, or a streaming handler made from it) and pass that name with --handler; `
      : "expected a handler function (set with --handler); ";
  return {
    message: `${entry} exports ${quoted} as ${what}, not a handler function`,
    details: `${hint}${found}\n`,
  };
}
