// Tests of provided resources: lazy, shared, scoped to later routes, retried, timed, and disposed.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, it } from "node:test";
import { createApi } from "../lib/api.js";
import {
  disposeAll,
  isProvideError,
  makeProvider,
  ProvideError,
  provideInto,
} from "../lib/provide.js";
import { captureLogs } from "./helpers/log.js";
import { inject } from "../lib/testing/index.js";

/** A promise and the functions that settle it. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe("provide", () => {
  it("calls the factory only when a route that receives the resource runs", async () => {
    let calls = 0;
    const api = createApi({ accessLog: false })
      .get("/before", () => "no resource here")
      .provide("db", () => {
        calls++;
        return { pool: calls };
      })
      .get("/after", ({ db }) => db);
    assert.equal(calls, 0);
    for (const path of ["/before", "/missing"]) await inject(api, { path });
    assert.equal(calls, 0);
    const result = await inject(api, { path: "/after" });
    assert.deepEqual(result.json(), { pool: 1 });
    assert.equal(calls, 1);
  });

  it("injects the resource only into routes registered after provide()", async () => {
    const api = createApi({ accessLog: false })
      .get("/before", (input) => "db" in input)
      .provide("db", () => "the db")
      .get("/after", (input) => "db" in input);
    assert.equal((await inject(api, { path: "/before" })).body, "false");
    assert.equal((await inject(api, { path: "/after" })).body, "true");
  });

  it("creates once for concurrent first uses, and reuses the value afterwards", async () => {
    let calls = 0;
    const gate = deferred<void>();
    const seen = new Set<object>();
    const api = createApi({ accessLog: false })
      .provide("client", async () => {
        calls++;
        await gate.promise;
        return { made: calls };
      })
      .get("/", ({ client }) => {
        seen.add(client);
        return client;
      });
    const first = Array.from({ length: 10 }, () => inject(api, { path: "/" }));
    await new Promise((resolve) => setImmediate(resolve));
    gate.resolve();
    const results = await Promise.all(first);
    results.push(await inject(api, { path: "/" }));
    assert.equal(calls, 1);
    assert.equal(seen.size, 1);
    for (const result of results) assert.deepEqual(result.json(), { made: 1 });
  });

  it("shares one creation between Apis derived after the same provide()", async () => {
    let calls = 0;
    const base = createApi({ accessLog: false }).provide("n", () => ++calls);
    const a = base.get("/a", ({ n }) => n);
    const b = base.get("/b", ({ n }) => n);
    assert.equal((await inject(a, { path: "/a" })).body, "1");
    assert.equal((await inject(b, { path: "/b" })).body, "1");
    assert.equal(calls, 1);
  });

  it("answers 503 when creation fails, logs the cause, and retries on the next request", async () => {
    const logs = captureLogs();
    let calls = 0;
    const api = createApi({ logger: logs.logger })
      .provide("db", async () => {
        calls++;
        if (calls === 1) throw new Error("getaddrinfo ENOTFOUND db.internal");
        return "connected";
      })
      .get("/", ({ db }) => db);
    const failed = await inject(api, { path: "/" });
    assert.equal(failed.status, 503);
    assert.equal(failed.body, '{"detail":"Service Unavailable"}');
    const retried = await inject(api, { path: "/" });
    assert.equal(retried.status, 200);
    assert.equal(retried.body, '"connected"');
    assert.equal(calls, 2);
    const [first, second] = logs.records();
    assert.equal(first!.level, "ERROR");
    assert.match(
      String(first!.error_detail),
      /^Provided resource "db" could not be created: Error: getaddrinfo ENOTFOUND db\.internal\n {4}at /,
    );
    assert.equal(second!.level, "INFO");
  });

  it("fails every waiting request of a failed creation, then retries", async () => {
    let calls = 0;
    const api = createApi({ accessLog: false })
      .provide("db", () => {
        calls++;
        if (calls === 1) return Promise.reject(new Error("refused"));
        return "ok";
      })
      .get("/", ({ db }) => db);
    const statuses = await Promise.all([1, 2, 3].map(() => inject(api, { path: "/" })));
    assert.deepEqual(
      statuses.map((r) => r.status),
      [503, 503, 503],
    );
    assert.equal((await inject(api, { path: "/" })).status, 200);
    assert.equal(calls, 2);
  });

  it("answers 504 when creation outlasts the route's timeout, and keeps the creation for later", async () => {
    const gate = deferred<string>();
    let calls = 0;
    const api = createApi({ accessLog: false })
      .provide("slow", () => {
        calls++;
        return gate.promise;
      })
      .get("/", ({ slow }) => slow, { timeoutMs: 5 });
    assert.equal((await inject(api, { path: "/" })).status, 504);
    gate.resolve("finally");
    const later = await inject(api, { path: "/" });
    assert.equal(later.status, 200);
    assert.equal(later.body, '"finally"');
    assert.equal(calls, 1);
  });

  it("sets values synchronously once created, and wraps a failure in ProvideError", async () => {
    const ok = makeProvider("ok", () => 1);
    const bad = makeProvider("bad", () => {
      throw new TypeError("bad config");
    });
    const target: Record<string, unknown> = {};
    await provideInto([ok], target);
    assert.equal(provideInto([ok], target), undefined);
    assert.deepEqual(target, { ok: 1 });
    await assert.rejects(Promise.resolve(provideInto([bad], {})), (error: unknown) => {
      assert.ok(error instanceof ProvideError && isProvideError(error));
      assert.equal(error.message, 'Provided resource "bad" could not be created');
      assert.equal((error.cause as Error).message, "bad config");
      return true;
    });
  });

  it("disposes each created resource once, swallows dispose errors, and recreates on next use", async () => {
    const disposed: string[] = [];
    let made = 0;
    const a = makeProvider("a", () => `a${++made}`, {
      dispose: (value) => {
        disposed.push(value);
      },
    });
    const b = makeProvider("b", () => "b", {
      dispose: () => {
        throw new Error("close failed");
      },
    });
    const never = makeProvider("never", () => "n", { dispose: () => disposed.push("never") });
    await provideInto([a, b], {});
    await disposeAll();
    await disposeAll();
    assert.deepEqual(disposed, ["a1"]);
    assert.equal(never.state.created, false);
    const target: Record<string, unknown> = {};
    await provideInto([a], target);
    assert.equal(target.a, "a2");
    await disposeAll();
  });

  it("runs dispose on SIGTERM, best effort, then exits (in a child process)", async () => {
    const index = new URL("../lib/index.ts", import.meta.url).href;
    const testing = new URL("../lib/testing/index.ts", import.meta.url).href;
    const code = `
      const { createApi } = await import(${JSON.stringify(index)});
      const { inject } = await import(${JSON.stringify(testing)});
      const api = createApi({ accessLog: false })
        .provide("pool", () => ({ name: "pool" }), {
          dispose: async (pool) => {
            await new Promise((resolve) => setTimeout(resolve, 5));
            process.stdout.write("disposed " + pool.name + "\\n");
          },
        })
        .provide("broken", () => "x", { dispose: () => { throw new Error("close failed"); } })
        .get("/", ({ pool, broken }) => pool.name + broken)
        .provide("unused", () => "u", { dispose: () => process.stdout.write("disposed unused\\n") })
        .get("/other", ({ unused }) => unused);
      const result = await inject(api, { path: "/" });
      setInterval(() => {}, 1000);
      process.stdout.write("ready " + result.body + "\\n");`;
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "--eval", code],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on("exit", (exitCode, signal) => resolve([exitCode, signal])),
    );
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk) => {
        stdout += chunk;
        if (stdout.includes("ready")) resolve();
      });
      child.on("exit", () => resolve());
    });
    child.kill("SIGTERM");
    const [exitCode, signal] = await exited;
    clearTimeout(killer);
    assert.equal(stderr, "");
    assert.equal(stdout, 'ready "poolx"\ndisposed pool\n');
    assert.deepEqual([exitCode, signal], [0, null]);
  });
});
