// Form and multipart bodies: typed by a valibot schema through REST, HTTP API, ALB (both header modes), Lattice and fetch; exact file bytes, limits, malformed input.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, it } from "node:test";
import fc from "fast-check";
import * as v from "valibot";
import { parseMultipart } from "../lib/form.js";
import { multipart as multipartParser } from "../lib/forms/index.js";
import { fetchHandler } from "../lib/fetch/index.js";
import { createApi, HTTPException } from "../lib/index.js";
import { fixture, type Json } from "./helpers/fixtures.js";
import { captureLogs } from "./helpers/log.js";

const BOUNDARY = "----aioFormBoundary7MA4YWxk";
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** One part: a field (text) or a file (name, type, bytes). */
type Part =
  | { name: string; value: string | Buffer }
  | { name: string; filename: string; type?: string; bytes: Buffer };

/** A multipart body as browsers write it: CRLF lines, a closing boundary. */
function multipart(parts: readonly Part[], boundary = BOUNDARY): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      "filename" in part
        ? `form-data; name="${part.name}"; filename="${part.filename}"`
        : `form-data; name="${part.name}"`;
    const type = "filename" in part && part.type ? `\r\nContent-Type: ${part.type}` : "";
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`));
    pieces.push("filename" in part ? part.bytes : Buffer.from(part.value));
    pieces.push(Buffer.from("\r\n"));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(pieces);
}

// 0xff, 0xfe and a lone 0x80 never occur in UTF-8; a CRLF and "--" inside the data too.
const FILE = Buffer.concat([
  Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x0d, 0x0a, 0x2d, 0x2d]),
  randomBytes(64 * 1024),
]);
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

const PARTS: Part[] = [
  { name: "title", value: "héllo wörld" },
  { name: "tag", value: "a" },
  { name: "tag", value: "b" },
  { name: "upload", filename: "résumé.bin", type: "application/octet-stream", bytes: FILE },
];

const Upload = v.object({
  title: v.string(),
  tag: v.array(v.string()),
  upload: v.instance(File),
});

const uploads = (options: Parameters<typeof createApi>[0] = {}) =>
  createApi({ accessLog: false, multipart: multipartParser(), ...options }).post(
    "/upload",
    async ({ body, request }) => ({
      title: body.title,
      tag: body.tag,
      file: body.upload.name,
      type: body.upload.type,
      size: body.upload.size,
      sha: sha(new Uint8Array(await body.upload.arrayBuffer())),
      source: request.kind,
    }),
    { body: Upload },
  );

const EXPECTED = {
  title: "héllo wörld",
  tag: ["a", "b"],
  file: "résumé.bin",
  type: "application/octet-stream",
  size: FILE.byteLength,
  sha: sha(FILE),
};

type Kind = "rest" | "http-api" | "alb-single" | "alb-multi" | "lattice";

/** A real fixture of `kind`, made a POST /upload carrying `body` (base64 unless `text`). */
function eventOf(kind: Kind, body: Buffer, contentType = TYPE, text = false): Json {
  const encoded = text ? body.toString("utf8") : body.toString("base64");
  switch (kind) {
    case "rest": {
      const event = fixture("apigw-rest", "powertools-ts-real-no-auth");
      event.path = "/upload";
      (event.headers as Json)["Content-Type"] = contentType;
      (event.multiValueHeaders as Json)["Content-Type"] = [contentType];
      return { ...event, body: encoded, isBase64Encoded: !text };
    }
    case "http-api": {
      const event = fixture("apigw-http", "powertools-py-v2-jwt-post");
      event.rawPath = "/upload";
      ((event.requestContext as Json).http as Json).path = "/upload";
      event.headers = { ...(event.headers as Json), "content-type": contentType };
      return { ...event, body: encoded, isBase64Encoded: !text };
    }
    case "alb-single": {
      const event = fixture("alb", "rust-http-single-value");
      event.httpMethod = "POST";
      event.path = "/upload";
      (event.headers as Json)["content-type"] = contentType;
      return { ...event, body: encoded, isBase64Encoded: !text };
    }
    case "alb-multi": {
      const event = fixture("alb", "powertools-py-multi-value-query");
      event.httpMethod = "POST";
      event.path = "/upload";
      (event.multiValueHeaders as Json)["content-type"] = [contentType];
      return { ...event, body: encoded, isBase64Encoded: !text };
    }
    case "lattice": {
      const event = fixture("vpc-lattice", "powertools-py-v2");
      event.method = "POST";
      event.path = "/upload";
      event.headers = { ...(event.headers as Json), "content-type": contentType };
      return { ...event, body: encoded, isBase64Encoded: !text };
    }
  }
}

const KINDS: readonly Kind[] = ["rest", "http-api", "alb-single", "alb-multi", "lattice"];

async function send(api: ReturnType<typeof uploads>, event: Json) {
  const result = (await api.handler(event)) as { statusCode: number; body: string };
  return { status: result.statusCode, json: JSON.parse(result.body) as unknown };
}

describe("multipart bodies through api.handler", () => {
  for (const kind of KINDS) {
    it(`types fields, repeated fields and a file with non-UTF-8 bytes, base64-encoded (${kind})`, async () => {
      const res = await send(uploads(), eventOf(kind, multipart(PARTS)));
      assert.deepEqual(res, {
        status: 200,
        json: { ...EXPECTED, source: kind.startsWith("alb") ? "alb" : kind },
      });
    });
  }

  it("reads a text (not base64) body, as API Gateway REST sends one without binary media types", async () => {
    const text: Part[] = [
      { name: "title", value: "t" },
      { name: "tag", value: "x" },
      { name: "upload", filename: "a.txt", type: "text/plain", bytes: Buffer.from("café\r\n") },
    ];
    const res = await send(uploads(), eventOf("rest", multipart(text), TYPE, true));
    assert.equal(res.status, 200);
    assert.deepEqual((res.json as Json).size, Buffer.byteLength("café\r\n"));
  });

  const invalid: [string, Part[], unknown[]][] = [
    [
      "a missing file",
      PARTS.slice(0, 3),
      [
        {
          loc: ["body", "upload"],
          msg: 'Invalid key: Expected "upload" but received undefined',
          type: "object",
        },
      ],
    ],
    [
      "a field where a file is expected",
      [...PARTS.slice(0, 3), { name: "upload", value: "not a file" }],
      [
        {
          loc: ["body", "upload"],
          msg: 'Invalid type: Expected File but received "not a file"',
          type: "instance",
        },
      ],
    ],
  ];
  for (const [what, parts, detail] of invalid) {
    it(`answers 422 for ${what}`, async () => {
      assert.deepEqual(await send(uploads(), eventOf("http-api", multipart(parts))), {
        status: 422,
        json: { detail },
      });
    });
  }
});

describe("an Api without a multipart parser", () => {
  it("answers 415 to a multipart body for a body schema, and logs how to accept them", async () => {
    const logs = captureLogs();
    const api = createApi({ logger: logs.logger }).post("/upload", ({ body }) => body.title, {
      body: Upload,
    });
    const res = await send(api as never, eventOf("rest", multipart(PARTS)));
    assert.deepEqual(res, {
      status: 415,
      json: {
        detail:
          "multipart/form-data bodies are not accepted here; send JSON or application/x-www-form-urlencoded",
      },
    });
    assert.match(String(logs.one().error_detail), /multipart\(\) .*aio-lambda-api\/forms/);
  });

  it("refuses a multipart option that is not a parser", () => {
    assert.throws(() => createApi({ multipart: { maxParts: 3 } as never }), {
      name: "TypeError",
      message:
        /^multipart must be the parser multipart\(\) from "aio-lambda-api\/forms" makes, got /,
    });
  });
});

describe("multipart limits", () => {
  const field = (n: number): Part => ({ name: `f${n}`, value: "x" });
  const limits: [string, Parameters<typeof createApi>[0], Part[], string][] = [
    [
      "too many parts",
      { multipart: multipartParser({ maxParts: 3 }) },
      [field(1), field(2), field(3), field(4)],
      "The multipart body has more than 3 parts (multipart maxParts)",
    ],
    [
      "a field over maxFieldBytes",
      { multipart: multipartParser({ maxFieldBytes: 4 }) },
      [{ name: "title", value: "12345" }],
      'Field "title" is 5 bytes, over the limit of 4 (multipart maxFieldBytes)',
    ],
    [
      "a file over maxFileBytes",
      { multipart: multipartParser({ maxFileBytes: 1024 }) },
      PARTS,
      `File "upload" is ${FILE.byteLength} bytes, over the limit of 1024 (multipart maxFileBytes)`,
    ],
  ];
  for (const [what, options, parts, detail] of limits) {
    it(`answers 413 for ${what}`, async () => {
      const res = await send(uploads(options), eventOf("rest", multipart(parts)));
      assert.deepEqual(res, { status: 413, json: { detail } });
    });
  }

  it("lets a body at the limits through", async () => {
    const options = {
      multipart: multipartParser({ maxParts: 4, maxFieldBytes: 13, maxFileBytes: FILE.byteLength }),
    };
    assert.equal((await send(uploads(options), eventOf("rest", multipart(PARTS)))).status, 200);
  });

  const bad: [unknown, RegExp][] = [
    [{ maxParts: 0 }, /^multipart: maxParts must be a positive whole number, got 0$/],
    [{ maxFileBytes: 1.5 }, /^multipart: maxFileBytes must be a positive whole number, got 1\.5$/],
    [
      { maxFiles: 2 },
      /^multipart: maxFiles is not a limit; expected maxParts, maxFieldBytes or maxFileBytes$/,
    ],
  ];
  for (const [forms, message] of bad) {
    it(`refuses multipart(${JSON.stringify(forms)})`, () => {
      assert.throws(() => multipartParser(forms as never), { message });
    });
  }
});

const M = "Malformed multipart body: ";
const P = (headers: string, body = "1") => `--${BOUNDARY}\r\n${headers}\r\n\r\n${body}\r\n`;
const CLOSE = `--${BOUNDARY}--\r\n`;
const NAMED = 'Content-Disposition: form-data; name="a"';

describe("malformed multipart bodies", () => {
  const UNREADABLE = `${M}it is not multipart/form-data that can be read (a missing or broken boundary, part header or closing boundary)`;
  const rows: [string, string, string, string][] = [
    [
      "no boundary parameter",
      "multipart/form-data",
      P(NAMED) + CLOSE,
      `${M}the content type has no boundary parameter`,
    ],
    ["a body without the boundary", TYPE, "hello", UNREADABLE],
    ["no closing boundary", TYPE, P(NAMED), UNREADABLE],
    ["LF line breaks", TYPE, `--${BOUNDARY}\n${NAMED}\n\n1\n${CLOSE}`, UNREADABLE],
    ["a part without Content-Disposition", TYPE, P("Content-Type: text/plain") + CLOSE, UNREADABLE],
    ["a part without a name", TYPE, P("Content-Disposition: form-data") + CLOSE, UNREADABLE],
    [
      "an attachment part",
      TYPE,
      P('Content-Disposition: attachment; name="a"') + CLOSE,
      UNREADABLE,
    ],
    ["headers without a blank line", TYPE, `--${BOUNDARY}\r\n${NAMED}\r\n${CLOSE}`, UNREADABLE],
    ["a header line without a name", TYPE, P(`${NAMED}\r\n: x`) + CLOSE, UNREADABLE],
    [
      "an unterminated quote",
      TYPE,
      P('Content-Disposition: form-data; name="a') + CLOSE,
      UNREADABLE,
    ],
    ["a body cut after a boundary", TYPE, `${P(NAMED)}--${BOUNDARY}`, UNREADABLE],
    [
      "a body that ends inside a file",
      TYPE,
      `--${BOUNDARY}\r\n${NAMED}; filename="a.bin"\r\n\r\nabc`,
      UNREADABLE,
    ],
  ];
  for (const [what, type, body, detail] of rows) {
    it(`answers 400 for ${what}`, async () => {
      const res = await send(uploads(), eventOf("http-api", Buffer.from(body), type));
      assert.deepEqual(res, { status: 400, json: { detail } });
    });
  }

  it("answers 400 for a body flagged base64 that is not", async () => {
    const event = eventOf("http-api", multipart(PARTS));
    event.body = "not base64!";
    assert.deepEqual(await send(uploads(), event), {
      status: 400,
      json: { detail: "Body is flagged base64 but is not valid base64" },
    });
  });
});

describe("parseMultipart", () => {
  const b = "XyZ";
  const type = `multipart/form-data; boundary=${b}`;
  const one = (headers: string, body = "1") =>
    parseMultipart(Buffer.from(`--${b}\r\n${headers}\r\n\r\n${body}\r\n--${b}--`), type);
  const accepted: [string, () => Promise<unknown>, unknown][] = [
    [
      "%22 in a name, as browsers escape a quote",
      () => one('Content-Disposition: form-data; name="a%22b"'),
      { 'a"b': ["1"] },
    ],
    [
      "a quoted boundary",
      () =>
        parseMultipart(
          Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${b}--`),
          `multipart/form-data; boundary="${b}"`,
        ),
      { a: ["1"] },
    ],
    ["no parts", () => parseMultipart(Buffer.from(`--${b}--\r\n`), type), {}],
    [
      "__proto__ as a name, dropped",
      () => one('Content-Disposition: form-data; name="__proto__"'),
      {},
    ],
  ];
  for (const [what, run, expected] of accepted) {
    it(`accepts ${what}`, async () => {
      const out = (await run()) as Record<string, unknown>;
      assert.deepEqual({ ...out }, expected);
      assert.equal(Object.getPrototypeOf(out), Object.prototype);
    });
  }

  // Valid by the RFCs, never sent by browsers, curl or the common client libraries, and refused
  // by undici's parser: pinned, so a Node upgrade that changes it shows (docs/validation.md).
  const refused: [string, () => Promise<unknown>][] = [
    [
      "the boundary's text inside a value",
      () => one('Content-Disposition: form-data; name="a"', `x--${b}y`),
    ],
    [
      "header names and form-data in capitals",
      () => one('content-disposition: FORM-DATA; NAME="a"'),
    ],
    ["an unquoted name", () => one("Content-Disposition: form-data; name=a")],
    ["a backslash-escaped quote", () => one('Content-Disposition: form-data; name="a\\"b"')],
    [
      "a preamble and an epilogue",
      () =>
        parseMultipart(
          Buffer.from(
            `pre\r\n--${b}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${b}--\r\nepi`,
          ),
          type,
        ),
    ],
    [
      "spaces after a boundary",
      () =>
        parseMultipart(
          Buffer.from(`--${b} \t\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${b}--`),
          type,
        ),
    ],
    [
      "filename*= (RFC 5987)",
      () => one(`Content-Disposition: form-data; name="f"; filename*=UTF-8''x.txt`, ""),
    ],
  ];
  for (const [what, run] of refused) {
    it(`answers 400 for ${what} (undici refuses it)`, async () => {
      await assert.rejects(run(), (error: unknown) => {
        assert.ok(error instanceof HTTPException);
        assert.equal(error.status, 400);
        return true;
      });
    });
  }

  const files: [string, string, string, string][] = [
    [
      "a Windows path, backslashes kept",
      'filename="C:\\\\Users\\\\me\\\\a.txt"'.replaceAll("\\\\", "\\"),
      "C:\\Users\\me\\a.txt",
      "text/plain",
    ],
    ["an empty filename (an empty file input)", 'filename=""', "", "text/plain"],
  ];
  for (const [what, params, name, mediaType] of files) {
    it(`reads ${what}`, async () => {
      const out = await one(`Content-Disposition: form-data; name="f"; ${params}`, "");
      const file = out.f![0] as File;
      assert.ok(file instanceof File);
      assert.equal(file.name, name);
      assert.equal(file.type, mediaType);
      assert.equal(file.size, 0);
    });
  }

  it("reads raw UTF-8 bytes in names and filenames as browsers send them", async () => {
    const body = Buffer.concat([
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="ñ"; filename="`),
      Buffer.from("日本.txt", "utf8"),
      Buffer.from(`"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nx\r\n--${b}--`),
    ]);
    const file = (await parseMultipart(body, type)).ñ![0] as File;
    assert.equal(file.name, "日本.txt");
    assert.equal(file.type, "text/plain; charset=utf-8");
  });

  it("parses whatever undici's own FormData encoder writes, back to the same entries", async () => {
    const text = fc.string({ unit: "grapheme", maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));
    const entry = fc.oneof(
      fc.record({ name: text, value: text }),
      fc.record({
        name: text,
        // undici's encoder leaves `filename` out when it is empty (browsers write filename=""),
        // which makes the part a field: not a case the two can agree on.
        filename: text.filter((name) => name !== ""),
        type: fc.constantFrom("", "image/png", "text/plain;charset=utf-8"),
        bytes: fc.uint8Array({ maxLength: 300 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { maxLength: 6 }), async (entries) => {
        const form = new FormData();
        for (const e of entries) {
          if ("value" in e) form.append(e.name, e.value);
          else form.append(e.name, new File([e.bytes], e.filename, { type: e.type }));
        }
        const encoded = new Response(form);
        const bytes = new Uint8Array(await encoded.arrayBuffer());
        const out = await parseMultipart(bytes, encoded.headers.get("content-type") ?? "");
        const seen: [string, unknown][] = [];
        for (const name in out) {
          for (const value of out[name]!) seen.push([name, await shown(value)]);
        }
        const wanted: [string, unknown][] = [];
        for (const [name, value] of form) {
          // A File without a type goes out as application/octet-stream.
          const sent =
            typeof value === "string" || value.type !== ""
              ? value
              : new File([value], value.name, { type: "application/octet-stream" });
          if (name !== "__proto__") wanted.push([name, await shown(sent)]);
        }
        // Grouped by name, each name's values in order (a stable sort by code units).
        const byName = (list: [string, unknown][]) =>
          [...list].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
        assert.deepEqual(byName(seen), byName(wanted));
      }),
      { numRuns: 200 },
    );
  });
});

