// The SSM helper's cache through the real client: hits, expiry, shared calls, stale-if-error.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { SSMClient } from "@aws-sdk/client-ssm";
import { createSsm } from "../../lib/ssm/index.js";
import { type SsmServer, ssmClientFor, startSsmServer } from "../helpers/ssm-server.js";

describe("the SSM cache", () => {
  let server: SsmServer;
  let client: SSMClient;
  let clock: number;
  const now = () => clock;

  before(async () => {
    server = await startSsmServer();
    client = ssmClientFor(server);
  });
  after(async () => {
    client.destroy();
    await server.close();
  });
  beforeEach(() => {
    server.parameters.clear();
    server.parameters.set("/app/name", { value: "first" });
    server.parameters.set("/app/password", { value: "hunter2", type: "SecureString" });
    server.requests.length = 0;
    server.fault = undefined;
    server.delayMs = 0;
    clock = 1_000_000;
  });

  it("serves a second call from memory", async () => {
    const ssm = createSsm({ client, now });
    assert.equal(await ssm.getParameter("/app/name"), "first");
    server.parameters.set("/app/name", { value: "second" });
    assert.equal(await ssm.getParameter("/app/name"), "first");
    assert.equal(server.requests.length, 1);
  });

  it("asks again once the value is 5 minutes old, by default", async () => {
    const ssm = createSsm({ client, now });
    await ssm.getParameter("/app/name");
    server.parameters.set("/app/name", { value: "second" });
    clock += 299_999;
    assert.equal(await ssm.getParameter("/app/name"), "first");
    clock += 1;
    assert.equal(await ssm.getParameter("/app/name"), "second");
    assert.equal(server.requests.length, 2);
  });

  it("follows maxAge in seconds, from the call or from createSsm", async () => {
    const ssm = createSsm({ client, now, maxAge: 10 });
    await ssm.getParameter("/app/name");
    clock += 10_000;
    await ssm.getParameter("/app/name");
    assert.equal(server.requests.length, 2);
    clock += 10_000;
    await ssm.getParameter("/app/name", { maxAge: 60 });
    assert.equal(server.requests.length, 2);
  });

  it("asks every time with maxAge 0, and keeps the answer for later calls", async () => {
    const ssm = createSsm({ client, now });
    await ssm.getParameter("/app/name", { maxAge: 0 });
    server.parameters.set("/app/name", { value: "second" });
    assert.equal(await ssm.getParameter("/app/name", { maxAge: 0 }), "second");
    assert.equal(server.requests.length, 2);
    assert.equal(await ssm.getParameter("/app/name"), "second");
    assert.equal(server.requests.length, 2);
  });

  it("expires with the real clock when none is given", async () => {
    const ssm = createSsm({ client, maxAge: 0.001 });
    await ssm.getParameter("/app/name");
    await new Promise((resolve) => setTimeout(resolve, 5));
    await ssm.getParameter("/app/name");
    assert.equal(server.requests.length, 2);
  });

  it("shares one call between concurrent requests for one name", async () => {
    const ssm = createSsm({ client, now });
    server.delayMs = 20;
    const values = await Promise.all(
      Array.from({ length: 25 }, () => ssm.getParameter("/app/name")),
    );
    assert.deepEqual(new Set(values), new Set(["first"]));
    assert.equal(server.requests.length, 1);
  });

  it("shares a call under way even with maxAge 0", async () => {
    const ssm = createSsm({ client, now });
    server.delayMs = 20;
    await Promise.all([
      ssm.getParameter("/app/name"),
      ssm.getParameter("/app/name", { maxAge: 0 }),
    ]);
    assert.equal(server.requests.length, 1);
  });

  it("gives every caller of a shared call its own list", async () => {
    const ssm = createSsm({ client, now });
    server.parameters.set("/app/hosts", { value: "a,b", type: "StringList" });
    const [one, two] = await Promise.all([
      ssm.getParameter("/app/hosts", { list: true }),
      ssm.getParameter("/app/hosts", { list: true }),
    ]);
    one.push("changed");
    assert.deepEqual(two, ["a", "b"]);
    assert.deepEqual(await ssm.getParameter("/app/hosts", { list: true }), ["a", "b"]);
  });

  it("caches a decrypted value apart from an encrypted one", async () => {
    const ssm = createSsm({ client, now });
    const encrypted = await ssm.getParameter("/app/password", { decrypt: false });
    assert.equal(await ssm.getParameter("/app/password"), "hunter2");
    assert.equal(await ssm.getParameter("/app/password", { decrypt: false }), encrypted);
    assert.equal(await ssm.getParameter("/app/password", { decrypt: true }), "hunter2");
    assert.equal(server.requests.length, 2);
  });

  it("keeps nothing of a failed call", async () => {
    const ssm = createSsm({ client, now });
    server.fault = { status: 500, type: "InternalServerError" };
    await assert.rejects(ssm.getParameter("/app/name"), { name: "InternalServerError" });
    server.fault = undefined;
    assert.equal(await ssm.getParameter("/app/name"), "first");
    assert.equal(server.requests.length, 2);
  });

  it("forgets everything on clear()", async () => {
    const ssm = createSsm({ client, now });
    await ssm.getParameter("/app/name");
    ssm.clear();
    await ssm.getParameter("/app/name");
    assert.equal(server.requests.length, 2);
  });

  describe("staleIfError", () => {
    const faults = [
      ["a 500", { status: 500, type: "InternalServerError" }],
      ["throttling", { status: 400, type: "ThrottlingException" }],
    ] as const;

    for (const [label, fault] of faults) {
      it(`serves the expired value when the refresh fails with ${label}`, async () => {
        const ssm = createSsm({ client, now });
        await ssm.getParameter("/app/name", { maxAge: 60 });
        clock += 90_000;
        server.fault = fault;
        assert.equal(
          await ssm.getParameter("/app/name", { maxAge: 60, staleIfError: 60 }),
          "first",
        );
        assert.equal(server.requests.length, 2);
      });
    }

    it("serves the expired value when the refresh times out", async (t) => {
      const impatient = ssmClientFor(server, {
        requestHandler: { requestTimeout: 50, throwOnRequestTimeout: true },
      });
      t.after(() => impatient.destroy());
      const ssm = createSsm({ client: impatient, now, staleIfError: 60 });
      await ssm.getParameter("/app/name");
      clock += 301_000;
      server.delayMs = Number.POSITIVE_INFINITY;
      assert.equal(await ssm.getParameter("/app/name"), "first");
    });

    it("serves the expired value when SSM cannot be reached", async (t) => {
      const gone = await startSsmServer({ "/app/name": { value: "first" } });
      const unreachable = ssmClientFor(gone);
      t.after(() => unreachable.destroy());
      const ssm = createSsm({ client: unreachable, now, staleIfError: 60 });
      await ssm.getParameter("/app/name");
      await gone.close();
      clock += 301_000;
      assert.equal(await ssm.getParameter("/app/name"), "first");
      ssm.clear();
      // Refused, or reset when the agent still held the socket the double closed.
      await assert.rejects(ssm.getParameter("/app/name"), { code: /^ECONN(REFUSED|RESET)$/ });
    });

    it("throws once the grace period is over too", async () => {
      const ssm = createSsm({ client, now });
      await ssm.getParameter("/app/name", { maxAge: 60 });
      clock += 120_000;
      server.fault = { status: 500, type: "InternalServerError" };
      await assert.rejects(ssm.getParameter("/app/name", { maxAge: 60, staleIfError: 60 }), {
        name: "InternalServerError",
      });
    });

    it("throws without it: the default grace period is 0", async () => {
      const ssm = createSsm({ client, now });
      await ssm.getParameter("/app/name");
      clock += 300_000;
      server.fault = { status: 500, type: "InternalServerError" };
      await assert.rejects(ssm.getParameter("/app/name"), { name: "InternalServerError" });
    });

    it("never hides a client fault: access denied and not found throw", async () => {
      const ssm = createSsm({ client, now, staleIfError: 3600 });
      await ssm.getParameter("/app/name");
      clock += 301_000;
      server.fault = { status: 400, type: "AccessDeniedException", message: "not allowed" };
      await assert.rejects(ssm.getParameter("/app/name"), { name: "AccessDeniedException" });
      server.fault = undefined;
      server.parameters.delete("/app/name");
      await assert.rejects(ssm.getParameter("/app/name"), { name: "ParameterError" });
    });
  });
});
