// The dev server's request side: one real HTTP request → the Lambda event API Gateway or an ALB would send.

import { randomBytes, randomUUID } from "node:crypto";
import {
  encodeBody,
  splitQuery,
  group,
  lastValues,
  splitTarget,
  traceId,
  clfTime,
} from "./dev-wire.js";

export { clfTime, encodeBody, splitQuery } from "./dev-wire.js";

/** The event kinds the dev server can make. */
export type EventFormat = "v1" | "v2" | "alb" | "lattice";

/** An HTTP request as the dev server read it, before it becomes an event. */
export interface HttpRequestData {
  /** The method, upper case. */
  readonly method: string;
  /** The request target as sent: path and query, still percent-encoded (`/items/a%20b?q=1`). */
  readonly target: string;
  /** Header names and values in the order received, names as the client spelled them. */
  readonly headers: readonly (readonly [string, string])[];
  /** The body's exact bytes; empty when there is none. */
  readonly body: Uint8Array;
  /** The client's address. */
  readonly sourceIp: string;
  /** The port the dev server listens on (for `X-Forwarded-Port`). */
  readonly port: number;
  /** When the request arrived, in ms since the epoch. */
  readonly time: number;
}

/** A Lambda event for an HTTP request: a plain JSON-serializable object. */
export type HttpEvent = Record<string, unknown>;

const ACCOUNT_ID = "123456789012";
const API_ID = "localdevapi";
const REST_STAGE = "local";
const TARGET_GROUP_ARN = `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT_ID}:targetgroup/aio-lambda-api-dev/0123456789abcdef`;

/**
 * The headers a gateway adds on its way to Lambda: X-Forwarded-For (appended), -Port, -Proto
 * and X-Amzn-Trace-Id (kept when the client sent one). `titleCase` spells them as REST APIs do.
 */
function withGatewayHeaders(request: HttpRequestData, titleCase: boolean): [string, string][] {
  const out: [string, string][] = [];
  let forwardedFor: string | undefined;
  let trace = false;
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === "x-forwarded-for")
      forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
    else if (lower === "x-forwarded-port" || lower === "x-forwarded-proto") continue;
    else {
      if (lower === "x-amzn-trace-id") trace = true;
      out.push([name, value]);
    }
  }
  const spell = (name: string) => (titleCase ? name : name.toLowerCase());
  if (!trace) out.push([spell("X-Amzn-Trace-Id"), traceId(request.time)]);
  out.push([
    spell("X-Forwarded-For"),
    forwardedFor === undefined ? request.sourceIp : `${forwardedFor}, ${request.sourceIp}`,
  ]);
  out.push([spell("X-Forwarded-Port"), String(request.port)]);
  out.push([spell("X-Forwarded-Proto"), "http"]);
  return out;
}

function headerValue(request: HttpRequestData, name: string): string | undefined {
  for (const [key, value] of request.headers) if (key.toLowerCase() === name) return value;
  return undefined;
}

function domainOf(request: HttpRequestData): string {
  return headerValue(request, "host") ?? `127.0.0.1:${request.port}`;
}

/**
 * API Gateway REST API proxy event (payload 1.0): headers in the client's case, `headers` with the
 * last value of a repeated name and `multiValueHeaders` with all of them, the same for the decoded
 * query (both `null` when there is none), `path` without the stage and `requestContext.path` with
 * it, `body` null when empty.
 */
export function restEvent(request: HttpRequestData): HttpEvent {
  const { path, query } = splitTarget(request.target);
  const headers = withGatewayHeaders(request, true);
  const multiValueHeaders = group(headers, (name) => name);
  const multiQuery = group(splitQuery(query, true), (name) => name);
  const hasQuery = Object.keys(multiQuery).length > 0;
  const resource = path === "/" ? "/" : "/{proxy+}";
  const body =
    request.body.byteLength === 0
      ? undefined
      : encodeBody(request.body, headerValue(request, "content-type"));
  return {
    resource,
    path,
    httpMethod: request.method,
    headers: lastValues(multiValueHeaders),
    multiValueHeaders,
    queryStringParameters: hasQuery ? lastValues(multiQuery) : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: path === "/" ? null : { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      resourceId: "local0",
      resourcePath: resource,
      httpMethod: request.method,
      extendedRequestId: randomBytes(12).toString("base64"),
      requestTime: clfTime(request.time),
      path: `/${REST_STAGE}${path}`,
      accountId: ACCOUNT_ID,
      protocol: "HTTP/1.1",
      stage: REST_STAGE,
      domainPrefix: domainOf(request).split(".")[0],
      requestTimeEpoch: request.time,
      requestId: randomUUID(),
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: request.sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: headerValue(request, "user-agent") ?? null,
        user: null,
      },
      domainName: domainOf(request),
      deploymentId: "local0",
      apiId: API_ID,
    },
    body: body?.body ?? null,
    isBase64Encoded: body?.isBase64Encoded ?? false,
  };
}

