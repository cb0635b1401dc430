// The soak run shared by scripts/soak.ts and spec/reliability/soak.test.ts: many invocations of a mixed app, heap and resources sampled.

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import * as v from "valibot";
import { getLogger } from "../../lib/access-log.js";
import { createApi } from "../../lib/api.js";
import { batchHandler } from "../../lib/batch/index.js";
import { HTTPException } from "../../lib/errors.js";
import { Response } from "../../lib/response.js";
import { requestTo, sqsEvent } from "./batch.js";
import { fakeContext, type Json } from "./fixtures.js";
import { captureLogs } from "./log.js";

setFlagsFromString("--expose-gc");
/** A full garbage collection (V8's `gc()`, exposed at run time). */
export const gc = runInNewContext("gc") as () => void;

/** One memory sample, after a full collection. */
export interface Sample {
  readonly invocations: number;
  readonly heapUsed: number;
  readonly rss: number;
  /** Active handles and requests by type (process.getActiveResourcesInfo()). */
  readonly active: Readonly<Record<string, number>>;
}

/** What a soak run measured. */
export interface SoakFigures {
  readonly invocations: number;
  /** Answers by status, and `rejected` for invocations that threw (uncaught errors rethrown). */
  readonly outcomes: Readonly<Record<string, number>>;
  readonly samples: readonly Sample[];
  /** Route signals tracked by WeakRef, and how many were still alive after the last collection. */
  readonly signals: { readonly tracked: number; readonly alive: number };
  /** Unhandled rejections seen during the run. */
  readonly unhandled: number;
  /** How many times the provided resource was created (once: it is reused). */
  readonly created: number;
  readonly seconds: number;
}

const count = (list: readonly string[]) => {
  const out: Record<string, number> = {};
  for (const item of list) out[item] = (out[item] ?? 0) + 1;
  return out;
};

function soakApp(track: (signal: AbortSignal) => void) {
  const logs = captureLogs();
  let connections = 0;
  const api = createApi({ logger: logs.logger })
    .get("/", () => ({ hello: "world" }))
    .get("/items/{id}", ({ params, query }) => ({ id: params.id, q: query.q }), {
      query: v.object({ q: v.optional(v.string()) }),
      response: v.object({ id: v.string(), q: v.optional(v.string()) }),
    })
    .post("/items", ({ body }) => body, {
      body: v.object({ name: v.pipe(v.string(), v.minLength(1)), price: v.number() }),
      status: 201,
    })
    .get("/fail/{n}", ({ params }) => {
      throw new HTTPException(404, "Item not found", { errorDetail: { id: params.n } });
    })
    .get("/throw/{n}", ({ params }) => {
      throw new Error(`boom ${params.n}`);
    })
    .get("/slow/{n}", () => new Promise<never>(() => {}), { timeoutMs: 1 })
    .get("/signal/{n}", async ({ signal }) => {
      track(signal);
      signal.addEventListener("abort", () => {});
      await new Promise((resolve) => setImmediate(resolve));
      return null;
    })
    .get("/cookie/{n}", ({ params, response }) => {
      getLogger().user = params.n;
      response.setCookie("session", params.n, { httpOnly: true });
      return { ok: true };
    })
    .get("/binary/{n}", () => new Response(new Uint8Array(64), { mediaType: "image/png" }))
    .provide("db", () => ({ id: ++connections }))
    .get("/db/{n}", ({ db }) => ({ connection: db.id }));
  return { api, logs, connections: () => connections };
}

