// Synthetic events: paths decoded once for payload 2.0 only, queries split as AWS does.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { detectEvent } from "../../lib/events/detect.js";
import {
  clfTime,
  decodePath,
  type EventFormat,
  type SyntheticRequest,
  splitQuery,
  syntheticEvent,
} from "../../lib/events/synthetic.js";

const request: SyntheticRequest = {
  method: "GET",
  path: "/items/a%20b",
  query: "q=1",
  headers: [["Host", "api.example.com"]],
  sourceIp: "127.0.0.1",
  time: 1718635693506,
};

describe("decodePath", () => {
  const rows: [string, string, string][] = [
    ["a space", "/items/a%20b", "/items/a b"],
    ["UTF-8 sequences", "/caf%C3%A9", "/café"],
    ["an encoded slash, which then separates", "/a%2Fb", "/a/b"],
    ["an encoded % only once", "/a%2520b", "/a%20b"],
    ["a lone % left as sent", "/100%done", "/100%done"],
    ["a bad escape left as sent, the good ones decoded", "/%zz/a%20b", "/%zz/a b"],
    ["a cut UTF-8 sequence left as sent", "/x%E0%A4%A", "/x%E0%A4%A"],
  ];
  for (const [what, path, decoded] of rows) {
    it(`decodes ${what}`, () => assert.equal(decodePath(path), decoded));
  }
});

describe("syntheticEvent", () => {
  const kinds: [EventFormat, string, string][] = [
    ["v2", "http-api", "/items/a b"],
    ["v1", "rest", "/items/a%20b"],
    ["alb", "alb", "/items/a%20b"],
    ["lattice", "lattice-v2", "/items/a%20b"],
  ];
  for (const [format, kind, path] of kinds) {
    it(`builds a ${format} event the detector reads as ${kind}, its path ${JSON.stringify(path)}`, () => {
      const event = syntheticEvent(request, format);
      assert.equal(detectEvent(event), kind);
      assert.equal(event.rawPath ?? event.path, path);
    });
  }

  it("takes the domain name from the Host header unless one is given", () => {
    const ctx = (e: Record<string, unknown>) => e.requestContext as Record<string, unknown>;
    assert.equal(ctx(syntheticEvent(request, "v2")).domainName, "api.example.com");
    const given = syntheticEvent({ ...request, domainName: "127.0.0.1:3000" }, "v1");
    assert.equal(ctx(given).domainName, "127.0.0.1:3000");
  });
});

describe("splitQuery", () => {
  it("keeps every pair in order, a name without = as an empty value", () => {
    assert.deepEqual(splitQuery("a=1&a=2&&b&c=", false), [
      ["a", "1"],
      ["a", "2"],
      ["b", ""],
      ["c", ""],
    ]);
  });

  it("decodes + and percent sequences, and keeps a bad sequence as it came", () => {
    assert.deepEqual(splitQuery("q=a+b%21&bad=%E0%A4%A&k%3D=v", true), [
      ["q", "a b!"],
      ["bad", "%E0%A4%A"],
      ["k=", "v"],
    ]);
  });
});

describe("clfTime", () => {
  it("formats a time as API Gateway's requestTime", () => {
    assert.equal(clfTime(Date.UTC(2026, 0, 5, 3, 4, 5)), "05/Jan/2026:03:04:05 +0000");
  });
});
