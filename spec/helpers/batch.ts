// Batch events for tests: the real SQS, SNS and Amazon MQ samples as envelopes around request bodies.
//
// No public sample holds a record whose body is an API Gateway request (fixtures README, "Left
// out"), so each builder takes a real sample, keeps its first record (or message) as the
// template, and makes one record per body, each with its own id.

import * as v from "valibot";
import { type ApiOptions, createApi, type RouteInput } from "../../lib/api.js";
import { batchHandler } from "../../lib/batch/index.js";
import { HTTPException } from "../../lib/errors.js";
import { fakeContext, fixture, fixtures, HTTP_KINDS, type Json } from "./fixtures.js";
import { type CapturedLogs, captureLogs } from "./log.js";

/** One HTTP-kind fixture. */
export interface HttpSample {
  readonly kind: (typeof HTTP_KINDS)[number];
  readonly name: string;
  readonly event: Json;
}

/** Every fixture of every HTTP kind (REST, HTTP API, Function URL, ALB), fresh copies. */
export function httpSamples(): HttpSample[] {
  return HTTP_KINDS.flatMap((kind) =>
    fixtures(kind).map(({ name, event }) => ({ kind, name, event })),
  );
}

/** The fixture each HTTP kind's {@link requestTo} starts from. */
const BASE: Readonly<Record<HttpSample["kind"], string>> = {
  "apigw-rest": "powertools-ts-real-no-auth",
  "apigw-http": "go-v2-no-authorizer",
  "function-url": "go-real-get-root",
  alb: "powertools-py-single-value",
};

/**
 * A real fixture of `kind` sent to `method path` instead: its own headers, context and quirks
 * kept, only the method and path (and the body, when given) changed.
 */
export function requestTo(
  kind: HttpSample["kind"],
  method: string,
  path: string,
  body?: string,
): Json {
  const event = fixture(kind, BASE[kind]);
  if (kind === "apigw-rest" || kind === "alb") {
    event.httpMethod = method;
    event.path = path;
  } else {
    const http = (event.requestContext as Json).http as Json;
    event.rawPath = path;
    http.method = method;
    http.path = path;
  }
  if (body !== undefined) event.body = body;
  return event;
}

/** Base64 of a text's UTF-8 bytes, as MQ carries message data. */
export const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/** The first record of a fixture's `Records`. */
function firstRecord(kind: "sqs" | "sns", name: string): Json {
  const records = fixture(kind, name).Records as Json[];
  return records[0]!;
}

/**
 * An SQS event from a real sample: one record per body, the template's fields kept, each
 * `messageId` made unique (`<id>.<index>`).
 */
export function sqsEvent(envelope: string, bodies: readonly string[]): Json {
  const template = firstRecord("sqs", envelope);
  return {
    Records: bodies.map((body, index) => ({
      ...structuredClone(template),
      messageId: `${String(template.messageId)}.${index}`,
      body,
    })),
  };
}

/** An SNS event from a real sample: one record per message, `Sns.MessageId` made unique. */
export function snsEvent(envelope: string, messages: readonly string[]): Json {
  const template = firstRecord("sns", envelope);
  const sns = template.Sns as Json;
  return {
    Records: messages.map((message, index) => ({
      ...structuredClone(template),
      Sns: {
        ...structuredClone(sns),
        MessageId: `${String(sns.MessageId)}.${index}`,
        Message: message,
      },
    })),
  };
}

/**
 * An Amazon MQ event from a real sample, each text base64-encoded into `data`. ActiveMQ samples
 * get unique `messageID`s; RabbitMQ messages keep the sample's queue and null `messageId`
 * unless `ids` is set.
 */
export function mqEvent(
  envelope: string,
  texts: readonly string[],
  options: { ids?: boolean } = {},
): Json {
  const event = fixture("mq", envelope);
  const encoded = texts.map(base64);
  if (Array.isArray(event.messages)) {
    const template = event.messages[0] as Json;
    event.messages = encoded.map((data, index) => ({
      ...structuredClone(template),
      messageID: `${String(template.messageID)}.${index}`,
      data,
    }));
    return event;
  }
  const queues = event.rmqMessagesByQueue as Record<string, Json[]>;
  const queue = Object.keys(queues)[0]!;
  const template = queues[queue]![0]!;
  queues[queue] = encoded.map((data, index) => {
    const message = structuredClone(template);
    message.data = data;
    if (options.ids) (message.basicProperties as Json).messageId = `rmq-${index}`;
    return message;
  });
  return event;
}

/** What a route saw of one request. */
export interface Seen {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, readonly string[]>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly source: string;
  readonly record: unknown;
  readonly event: unknown;
}

