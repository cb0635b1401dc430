// inject(api, request): a synthetic event through the whole handler, for users' own tests.

import type { Handler } from "./dispatch.js";
import { type EventFormat, type SyntheticRequest, syntheticEvent } from "./events/synthetic.js";
import { readResult } from "./events/synthetic-result.js";
import type { LambdaContext, LambdaRuntimeContext } from "./request.js";

/** A synthetic request for `inject(api, request)`. */
export interface InjectRequest {
  /** @default "GET" */
  method?: string;
  /** The path, with an optional `?query`. @default "/" */
  path?: string;
  /** Query values; arrays repeat the key. */
  query?: Readonly<Record<string, string | readonly string[]>>;
  headers?: Readonly<Record<string, string>>;
  cookies?: Readonly<Record<string, string>>;
  /** A string or bytes as is; anything else is sent as JSON. */
  body?: unknown;
  /**
   * The event kind to build: `v2` HTTP API payload 2.0 (the path decoded once, as HTTP APIs
   * deliver it), `v1` REST, `alb` ALB (multi-value headers), `lattice` VPC Lattice v2 (values as
   * arrays); all but `v2` keep the path percent-encoded.
   * @default "v2" (HTTP API payload 2.0)
   */
  format?: EventFormat;
  /** The Lambda context to pass (a fake one with 30 s remaining by default). */
  context?: LambdaContext;
}

/** What `inject(api, request)` resolves to. */
export interface InjectResult {
  status: number;
  /** Lowercase names; repeated values joined with `, ` (`set-cookie` lines in `cookies`). */
  headers: Record<string, string>;
  /** `Set-Cookie` lines. */
  cookies: string[];
  /** The body as text (bytes decoded as UTF-8). */
  body: string;
  /** The body's exact bytes. */
  bytes: Uint8Array;
  /** The raw Lambda result. */
  result: unknown;
  /** The body parsed as JSON. */
  json<T = unknown>(): T;
}

/** A complete Lambda context for synthetic invocations: 30 s to run, made-up names. */
export function fakeContext(): LambdaRuntimeContext {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    awsRequestId: globalThis.crypto.randomUUID(),
    functionName: "inject",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:inject",
    memoryLimitInMB: "128",
    logGroupName: "/aws/lambda/inject",
    logStreamName: "inject",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

function eventBody(
  body: unknown,
  headers: [string, string][],
): { body: string; isBase64Encoded: boolean } | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return { body, isBase64Encoded: false };
  if (body instanceof Uint8Array) {
    const base64 = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("base64");
    return { body: base64, isBase64Encoded: true };
  }
  if (!headers.some(([name]) => name === "content-type"))
    headers.push(["content-type", "application/json"]);
  return { body: JSON.stringify(body), isBase64Encoded: false };
}

/** `request` as the client of a gateway would send it: lower-case headers, cookies in `cookie`. */
function toSynthetic(request: InjectRequest): SyntheticRequest {
  const [path = "/", inlineQuery = ""] = (request.path ?? "/").split("?", 2);
  const headers: [string, string][] = Object.entries(request.headers ?? {}).map(([name, value]) => [
    name.toLowerCase(),
    value,
  ]);
  const pairs = new URLSearchParams(inlineQuery);
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const one of typeof value === "string" ? [value] : value) pairs.append(name, one);
  }
  const cookies = Object.entries(request.cookies ?? {}).map(
    ([name, value]) => `${name}=${encodeURIComponent(value)}`,
  );
  if (cookies.length > 0) headers.push(["cookie", cookies.join("; ")]);
  return {
    method: (request.method ?? "GET").toUpperCase(),
    path,
    query: pairs.toString(),
    headers,
    body: eventBody(request.body, headers),
    sourceIp: "127.0.0.1",
    time: Date.now(),
  };
}

function toResult(result: unknown, format: EventFormat): InjectResult {
  const answer = readResult(result, format);
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of answer.headers) {
    const lower = name.toLowerCase();
    if (lower === "set-cookie") cookies.push(value);
    else headers[lower] = headers[lower] === undefined ? value : `${headers[lower]}, ${value}`;
  }
  const bytes = answer.body;
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  return {
    status: answer.status,
    headers,
    cookies,
    body,
    bytes,
    result,
    json: <T>() => JSON.parse(body) as T,
  };
}

/**
 * Runs a synthetic request through an Api's whole pipeline and reads the result: how you test an
 * Api without AWS. The event is an HTTP API payload 2.0 event unless `format` says otherwise.
 * @example
 * import { inject } from "aio-lambda-api/testing";
 * const res = await inject(api, { method: "POST", path: "/items", body: { name: "a", price: 1 } });
 * assert.equal(res.status, 201);
 */
export async function inject(
  api: { readonly handler: Handler },
  request: InjectRequest = {},
): Promise<InjectResult> {
  const handler = api?.handler;
  if (typeof handler !== "function") {
    throw new TypeError("inject: the first argument must be an Api made by createApi()");
  }
  const format = request.format ?? "v2";
  const event = syntheticEvent(toSynthetic(request), format);
  return toResult(await handler(event, request.context ?? fakeContext()), format);
}