async function shown(value: string | File): Promise<unknown> {
  if (typeof value === "string") return value;
  return {
    name: value.name,
    type: value.type,
    bytes: [...new Uint8Array(await value.arrayBuffer())],
  };
}

describe("form bodies without a body schema", () => {
  const api = createApi({ accessLog: false, multipart: multipartParser() })
    .post("/loose", ({ body }) => {
      const form = body as Record<string, string | File>;
      return Object.fromEntries(
        Object.entries(form).map(([k, x]) => [
          k,
          typeof x === "string" ? x : `file:${x.name}:${x.size}`,
        ]),
      );
    })
    .post("/ignore", ({ request }) => ({ bytes: request.bytes().byteLength }));

  it("gives the last value of each name, files as Files", async () => {
    const res = await api.handler(eventOfPath("/loose", multipart(PARTS)));
    assert.deepEqual(JSON.parse((res as { body: string }).body), {
      title: "héllo wörld",
      tag: "b",
      upload: `file:résumé.bin:${FILE.byteLength}`,
    });
  });

  it("answers 400 for a malformed body only when the route reads it", async () => {
    const broken = Buffer.from(P(NAMED));
    const read = (await api.handler(eventOfPath("/loose", broken))) as { statusCode: number };
    assert.equal(read.statusCode, 400);
    const ignored = (await api.handler(eventOfPath("/ignore", broken))) as { body: string };
    assert.deepEqual(JSON.parse(ignored.body), { bytes: broken.byteLength });
  });

  it("keeps parsing urlencoded bodies: repeated fields as the last value", async () => {
    const event = eventOfPath(
      "/loose",
      Buffer.from("a=1&a=2&b=x+y"),
      "application/x-www-form-urlencoded",
    );
    const res = (await api.handler(event)) as { body: string };
    assert.deepEqual(JSON.parse(res.body), { a: "2", b: "x y" });
  });
});

