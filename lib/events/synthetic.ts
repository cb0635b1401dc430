// Synthetic events: a request described as method, path, query, headers and body → the event a gateway would send (inject and the dev server).

import { decodeQueryPart } from "../util/headers.js";

/** The event kinds a synthetic request can become. */
export type EventFormat = "v2" | "v1" | "alb" | "lattice";

/** A request as a client sent it, before a gateway turns it into an event. */
export interface SyntheticRequest {
  /** The method, upper case. */
  readonly method: string;
  /** The path as sent, still percent-encoded (`/items/a%20b`). */
  readonly path: string;
  /** The query string as sent, without the `?`; `""` when there is none. */
  readonly query: string;
  /** Header lines in order, names as spelled; cookies travel in `cookie` lines. */
  readonly headers: readonly (readonly [string, string])[];
  /** The body as the event carries it; absent when there is none. */
  readonly body?: { readonly body: string; readonly isBase64Encoded: boolean } | undefined;
  /** The client's address. */
  readonly sourceIp: string;
  /** When the request arrived, in ms since the epoch. */
  readonly time: number;
  /** The gateway's domain name. @default the `host` header, else `localhost` */
  readonly domainName?: string | undefined;
}

/** A Lambda event for an HTTP request: a plain JSON-serializable object. */
export type HttpEvent = Record<string, unknown>;

const ACCOUNT_ID = "123456789012";
const API_ID = "localdevapi";
const REST_STAGE = "local";
const ARN = `us-east-1:${ACCOUNT_ID}`;
// The identity keys a REST API sends as null for an unauthenticated caller.
const NULL_IDENTITY = [
  "cognitoIdentityPoolId",
  "accountId",
  "cognitoIdentityId",
  "caller",
  "principalOrgId",
  "accessKey",
  "cognitoAuthenticationType",
  "cognitoAuthenticationProvider",
  "userArn",
  "user",
];

/** Splits a query string into `[name, value]` pairs in order; `decode` decodes `+` and `%XX`. */
export function splitQuery(raw: string, decode: boolean): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const at = part.indexOf("=");
    const name = at === -1 ? part : part.slice(0, at);
    const value = at === -1 ? "" : part.slice(at + 1);
    pairs.push(decode ? [decodeQueryPart(name), decodeQueryPart(value)] : [name, value]);
  }
  return pairs;
}

/**
 * Decodes a path once, as HTTP APIs do before Lambda sees it. A run of escapes that is not
 * valid percent-encoded UTF-8 (`%zz`, a lone `%`, `%E0%A4%A`) stays as sent: API Gateway
 * refuses such a request, and keeping it lets the route be tried rather than failing here.
 */
export function decodePath(path: string): string {
  return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function group(
  pairs: readonly (readonly [string, string])[],
  key: (name: string) => string = (name) => name.toLowerCase(),
): Record<string, string[]> {
  // No prototype while filling, so a header named `__proto__` is a key like any other.
  const out: Record<string, string[]> = Object.create(null);
  for (const [name, value] of pairs) {
    const k = key(name);
    const list = out[k];
    if (list) list.push(value);
    else out[k] = [value];
  }
  return { ...out };
}

function lastValues(multi: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(multi).map(([k, v]) => [k, v[v.length - 1] ?? ""]));
}

function header(request: SyntheticRequest, name: string): string | undefined {
  for (const [key, value] of request.headers) if (key.toLowerCase() === name) return value;
  return undefined;
}

function restEvent(request: SyntheticRequest, domainName: string, id: string): HttpEvent {
  const { method, path } = request;
  const multiValueHeaders = group(request.headers, (name) => name);
  const multiQuery = group(splitQuery(request.query, true), (name) => name);
  const hasQuery = Object.keys(multiQuery).length > 0;
  const resource = path === "/" ? "/" : "/{proxy+}";
  return {
    resource,
    path,
    httpMethod: method,
    headers: lastValues(multiValueHeaders),
    multiValueHeaders,
    queryStringParameters: hasQuery ? lastValues(multiQuery) : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: path === "/" ? null : { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      resourceId: "local0",
      resourcePath: resource,
      httpMethod: method,
      extendedRequestId: id.replaceAll("-", "").slice(16),
      requestTime: clfTime(request.time),
      path: `/${REST_STAGE}${path}`,
      accountId: ACCOUNT_ID,
      protocol: "HTTP/1.1",
      stage: REST_STAGE,
      domainPrefix: domainName.split(".")[0],
      requestTimeEpoch: request.time,
      requestId: id,
      identity: {
        ...Object.fromEntries(NULL_IDENTITY.map((key) => [key, null])),
        sourceIp: request.sourceIp,
        userAgent: header(request, "user-agent") ?? null,
      },
      domainName,
      deploymentId: "local0",
      apiId: API_ID,
    },
    body: request.body?.body ?? null,
    isBase64Encoded: request.body?.isBase64Encoded ?? false,
  };
}