const METHODS = ["get", "head", "post", "put", "patch", "delete", "options"] as const;

/**
 * An Api whose every method at `/` and `/{proxy+}` records what it saw and answers 200, so any
 * fixture is served. `seen` lists the calls in order.
 */
export function recordingApi(options: ApiOptions = {}) {
  const seen: Seen[] = [];
  const fn = ({ request, params }: RouteInput<string, {}>) => {
    let body: string;
    try {
      body = request.text();
    } catch (error) {
      body = `[${(error as Error).message}]`;
    }
    seen.push({
      method: request.method,
      path: request.path,
      params: { ...params },
      query: request.queryAll,
      headers: request.headers,
      body,
      source: request.source,
      record: request.record,
      event: request.event,
    });
    return { ok: true };
  };
  let api = createApi(options);
  for (const method of METHODS) api = api[method]("/", fn)[method]("/{proxy+}", fn);
  return { api, seen };
}

/** Every HTTP fixture served directly, then as the records of one batch, by one {@link recordingApi}. */
export interface DirectAndBatched {
  /** The fixtures, in the order of the batch's records. */
  readonly samples: HttpSample[];
  /** What the route saw of each fixture served directly, in the order of `samples`. */
  readonly direct: Seen[];
  /** What the route saw of each record of the batch, in the order the calls came. */
  readonly seen: Seen[];
  /** The batch event. */
  readonly event: Json;
  /** What `batchHandler(api)` resolved to for the batch. */
  readonly result: unknown;
  /** The access-log lines of the batch alone. */
  readonly logs: CapturedLogs;
}

/**
 * Serves every HTTP fixture directly (`api.handler`), then all of them as the bodies of one batch
 * event made by `batch` (`batchHandler(api)`), through the same {@link recordingApi}: what the
 * route saw of each record can be set beside what it saw of the same fixture on its own.
 */
export async function servedDirectAndBatched(
  batch: (bodies: string[]) => Json,
): Promise<DirectAndBatched> {
  const samples = httpSamples();
  const logs = captureLogs();
  const { api, seen } = recordingApi({ logger: logs.logger });
  for (const sample of samples) await api.handler(sample.event, fakeContext());
  const direct = seen.splice(0);
  logs.clear();
  const event = batch(samples.map((sample) => JSON.stringify(sample.event)));
  const result = await batchHandler(api)(event, fakeContext());
  return { samples, direct, seen, event, result, logs };
}

/** What a request looks like to the route, without where it came from. */
export function request(seen: Seen): Omit<Seen, "source" | "record" | "event"> {
  const { source: _s, record: _r, event: _e, ...rest } = seen;
  return rest;
}

/**
 * An Api whose path chooses the answer, recording every call's path in order:
 * `GET /ok/{n}` 200; `GET /status/{code}/{n}` that status (by HTTPException from 400 on);
 * `GET /throw/{n}` an uncaught Error; `GET /timeout/{n}` never settles (route timeout 5 ms → 504);
 * `POST /items/{n}` a body schema (a bad body → 422); `GET /slow/{n}` waits a turn of the event
 * loop while counting the requests in flight (`maxActive`); `GET /big/{n}` a 7 MB JSON answer.
 */
export function outcomeApi(options: ApiOptions = {}) {
  const calls: string[] = [];
  const state = { active: 0, maxActive: 0 };
  const api = createApi(options)
    .get("/ok/{n}", ({ request, params }) => {
      calls.push(request.path);
      return { n: params.n };
    })
    .get("/status/{code}/{n}", ({ request, params, response }) => {
      calls.push(request.path);
      const code = Number(params.code);
      if (code >= 400) throw new HTTPException(code);
      response.status = code;
      return { n: params.n };
    })
    .get("/throw/{n}", ({ request, params }) => {
      calls.push(request.path);
      throw new Error(`boom ${params.n}`);
    })
    .get(
      "/timeout/{n}",
      ({ request }) => {
        calls.push(request.path);
        return new Promise<never>(() => {});
      },
      { timeoutMs: 5 },
    )
    .post(
      "/items/{n}",
      ({ request, body }) => {
        calls.push(request.path);
        return body;
      },
      { body: v.object({ name: v.string() }) },
    )
    .get("/slow/{n}", async ({ request }) => {
      calls.push(request.path);
      state.active++;
      state.maxActive = Math.max(state.maxActive, state.active);
      await new Promise((resolve) => setImmediate(resolve));
      state.active--;
      return null;
    })
    .get("/big/{n}", ({ request }) => {
      calls.push(request.path);
      return "x".repeat(7 * 1024 * 1024);
    });
  return { api, calls, state };
}
