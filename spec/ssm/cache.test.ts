// The SSM helper's cache through the real client: hits, expiry, shared calls, stale-if-error.

import assert from "node:assert/strict";
import { beforeEach, describe, it } from "node:test";
import { createSsm } from "../../lib/ssm/index.js";
import { ssmClientFor, startSsmServer, useSsmServer } from "../helpers/ssm-server.js";

describe("the SSM cache", () => {
  const double = useSsmServer({
    "/app/name": { value: "first" },
    "/app/password": { value: "hunter2", type: "SecureString" },
  });
  let clock: number;
  const now = () => clock;

  beforeEach(() => {
    clock = 1_000_000;
  });

  it("serves a second call from memory", async () => {
    const ssm = createSsm({ client: double.client, now });
    assert.equal(await ssm.getParameter("/app/name"), "first");
    double.server.parameters.set("/app/name", { value: "second" });
    assert.equal(await ssm.getParameter("/app/name"), "first");
    assert.equal(double.server.requests.length, 1);
  });

  it("asks again once the value is 5 minutes old, by default", async () => {
    const ssm = createSsm({ client: double.client, now });
    await ssm.getParameter("/app/name");
    double.server.parameters.set("/app/name", { value: "second" });
    clock += 299_999;
    assert.equal(await ssm.getParameter("/app/name"), "first");
    clock += 1;
    assert.equal(await ssm.getParameter("/app/name"), "second");
    assert.equal(double.server.requests.length, 2);
  });

  it("follows maxAge in seconds, from the call or from createSsm", async () => {
    const ssm = createSsm({ client: double.client, now, maxAge: 10 });
    await ssm.getParameter("/app/name");
    clock += 10_000;
    await ssm.getParameter("/app/name");
    assert.equal(double.server.requests.length, 2);
    clock += 10_000;
    await ssm.getParameter("/app/name", { maxAge: 60 });
    assert.equal(double.server.requests.length, 2);
  });

  it("asks every time with maxAge 0, and keeps the answer for later calls", async () => {
    const ssm = createSsm({ client: double.client, now });
    await ssm.getParameter("/app/name", { maxAge: 0 });
    double.server.parameters.set("/app/name", { value: "second" });
    assert.equal(await ssm.getParameter("/app/name", { maxAge: 0 }), "second");
    assert.equal(double.server.requests.length, 2);
    assert.equal(await ssm.getParameter("/app/name"), "second");
    assert.equal(double.server.requests.length, 2);
  });

  it("expires with the real clock when none is given", async () => {
    const ssm = createSsm({ client: double.client, maxAge: 0.001 });
    await ssm.getParameter("/app/name");
    await new Promise((resolve) => setTimeout(resolve, 5));
    await ssm.getParameter("/app/name");
    assert.equal(double.server.requests.length, 2);
  });

  it("shares one call between concurrent requests for one name", async () => {
    const ssm = createSsm({ client: double.client, now });
    double.server.delayMs = 20;
    const values = await Promise.all(
      Array.from({ length: 25 }, () => ssm.getParameter("/app/name")),
    );
    assert.deepEqual(new Set(values), new Set(["first"]));
    assert.equal(double.server.requests.length, 1);
  });

  it("shares a call under way even with maxAge 0", async () => {
    const ssm = createSsm({ client: double.client, now });
    double.server.delayMs = 20;
    await Promise.all([
      ssm.getParameter("/app/name"),
      ssm.getParameter("/app/name", { maxAge: 0 }),
    ]);
    assert.equal(double.server.requests.length, 1);
  });

  it("gives every caller of a shared call its own list", async () => {
    const ssm = createSsm({ client: double.client, now });
    double.server.parameters.set("/app/hosts", { value: "a,b", type: "StringList" });
    const [one, two] = await Promise.all([
      ssm.getParameter("/app/hosts", { list: true }),
      ssm.getParameter("/app/hosts", { list: true }),
    ]);
    one.push("changed");
    assert.deepEqual(two, ["a", "b"]);
    assert.deepEqual(await ssm.getParameter("/app/hosts", { list: true }), ["a", "b"]);
  });

  it("caches a decrypted value apart from an encrypted one", async () => {
    const ssm = createSsm({ client: double.client, now });
    const encrypted = await ssm.getParameter("/app/password", { decrypt: false });
    assert.equal(await ssm.getParameter("/app/password"), "hunter2");
    assert.equal(await ssm.getParameter("/app/password", { decrypt: false }), encrypted);
    assert.equal(await ssm.getParameter("/app/password", { decrypt: true }), "hunter2");
    assert.equal(double.server.requests.length, 2);
  });

  it("keeps nothing of a failed call", async () => {
    const ssm = createSsm({ client: double.client, now });
    double.server.fault = { status: 500, type: "InternalServerError" };
    await assert.rejects(ssm.getParameter("/app/name"), { name: "InternalServerError" });
    double.server.fault = undefined;
    assert.equal(await ssm.getParameter("/app/name"), "first");
    assert.equal(double.server.requests.length, 2);
  });

  it("forgets everything on clear()", async () => {
    const ssm = createSsm({ client: double.client, now });
    await ssm.getParameter("/app/name");
    ssm.clear();
    await ssm.getParameter("/app/name");
    assert.equal(double.server.requests.length, 2);
  });

  describe("staleIfError", () => {
    const faults = [
      ["a 500", { status: 500, type: "InternalServerError" }],
      ["throttling", { status: 400, type: "ThrottlingException" }],
    ] as const;

    for (const [label, fault] of faults) {
      it(`serves the expired value when the refresh fails with ${label}`, async () => {
        const ssm = createSsm({ client: double.client, now });
        await ssm.getParameter("/app/name", { maxAge: 60 });
        clock += 90_000;
        double.server.fault = fault;
        assert.equal(
          await ssm.getParameter("/app/name", { maxAge: 60, staleIfError: 60 }),
          "first",
        );
        assert.equal(double.server.requests.length, 2);
      });
    }

    it("serves the expired value when the refresh times out", async (t) => {
      const impatient = ssmClientFor(double.server, {
        requestHandler: { requestTimeout: 50, throwOnRequestTimeout: true },
      });
      t.after(() => impatient.destroy());
      const ssm = createSsm({ client: impatient, now, staleIfError: 60 });
      await ssm.getParameter("/app/name");
      clock += 301_000;
      double.server.delayMs = Number.POSITIVE_INFINITY;
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
      const ssm = createSsm({ client: double.client, now });
      await ssm.getParameter("/app/name", { maxAge: 60 });
      clock += 120_000;
      double.server.fault = { status: 500, type: "InternalServerError" };
      await assert.rejects(ssm.getParameter("/app/name", { maxAge: 60, staleIfError: 60 }), {
        name: "InternalServerError",
      });
    });

    it("throws without it: the default grace period is 0", async () => {
      const ssm = createSsm({ client: double.client, now });
      await ssm.getParameter("/app/name");
      clock += 300_000;
      double.server.fault = { status: 500, type: "InternalServerError" };
      await assert.rejects(ssm.getParameter("/app/name"), { name: "InternalServerError" });
    });

    it("never hides a client fault: access denied and not found throw", async () => {
      const ssm = createSsm({ client: double.client, now, staleIfError: 3600 });
      await ssm.getParameter("/app/name");
      clock += 301_000;
      double.server.fault = { status: 400, type: "AccessDeniedException", message: "not allowed" };
      await assert.rejects(ssm.getParameter("/app/name"), { name: "AccessDeniedException" });
      double.server.fault = undefined;
      double.server.parameters.delete("/app/name");
      await assert.rejects(ssm.getParameter("/app/name"), { name: "ParameterError" });
    });
  });
});
