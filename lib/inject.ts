// inject(api, request): a synthetic event through the whole handler, for users' own tests.

import type { Handler } from "./dispatch.js";
import type { LambdaContext } from "./request.js";

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
   * The event kind to build: `v2` HTTP API payload 2.0, `v1` REST, `alb` ALB (multi-value
   * headers), `lattice` VPC Lattice v2 (values as arrays).
   * @default "v2" (HTTP API payload 2.0)
   */
  format?: "v2" | "v1" | "alb" | "lattice";
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

function fakeContext(): LambdaContext {
  const deadline = Date.now() + 30_000;
  return {
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

function encodeBody(
  body: unknown,
  headers: Record<string, string>,
): { body: string | undefined; isBase64Encoded: boolean } {
  if (body === undefined || body === null) return { body: undefined, isBase64Encoded: false };
  if (typeof body === "string") return { body, isBase64Encoded: false };
  if (body instanceof Uint8Array) {
    return {
      body: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("base64"),
      isBase64Encoded: true,
    };
  }
  headers["content-type"] ??= "application/json";
  return { body: JSON.stringify(body), isBase64Encoded: false };
}

function buildEvent(request: InjectRequest): Record<string, unknown> {
  const method = (request.method ?? "GET").toUpperCase();
  const [rawPath = "/", inlineQuery = ""] = (request.path ?? "/").split("?", 2);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {}))
    headers[name.toLowerCase()] = value;
  const pairs = new URLSearchParams(inlineQuery);
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const one of typeof value === "string" ? [value] : value) pairs.append(name, one);
  }
  const cookies = Object.entries(request.cookies ?? {}).map(
    ([name, value]) => `${name}=${encodeURIComponent(value)}`,
  );
  const { body, isBase64Encoded } = encodeBody(request.body, headers);
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of pairs) (multiQuery[name] ??= []).push(value);
  const format = request.format ?? "v2";
  if (format === "v2") {
    return {
      version: "2.0",
      routeKey: "$default",
      rawPath,
      rawQueryString: pairs.toString(),
      ...(cookies.length > 0 ? { cookies } : {}),
      headers,
      requestContext: {
        accountId: "000000000000",
        apiId: "inject",
        domainName: "inject.execute-api.us-east-1.amazonaws.com",
        http: {
          method,
          path: rawPath,
          protocol: "HTTP/1.1",
          sourceIp: "127.0.0.1",
          userAgent: headers["user-agent"] ?? "",
        },
        requestId: globalThis.crypto.randomUUID(),
        routeKey: "$default",
        stage: "$default",
        timeEpoch: Date.now(),
      },
      ...(body !== undefined ? { body } : {}),
      isBase64Encoded,
    };
  }
  if (cookies.length > 0) headers.cookie = cookies.join("; ");
  const multiHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  if (format === "lattice") {
    return {
      version: "2.0",
      path: rawPath,
      method,
      headers: multiHeaders,
      queryStringParameters: multiQuery,
      ...(body !== undefined ? { body } : {}),
      isBase64Encoded,
      requestContext: {
        serviceNetworkArn:
          "arn:aws:vpc-lattice:us-east-1:000000000000:servicenetwork/sn-0000000000000000",
        serviceArn: "arn:aws:vpc-lattice:us-east-1:000000000000:service/svc-inject",
        targetGroupArn: "arn:aws:vpc-lattice:us-east-1:000000000000:targetgroup/tg-inject",
        identity: {},
        region: "us-east-1",
        timeEpoch: String(Date.now() * 1000),
      },
    };
  }
  const hasQuery = Object.keys(multiQuery).length > 0;
  const singleQuery = Object.fromEntries(
    Object.entries(multiQuery).map(([k, v]) => [k, v[v.length - 1]!]),
  );
  if (format === "alb") {
    const encoded = (s: string) => encodeURIComponent(s);
    return {
      requestContext: {
        elb: {
          targetGroupArn:
            "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/inject/0",
        },
      },
      httpMethod: method,
      path: rawPath,
      multiValueQueryStringParameters: Object.fromEntries(
        Object.entries(multiQuery).map(([k, v]) => [encoded(k), v.map(encoded)]),
      ),
      multiValueHeaders: multiHeaders,
      body: body ?? "",
      isBase64Encoded,
    };
  }
  return {
    resource: "/{proxy+}",
    path: rawPath,
    httpMethod: method,
    headers,
    multiValueHeaders: multiHeaders,
    queryStringParameters: hasQuery ? singleQuery : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      resourceId: "inject",
      resourcePath: "/{proxy+}",
      httpMethod: method,
      path: rawPath,
      stage: "test",
      requestId: globalThis.crypto.randomUUID(),
      identity: { sourceIp: "127.0.0.1" },
    },
    body: body ?? null,
    isBase64Encoded,
  };
}

function readResult(result: unknown): InjectResult {
  const r = (result ?? {}) as Record<string, unknown>;
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  const add = (name: string, value: string) => {
    const lower = name.toLowerCase();
    if (lower === "set-cookie") cookies.push(value);
    else headers[lower] = headers[lower] === undefined ? value : `${headers[lower]}, ${value}`;
  };
  for (const [name, value] of Object.entries((r.headers ?? {}) as Record<string, string>))
    add(name, value);
  for (const [name, values] of Object.entries(
    (r.multiValueHeaders ?? {}) as Record<string, string[]>,
  )) {
    if (r.headers && (r.headers as Record<string, string>)[name] !== undefined) continue;
    for (const value of values) add(name, value);
  }
  if (Array.isArray(r.cookies)) cookies.push(...(r.cookies as string[]));
  const raw = typeof r.body === "string" ? r.body : "";
  const buffer = r.isBase64Encoded === true ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const body = buffer.toString("utf8");
  return {
    status: Number(r.statusCode),
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
  const result = await handler(buildEvent(request), request.context ?? fakeContext());
  return readResult(result);
}