/** The event of invocation `i`: each route in turn, a unique path and request id, every HTTP kind. */
function eventOf(i: number): Json {
  const kinds = ["apigw-http", "apigw-rest", "alb", "function-url"] as const;
  const kind = kinds[i % kinds.length]!;
  const n = String(i);
  const pick = i % 13;
  const [method, path, body] =
    pick === 0
      ? ["GET", "/"]
      : pick === 1
        ? ["GET", `/items/${n}`]
        : pick === 2
          ? ["POST", "/items", JSON.stringify({ name: `n${n}`, price: i })]
          : pick === 3
            ? ["POST", "/items", JSON.stringify({ name: "", price: "x" })]
            : pick === 4
              ? ["GET", `/missing/${n}`]
              : pick === 5
                ? ["DELETE", "/"]
                : pick === 6
                  ? ["GET", `/fail/${n}`]
                  : pick === 7
                    ? ["GET", `/throw/${n}`]
                    : pick === 8
                      ? ["GET", `/slow/${n}`]
                      : pick === 9
                        ? ["GET", `/signal/${n}`]
                        : pick === 10
                          ? ["GET", `/cookie/${n}`]
                          : pick === 11
                            ? ["HEAD", `/binary/${n}`]
                            : ["GET", `/db/${n}`];
  const event = requestTo(kind, method, path, body);
  const headers = (event.headers ?? {}) as Record<string, string>;
  headers["x-request-id"] = `soak-${n}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  if (event.multiValueHeaders) (event.multiValueHeaders as Json)["x-request-id"] = [`soak-${n}`];
  return event;
}

/** Every 50th invocation is an SQS batch of four requests, one of them failing. */
function batchOf(i: number): Json {
  const bodies = [eventOf(i), eventOf(i + 6), eventOf(i + 13), eventOf(i + 26)].map((e) =>
    JSON.stringify(e),
  );
  return sqsEvent("powertools-py-two-records", bodies);
}

/**
 * Runs `invocations` through `batchHandler(api)` (HTTP events go on to `api.handler`),
 * `concurrency` at a time, sampling memory (after a full collection) after `warmup` invocations
 * and then every `every` invocations.
 */
export async function soak(options: {
  invocations: number;
  warmup: number;
  every: number;
  concurrency?: number;
  onSample?: (sample: Sample) => void;
}): Promise<SoakFigures> {
  const concurrency = options.concurrency ?? 100;
  const refs: WeakRef<AbortSignal>[] = [];
  const { api, logs, connections } = soakApp((signal) => {
    if (refs.length < 1_000) refs.push(new WeakRef(signal));
  });
  const handler = batchHandler(api);
  const outcomes: Record<string, number> = {};
  let unhandled = 0;
  const onUnhandled = () => void (unhandled += 1);
  process.on("unhandledRejection", onUnhandled);
  const samples: Sample[] = [];
  const sample = (done: number) => {
    gc();
    const memory = process.memoryUsage();
    const taken = {
      invocations: done,
      heapUsed: memory.heapUsed,
      rss: memory.rss,
      active: count(process.getActiveResourcesInfo()),
    };
    samples.push(taken);
    options.onSample?.(taken);
  };
  const started = performance.now();
  let done = 0;
  try {
    while (done < options.invocations) {
      const wave = Math.min(concurrency, options.invocations - done);
      const runs = Array.from({ length: wave }, (_, k) => {
        const i = done + k;
        const event = i % 50 === 49 ? batchOf(i) : eventOf(i);
        return handler(event, fakeContext({ awsRequestId: `inv-${i}` })).then(
          (result) => {
            const status = (result as { statusCode?: number } | undefined)?.statusCode;
            return status === undefined ? "batch" : String(status);
          },
          () => "rejected",
        );
      });
      // Counted as they come: a list of a million outcomes would itself grow the heap.
      for (const outcome of await Promise.all(runs))
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      done += wave;
      logs.clear();
      if (
        done === options.warmup ||
        (done > options.warmup && (done - options.warmup) % options.every === 0)
      ) {
        await new Promise((resolve) => setImmediate(resolve));
        sample(done);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
    sample(done);
  } finally {
    process.off("unhandledRejection", onUnhandled);
  }
  const alive = refs.filter((ref) => ref.deref() !== undefined).length;
  return {
    invocations: done,
    outcomes,
    samples,
    signals: { tracked: refs.length, alive },
    unhandled,
    created: connections(),
    seconds: (performance.now() - started) / 1000,
  };
}