/**
 * API Gateway HTTP API event (payload 2.0) on the `$default` route and stage: lower-case header
 * names with repeated values comma-joined, cookies moved from the `cookie` header to `cookies`,
 * `rawQueryString` as sent and decoded comma-joined `queryStringParameters`; keys with nothing in
 * them are left out, as real HTTP APIs do.
 */
export function httpApiEvent(request: HttpRequestData): HttpEvent {
  const { path, query } = splitTarget(request.target);
  const cookies: string[] = [];
  const kept: [string, string][] = [];
  for (const [name, value] of withGatewayHeaders(request, false)) {
    if (name.toLowerCase() === "cookie") {
      cookies.push(
        ...value
          .split(";")
          .map((x) => x.trim())
          .filter((x) => x !== ""),
      );
    } else kept.push([name, value]);
  }
  const headers = Object.fromEntries(
    Object.entries(group(kept, (name) => name.toLowerCase())).map(([k, v]) => [k, v.join(",")]),
  );
  const queryParameters = Object.entries(group(splitQuery(query, true), (name) => name)).map(
    ([k, v]) => [k, v.join(",")],
  );
  const body =
    request.body.byteLength === 0 ? undefined : encodeBody(request.body, headers["content-type"]);
  const domainName = domainOf(request);
  const requestId = randomBytes(12).toString("base64").replace(/[+/]/g, "A");
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: query,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryParameters.length > 0
      ? { queryStringParameters: Object.fromEntries(queryParameters) }
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
      requestId,
      routeKey: "$default",
      stage: "$default",
      time: clfTime(request.time),
      timeEpoch: request.time,
    },
    ...(body === undefined ? {} : { body: body.body }),
    isBase64Encoded: body?.isBase64Encoded ?? false,
  };
}

/**
 * Application Load Balancer event in multi-value headers mode: lower-case `multiValueHeaders`,
 * `multiValueQueryStringParameters` still percent-encoded as ALB sends them (`{}` when none),
 * `body` an empty string when there is none.
 */
export function albEvent(request: HttpRequestData): HttpEvent {
  const { path, query } = splitTarget(request.target);
  const multiValueHeaders = group(withGatewayHeaders(request, false), (name) => name.toLowerCase());
  const body =
    request.body.byteLength === 0
      ? undefined
      : encodeBody(request.body, multiValueHeaders["content-type"]?.[0]);
  return {
    requestContext: { elb: { targetGroupArn: TARGET_GROUP_ARN } },
    httpMethod: request.method,
    path,
    multiValueQueryStringParameters: group(splitQuery(query, false), (name) => name),
    multiValueHeaders,
    body: body?.body ?? "",
    isBase64Encoded: body?.isBase64Encoded ?? false,
  };
}

/**
 * VPC Lattice event, structure version 2: `path` with the query in `queryStringParameters`,
 * lower-case header names, header and query values as arrays (decoded), `body` left out when
 * there is none, `timeEpoch` a string in microseconds, as Lattice sends them.
 */
export function latticeEvent(request: HttpRequestData): HttpEvent {
  const { path, query } = splitTarget(request.target);
  const headers = group(withGatewayHeaders(request, false), (name) => name.toLowerCase());
  const body =
    request.body.byteLength === 0
      ? undefined
      : encodeBody(request.body, headers["content-type"]?.[0]);
  return {
    version: "2.0",
    path,
    method: request.method,
    headers,
    queryStringParameters: group(splitQuery(query, true), (name) => name),
    ...(body === undefined ? {} : { body: body.body }),
    isBase64Encoded: body?.isBase64Encoded ?? false,
    requestContext: {
      serviceNetworkArn: `arn:aws:vpc-lattice:us-east-1:${ACCOUNT_ID}:servicenetwork/sn-0123456789abcdef0`,
      serviceArn: `arn:aws:vpc-lattice:us-east-1:${ACCOUNT_ID}:service/svc-0123456789abcdef0`,
      targetGroupArn: `arn:aws:vpc-lattice:us-east-1:${ACCOUNT_ID}:targetgroup/tg-0123456789abcdef0`,
      identity: { sourceVpcArn: `arn:aws:ec2:us-east-1:${ACCOUNT_ID}:vpc/vpc-0123456789abcdef0` },
      region: "us-east-1",
      timeEpoch: String(request.time * 1000),
    },
  };
}

/** The event of `format` for `request`. */
export function toEvent(request: HttpRequestData, format: EventFormat): HttpEvent {
  switch (format) {
    case "v1":
      return restEvent(request);
    case "v2":
      return httpApiEvent(request);
    case "alb":
      return albEvent(request);
    case "lattice":
      return latticeEvent(request);
  }
}
