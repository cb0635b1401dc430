// Headless Chromium opens /docs served by the dev server with self-hosted Swagger UI: every operation shows.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { api as exampleApi } from "../../examples/app.js";
import { captureOutput } from "../helpers/log.js";

/** Debian's `chromium` package; CI installs it (see .ci/run). */
const CHROMIUM = "/usr/bin/chromium";
const root = fileURLToPath(new URL("../../", import.meta.url));
/** docs/openapi.png is the picture in docs/openapi.md: rewritten only with UPDATE_SCREENSHOT=1. */
const SCREENSHOT = process.env.UPDATE_SCREENSHOT
  ? path.join(root, "docs", "openapi.png")
  : path.join(tmpdir(), `aio-openapi-${process.pid}.png`);

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** `GET /items/{id}` for every documented (not hidden) route of the example app, as Swagger UI writes them. */
const expected = exampleApi.routes
  .filter((r) => !r.options.hidden)
  .map((r) => `${r.method} ${r.parsed.template.replace("+}", "}")}`);

/**
 * What API Gateway does with a stage: serves `/prod/...` and invokes the function with the path
 * the stage removed. Forwards to `target`; anything outside the stage is a 403, as there.
 */
async function startStageProxy(target: string, stage: string) {
  const server = createServer((incoming, answer) => {
    const url = incoming.url ?? "/";
    if (!url.startsWith(`${stage}/`)) {
      answer.writeHead(403, { "content-type": "application/json" }).end('{"message":"Forbidden"}');
      return;
    }
    const upstream = request(
      `${target}${url.slice(stage.length)}`,
      { method: incoming.method, headers: incoming.headers },
      (reply) => {
        answer.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(answer);
      },
    );
    upstream.on("error", () => answer.writeHead(502).end());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The operations Swagger UI lists, as `METHOD /path`, once all of them are there. */
async function listedOperations(page: Page): Promise<string[]> {
  await page
    .locator(".opblock")
    .nth(expected.length - 1)
    .waitFor();
  return page.$$eval(".opblock", (blocks) =>
    blocks.map(
      (block) =>
        `${block.querySelector(".opblock-summary-method")?.textContent} ${block
          .querySelector(".opblock-summary-path")
          ?.getAttribute("data-path")}`,
    ),
  );
}

/** Runs GET /items/foo through "Try it out": the request URL and the live response's text. */
async function tryItOut(page: Page): Promise<{ url: string; answer: string }> {
  const operation = page.locator("#operations-default-getItemsById");
  await operation.locator(".opblock-summary").click();
  await operation.locator("button.try-out__btn").click();
  await operation.locator('input[placeholder="id"]').fill("foo");
  await operation.locator("button.execute").click();
  await operation.locator(".live-responses-table .response-col_status").first().waitFor();
  return {
    url: (await operation.locator(".request-url pre").textContent()) ?? "",
    answer: (await operation.locator(".live-responses-table").textContent()) ?? "",
  };
}

describe("docs in a browser", () => {
  it("lists every operation of the example app, and Try it out reaches the API, on a stage too", {
    timeout: 180_000,
  }, async (t) => {
    if (!existsSync(CHROMIUM)) {
      // A developer machine without it still passes; CI installs it (.ci/run) and must run this.
      assert.ok(!process.env.CI, `${CHROMIUM} is missing in CI: .ci/run must install chromium`);
      t.skip(`${CHROMIUM} is missing: install Debian's chromium package to run the browser test`);
      return;
    }
    const { chromium } = await import("playwright-core");
    const { startDevServer } = await import("../../lib/cli/dev.js");
    const devLog: string[] = [];
    const dataDir = await mkdtemp(path.join(tmpdir(), "aio-lambda-api-chromium-"));
    t.after(() => rm(dataDir, { recursive: true, force: true }));
    const blocked: string[] = [];
    const access = await captureOutput(async () => {
      const server = await startDevServer({
        entry: path.join(root, "spec/openapi/docs-app.ts"),
        port: 0,
        watch: false,
        log: (text) => devLog.push(text),
      });
      const stage = await startStageProxy(server.url, "/prod");
      try {
        const context = await chromium.launchPersistentContext(dataDir, {
          executablePath: CHROMIUM,
          headless: true,
          args: ARGS,
          viewport: { width: 1200, height: 1100 },
          timeout: 60_000,
        });
        try {
          context.setDefaultTimeout(60_000);
          // Only the dev server (and the stage in front of it) may be reached: no CDN fallback.
          await context.route("**/*", (route) => {
            const url = route.request().url();
            if (url.startsWith(`${server.url}/`) || url.startsWith(`${stage.url}/prod/`)) {
              return route.continue();
            }
            blocked.push(url);
            return route.abort();
          });
          const page = context.pages()[0] ?? (await context.newPage());
          await page.goto(`${server.url}/docs`);
          assert.deepEqual([...(await listedOperations(page))].sort(), [...expected].sort());
          assert.match((await page.locator(".info .title").textContent()) ?? "", /Example API/);
          await page.screenshot({ path: SCREENSHOT, fullPage: true });
          // The relative server "." makes "Try it out" call the API that served the document.
          const direct = await tryItOut(page);
          assert.equal(direct.url, `${server.url}/items/foo`);
          assert.match(direct.answer, /200/);
          assert.match(direct.answer, /The Foo Wrestlers/);

          // Under a stage prefix the page finds the document, the assets and the API below it.
          await page.goto(`${stage.url}/prod/docs`);
          assert.deepEqual([...(await listedOperations(page))].sort(), [...expected].sort());
          const staged = await tryItOut(page);
          assert.equal(staged.url, `${stage.url}/prod/items/foo`, "the request keeps the stage");
          assert.match(staged.answer, /200/);
          assert.match(staged.answer, /The Foo Wrestlers/);
        } finally {
          await context.close();
        }
      } finally {
        await stage.close();
        await server.close();
      }
    });
    assert.deepEqual(blocked, [], "the page loads nothing from outside the dev server");
    const requests = access.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const p of ["/docs", "/openapi.json", "/docs-assets/swagger-ui-bundle.js", "/items/foo"]) {
      const served = requests.filter(
        (r) => r.path === p && r.method === "GET" && r.status_code === 200,
      );
      assert.equal(
        served.length,
        2,
        `GET ${p} was served directly and on the stage (dev log: ${devLog.join("")})`,
      );
    }
  });
});