function httpApiEvent(request: SyntheticRequest, domainName: string, id: string): HttpEvent {
  // HTTP APIs hand Lambda the path decoded (docs/guide.md, "Paths as each source delivers them").
  const path = decodePath(request.path);
  const cookies: string[] = [];
  const kept: [string, string][] = [];
  for (const [name, value] of request.headers) {
    if (name.toLowerCase() !== "cookie") kept.push([name, value]);
    else cookies.push(...value.split(";").flatMap((x) => (x.trim() === "" ? [] : [x.trim()])));
  }
  const headers = Object.fromEntries(Object.entries(group(kept)).map(([k, v]) => [k, v.join(",")]));
  const query = Object.entries(group(splitQuery(request.query, true), (name) => name));
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: request.query,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(query.length > 0
      ? { queryStringParameters: Object.fromEntries(query.map(([k, v]) => [k, v.join(",")])) }
      : {}),
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: API_ID,
      domainName,
      domainPrefix: domainName.split(".")[0],
      http: {
        method: request.method,
        path,
        protocol: "HTTP/1.1",
        sourceIp: request.sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: id.replaceAll("-", "").slice(0, 16),
      routeKey: "$default",
      stage: "$default",
      time: clfTime(request.time),
      timeEpoch: request.time,
    },
    ...(request.body === undefined ? {} : { body: request.body.body }),
    isBase64Encoded: request.body?.isBase64Encoded ?? false,
  };
}

/**
 * The event of `format` for `request`, shaped like real captures of each kind:
 * - `v2`, an HTTP API payload 2.0 event on the `$default` route and stage: the path decoded once
 *   (see `decodePath`), `rawQueryString` as sent, lower-case headers with repeats comma-joined,
 *   cookies moved from `cookie` headers to `cookies`, empty keys left out;
 * - `v1`, a REST API event on stage `local`: header names as spelled, `headers` with the last
 *   value and `multiValueHeaders` with all, the decoded query likewise (`null` when none);
 * - `alb`, an ALB event in multi-value mode, the query still percent-encoded as ALB sends it;
 * - `lattice`, a VPC Lattice v2 event: header and decoded query values as arrays.
 * All but `v2` keep the path percent-encoded, as those services deliver it.
 */
export function syntheticEvent(request: SyntheticRequest, format: EventFormat): HttpEvent {
  const domainName = request.domainName ?? header(request, "host") ?? "localhost";
  const id = globalThis.crypto.randomUUID();
  if (format === "v1") return restEvent(request, domainName, id);
  if (format === "v2") return httpApiEvent(request, domainName, id);
  const { method, path, body } = request;
  const headers = group(request.headers);
  const isBase64Encoded = body?.isBase64Encoded ?? false;
  if (format === "alb") {
    return {
      requestContext: {
        elb: {
          targetGroupArn: `arn:aws:elasticloadbalancing:${ARN}:targetgroup/aio-lambda-api-dev/0123456789abcdef`,
        },
      },
      httpMethod: method,
      path,
      multiValueQueryStringParameters: group(splitQuery(request.query, false), (name) => name),
      multiValueHeaders: headers,
      body: body?.body ?? "",
      isBase64Encoded,
    };
  }
  return {
    version: "2.0",
    path,
    method,
    headers,
    queryStringParameters: group(splitQuery(request.query, true), (name) => name),
    ...(body === undefined ? {} : { body: body.body }),
    isBase64Encoded,
    requestContext: {
      serviceNetworkArn: `arn:aws:vpc-lattice:${ARN}:servicenetwork/sn-0123456789abcdef0`,
      serviceArn: `arn:aws:vpc-lattice:${ARN}:service/svc-0123456789abcdef0`,
      targetGroupArn: `arn:aws:vpc-lattice:${ARN}:targetgroup/tg-0123456789abcdef0`,
      identity: { sourceVpcArn: `arn:aws:ec2:${ARN}:vpc/vpc-0123456789abcdef0` },
      region: "us-east-1",
      timeEpoch: String(request.time * 1000),
    },
  };
}

/** `25/Nov/2026:01:30:54 +0000`, the format of `requestContext.requestTime` and `time`. */
export function clfTime(time: number): string {
  const d = new Date(time);
  const month = d.toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
