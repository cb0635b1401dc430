// Benchmark: what middleware costs per request, and that a route without any costs what it did before.
//
// Run: npx tsx scripts/bench-composition.ts [requests per sample] [rounds] [--baseline <lib dir>]
// Every variant serves HTTP API (payload 2.0) events through `api.handler`, access log off, one
// child process per variant and round (rounds alternate the order so machine noise hits all
// alike); figures are medians of CPU time (user + system) per request. `--baseline` points at a
// copy of lib/ from before composition existed (e.g. made with `git worktree` or `cp -r lib`):
// its "plain" variant then runs beside this tree's, the before/after of the no-middleware path.
// Not a test: no thresholds.

import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const at = args.indexOf("--baseline");
const baseline = at === -1 ? undefined : path.resolve(args.splice(at, 2)[1] ?? "");
const requests = Number(args[0] ?? 20_000);
const rounds = Number(args[1] ?? 5);
const self = fileURLToPath(import.meta.url);
const LIB = path.resolve(path.dirname(self), "../lib");

// biome-ignore lint/suspicious/noExplicitAny: the baseline lib predates these types; the bench builds by name.
type AnyApi = any;

function event(headers: Record<string, string> = {}, method = "GET", pathName = "/items/42") {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: pathName,
    rawQueryString: "",
    headers: { accept: "application/json", "user-agent": "bench", ...headers },
    requestContext: {
      accountId: "000000000000",
      apiId: "abc123",
      domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
      http: { method, path: pathName, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "b" },
      requestId: "JKJaXmPLvHcESHA=",
      routeKey: "$default",
      stage: "$default",
      timeEpoch: 1_700_000_000_000,
    },
    isBase64Encoded: false,
  };
}

const small = (input: { params: { id: string } }) => ({ id: input.params.id, name: "shoe" });
const rows = Array.from({ length: 40 }, (_, i) => ({ id: i, name: `item ${i}`, price: i * 1.5 }));
/** 1.5 KB of JSON: above compress()'s default threshold. */
const large = () => ({ items: rows });
const ORIGIN = { origin: "https://app.example.com" };