function eventOfPath(path: string, body: Buffer, type = TYPE): Json {
  const event = eventOf("http-api", body, type);
  event.rawPath = path;
  ((event.requestContext as Json).http as Json).path = path;
  return event;
}

describe("multipart bodies through api.fetch", () => {
  it("types a browser-encoded FormData with a file's exact bytes", async () => {
    const form = new FormData();
    form.append("title", "héllo wörld");
    form.append("tag", "a");
    form.append("tag", "b");
    form.append("upload", new File([FILE], "résumé.bin", { type: "application/octet-stream" }));
    const res = await fetchHandler(uploads())(
      new Request("http://localhost/upload", { method: "POST", body: form }),
    );
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ...EXPECTED, source: "web" });
  });
});

/**
 * A child process that records every module Node loads (a module.register hook), serves a JSON
 * and an urlencoded body, then a multipart one, and says whether lib/form.ts was loaded by then.
 */
const LAZY_CHECK = `
import { register } from "node:module";
import { MessageChannel } from "node:worker_threads";
const { port1, port2 } = new MessageChannel();
const seen = [];
let waiting;
port1.on("message", (url) => {
  seen.push(url);
  if (url.startsWith("data:text/javascript,//sentinel")) waiting?.();
});
port1.unref();
const hooks = "export function initialize({ port }) { globalThis.port = port } export async function load(url, context, next) { globalThis.port.postMessage(url); return next(url, context) }";
register("data:text/javascript," + encodeURIComponent(hooks), { data: { port: port2 }, transferList: [port2] });
// A module loaded after the others: its URL arrives after theirs, so all of theirs are in.
const flush = async (n) => {
  const done = new Promise((resolve) => (waiting = resolve));
  await import("data:text/javascript,//sentinel" + n);
  await done;
};
const loaded = () => seen.some((url) => /\\/lib\\/form\\.(ts|js)$/.test(url));
const { createApi } = await import(process.env.LIB);
const { inject } = await import(process.env.TESTING);
const api = createApi({ accessLog: false }).post("/", ({ body }) => (body instanceof Uint8Array ? body.length : body ?? null));
await inject(api, { method: "POST", path: "/", body: { a: 1 } });
await inject(api, { method: "POST", path: "/", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=1" });
await flush(1);
const before = loaded();
const raw = await inject(api, { method: "POST", path: "/", headers: { "content-type": "multipart/form-data; boundary=x" }, body: "--x--" });
await flush(2);
console.log(JSON.stringify({ before, after: loaded(), status: raw.status, body: raw.json() }));
`;

describe("loading lib/form.ts", () => {
  it("never happens for an Api without a multipart parser, even when a multipart body comes", async () => {
    const lib = fileURLToPath(new URL("../lib/index.ts", import.meta.url));
    const testing = fileURLToPath(new URL("../lib/testing/index.ts", import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", LAZY_CHECK],
      { env: { ...process.env, LIB: lib, TESTING: testing }, timeout: 30_000 },
    );
    // Without a parser, a route that reads no schema sees the body's bytes (5 of them).
    assert.deepEqual(JSON.parse(stdout.trim().split("\n").at(-1)!), {
      before: false,
      after: false,
      status: 200,
      body: 5,
    });
  });
});