/** name → [lib dir, build(api module, middleware module) → handler, event] */
const variants: Record<string, [string, (m: AnyApi, mw: AnyApi) => AnyApi, object]> = {
  "plain (small JSON)": [
    LIB,
    (m) => m.createApi({ accessLog: false }).get("/items/{id}", small),
    event(),
  ],
  "plain, other route has middleware": [
    LIB,
    (m) =>
      m
        .createApi({ accessLog: false })
        .get("/items/{id}", small)
        .use((_i: unknown, next: () => unknown) => next())
        .get("/other", small),
    event(),
  ],
  "onError hook only": [
    LIB,
    (m) =>
      m
        .createApi({ accessLog: false })
        .get("/items/{id}", small)
        .onError(RangeError, () => 1),
    event(),
  ],
  "1 pass-through middleware": [
    LIB,
    (m) =>
      m
        .createApi({ accessLog: false })
        .use((_i: unknown, next: () => unknown) => next())
        .get("/items/{id}", small),
    event(),
  ],
  "cors, simple request": [
    LIB,
    (m, mw) =>
      m
        .createApi({ accessLog: false })
        .use(mw.cors({ origin: [ORIGIN.origin], credentials: true }))
        .get("/items/{id}", small),
    event(ORIGIN),
  ],
  "cors, preflight": [
    LIB,
    (m, mw) =>
      m
        .createApi({ accessLog: false })
        .use(mw.cors({ origin: [ORIGIN.origin], credentials: true }))
        .get("/items/{id}", small),
    event({ ...ORIGIN, "access-control-request-method": "GET" }, "OPTIONS"),
  ],
  "etag (200)": [
    LIB,
    (m, mw) => m.createApi({ accessLog: false }).use(mw.etag()).get("/items/{id}", small),
    event(),
  ],
  "etag (304)": [
    LIB,
    (m, mw) => m.createApi({ accessLog: false }).use(mw.etag()).get("/items/{id}", small),
    event({ "if-none-match": "<the ETag of the first answer>" }),
  ],
  "plain (1.5 KB JSON)": [
    LIB,
    (m) => m.createApi({ accessLog: false }).get("/items/{id}", large),
    event(),
  ],
  "compress, gzip (1.5 KB)": [
    LIB,
    (m, mw) => m.createApi({ accessLog: false }).use(mw.compress()).get("/items/{id}", large),
    event({ "accept-encoding": "gzip" }),
  ],
  "compress, br (1.5 KB)": [
    LIB,
    (m, mw) => m.createApi({ accessLog: false }).use(mw.compress()).get("/items/{id}", large),
    event({ "accept-encoding": "br" }),
  ],
  "compress, under threshold": [
    LIB,
    (m, mw) => m.createApi({ accessLog: false }).use(mw.compress()).get("/items/{id}", small),
    event({ "accept-encoding": "gzip, br" }),
  ],
  "cors + compress + etag (1.5 KB, gzip)": [
    LIB,
    (m, mw) =>
      m
        .createApi({ accessLog: false })
        .use(mw.cors({ origin: [ORIGIN.origin] }))
        .use(mw.compress())
        .use(mw.etag())
        .get("/items/{id}", large),
    event({ ...ORIGIN, "accept-encoding": "gzip" }),
  ],
};
if (baseline) {
  variants["baseline lib: plain (small JSON)"] = [
    baseline,
    (m) => m.createApi({ accessLog: false }).get("/items/{id}", small),
    event(),
  ];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

async function measure(name: string): Promise<void> {
  const [lib, build, ev] = variants[name]!;
  const m = await import(pathToFileURL(path.join(lib, "index.ts")).href);
  const mw =
    lib === LIB ? await import(pathToFileURL(path.join(lib, "middleware/index.ts")).href) : {};
  const handler = build(m, mw).handler as (
    e: unknown,
    c: unknown,
  ) => Promise<{ statusCode: number }>;
  const context = {
    awsRequestId: "b",
    functionName: "bench",
    getRemainingTimeInMillis: () => 30_000,
  };
  const headers = (ev as { headers: Record<string, string> }).headers;
  if (headers["if-none-match"]) {
    const fresh = (await handler(event(), context)) as unknown as {
      headers: Record<string, string>;
    };
    headers["if-none-match"] = fresh.headers.etag!;
  }
  const first = (await handler(ev, context)) as {
    statusCode: number;
    headers: Record<string, string>;
  };
  if (first.statusCode >= 400) throw new Error(`${name} answered ${first.statusCode}`);
  // A compress variant that does not compress would measure nothing.
  const coding = first.headers["content-encoding"];
  if (
    name.includes("gzip") !== (coding === "gzip") ||
    name.includes(", br") !== (coding === "br")
  ) {
    throw new Error(`${name}: content-encoding is ${coding}`);
  }
  const sample = async (n: number) => {
    const cpu = process.cpuUsage();
    for (let i = 0; i < n; i++) await handler(ev, context);
    const used = process.cpuUsage(cpu);
    return ((used.user + used.system) * 1e3) / n;
  };
  await sample(requests);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) samples.push(await sample(requests));
  process.stdout.write(`${median(samples)} ${first.statusCode}\n`);
}

if (process.env.BENCH_VARIANT) {
  await measure(process.env.BENCH_VARIANT);
} else {
  const names = Object.keys(variants);
  const results = new Map<string, { ns: number[]; status: string }>(
    names.map((n) => [n, { ns: [], status: "" }]),
  );
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      const run = spawnSync(
        process.execPath,
        ["--import", "tsx", self, String(requests), ...(baseline ? ["--baseline", baseline] : [])],
        {
          env: { ...process.env, BENCH_VARIANT: name },
          encoding: "utf8",
        },
      );
      if (run.status !== 0) throw new Error(`variant ${name} failed: ${run.stderr}`);
      const [ns = "", status = ""] = run.stdout.trim().split(" ");
      results.get(name)!.ns.push(Number(ns));
      results.get(name)!.status = status;
    }
  }
  console.log(
    `node ${process.version}, CPU time per request through api.handler, access log off, median of ${rounds} rounds (${requests} requests a sample)`,
  );
  const base = (name: string) =>
    median(results.get(name.includes("1.5 KB") ? "plain (1.5 KB JSON)" : "plain (small JSON)")!.ns);
  for (const name of names) {
    const { ns, status } = results.get(name)!;
    const value = median(ns);
    const ref = name.startsWith("plain (") ? undefined : base(name);
    const diff =
      ref === undefined
        ? ""
        : `  ${value - ref >= 0 ? "+" : ""}${Math.round(value - ref)} ns (${(value / ref).toFixed(2)}x)`;
    const spread = `${Math.round(Math.min(...ns))}-${Math.round(Math.max(...ns))}`;
    console.log(
      `${name.padEnd(40)} ${status} ${String(Math.round(value)).padStart(7)} ns/op  [${spread}]${diff}`,
    );
  }
}
