// detectEvent against every real fixture: the kind of each HTTP event and batch, a clear error for the rest.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UnsupportedEventError } from "../../lib/errors.js";
import { detectEvent, EVENT_KINDS, type EventType, isBatch } from "../../lib/events/detect.js";
import { type FixtureKind, fixture, fixtureNames, type Json } from "../helpers/fixtures.js";

/** The kind of every file of a folder, and the files that differ from it. */
const KINDS: [FixtureKind, EventType, Record<string, EventType>][] = [
  [
    "apigw-rest",
    "rest",
    {
      // Direct invocations carry only resource/path/httpMethod (and maybe headers or a body).
      "direct-minimal-catch-all.json": "direct",
      "direct-minimal-custom-domain-base-path.json": "direct",
      "direct-minimal-headers-only.json": "direct",
      "direct-minimal-post-body-no-headers.json": "direct",
    },
  ],
  ["apigw-http", "http-api", {}],
  ["function-url", "function-url", {}],
  ["alb", "alb", {}],
  [
    "vpc-lattice",
    "lattice-v2",
    { "powertools-py-v1-base64.json": "lattice-v1", "powertools-ts-v1.json": "lattice-v1" },
  ],
  ["sqs", "sqs", {}],
  ["sns", "sns", {}],
  ["mq", "mq", {}],
];

/** What the error names, for every file of other/ and websocket/. */
const REJECTED: Record<string, RegExp> = {
  "other/go-dynamodb-stream.json": /: a DynamoDB stream batch \(eventSource "aws:dynamodb"\)\./,
  "other/go-kinesis.json": /: a Kinesis stream batch \(eventSource "aws:kinesis"\)\./,
  "other/go-s3.json": /: an S3 notification \(eventSource "aws:s3"\)\./,
  "other/powertools-py-bedrock-agent.json": /: an Amazon Bedrock agent event \(keys: actionGroup, /,
  "other/powertools-py-eventbridge-ec2.json": /: an EventBridge event \(keys: version, id, /,
  "other/powertools-ts-real-http-request-authorizer.json": /: an API Gateway authorizer event \(/,
  "other/powertools-ts-real-rest-request-authorizer.json": /: an API Gateway authorizer event \(/,
  "other/powertools-ts-real-rest-token-authorizer.json": /: an API Gateway authorizer event \(/,
  "other/powertools-ts-websocket-connect-authorizer.json": /: an API Gateway authorizer event \(/,
  "other/rust-eventbridge-scheduled.json": /: an EventBridge event \(keys: version, id, /,
  "websocket/go-real-disconnect.json": /: an API Gateway WebSocket event \(keys: headers, /,
  "websocket/go-real-message.json": /: an API Gateway WebSocket event \(keys: requestContext, /,
  "websocket/rust-connect.json": /: an API Gateway WebSocket event \(keys: headers, /,
};

function rejects(event: unknown, message: RegExp): void {
  assert.throws(
    () => detectEvent(event),
    (error: unknown) =>
      error instanceof UnsupportedEventError &&
      message.test(error.message) &&
      error.message.endsWith("and SQS, SNS and Amazon MQ batches of such requests."),
  );
}

describe("detectEvent", () => {
  for (const [kind, type, exceptions] of KINDS) {
    it(`tells the kind of every fixture in ${kind}/`, () => {
      const names = fixtureNames(kind);
      assert.ok(names.length > 0);
      for (const name of Object.keys(exceptions)) assert.ok(names.includes(name), name);
      for (const name of names) {
        assert.equal(detectEvent(fixture(kind, name)), exceptions[name] ?? type, name);
      }
    });
  }

  it("names what it got for every fixture in other/ and websocket/", () => {
    const onDisk = (["other", "websocket"] as const).flatMap((kind) =>
      fixtureNames(kind).map((name) => `${kind}/${name}`),
    );
    assert.deepEqual(Object.keys(REJECTED).sort(), onDisk.sort());
    for (const [file, message] of Object.entries(REJECTED)) {
      const [kind, name] = file.split("/") as ["other" | "websocket", string];
      rejects(fixture(kind, name), message);
    }
  });

  const values: [string, unknown, RegExp][] = [
    ["null", null, /: expected an object, got null\./],
    ["undefined", undefined, /: expected an object, got undefined\./],
    ["a string", '{"httpMethod":"GET"}', /: expected an object, got a string\./],
    ["a number", 42, /: expected an object, got a number\./],
    ["an array", [{ httpMethod: "GET", path: "/" }], /: expected an object, got an array\./],
    ["{}", {}, /: an empty object\./],
    [
      "an object it does not know",
      { foo: 1 },
      /: not an HTTP request in a format it knows \(keys: foo\)/,
    ],
    [
      "a Kinesis Records batch",
      { Records: [{ eventSource: "aws:kinesis" }] },
      /: a Kinesis stream batch/,
    ],
    [
      "records without a source",
      { Records: [{ body: "{}" }] },
      /: a Records batch whose records have no eventSource/,
    ],
    [
      "an unknown source",
      { Records: [{ eventSource: "aws:made-up" }] },
      /: a batch \(eventSource "aws:made-up"\)/,
    ],
    [
      "a GET without a path",
      { httpMethod: "GET" },
      /not an HTTP request in a format it knows \(keys: httpMethod\)/,
    ],
  ];
  for (const [what, event, message] of values) {
    it(`rejects ${what} with a message naming it`, () => rejects(event, message));
  }

  it("shortens a long key list in the message", () => {
    const event = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`key${i}`, i]));
    rejects(event, /\(keys: key0, key1, key2, key3, key4, key5, key6, key7, …\)/);
  });

  it("answers direct for a bare {httpMethod, path} and sqs for an empty Records list", () => {
    assert.equal(detectEvent({ httpMethod: "GET", path: "/" }), "direct");
    assert.equal(detectEvent({ Records: [] }), "sqs");
  });

  it("tells a Function URL from an HTTP API by the domain only (function-url/go-request-no-routekey.json)", () => {
    const url = fixture("function-url", "go-request-no-routekey");
    assert.equal(detectEvent(url), "function-url");
    (url.requestContext as Json).domainName = "abc.execute-api.us-east-1.amazonaws.com";
    assert.equal(detectEvent(url), "http-api");
    const api = fixture("apigw-http", "go-v2-no-authorizer");
    (api.requestContext as Json).domainName = "abc.lambda-url.us-east-1.on.aws";
    assert.equal(detectEvent(api), "function-url");
  });

  it("does not let version decide: HTTP API payload 1.0, the preview's number 2, Lattice v2's 2.0", () => {
    assert.equal(detectEvent(fixture("apigw-rest", "powertools-py-http-api-payload-v1")), "rest");
    assert.equal(detectEvent(fixture("apigw-rest", "dotnet-http-api-payload-v1-preview")), "rest");
    assert.equal(detectEvent(fixture("apigw-rest", "rust-sam-local-rest")), "rest");
    assert.equal(detectEvent(fixture("vpc-lattice", "powertools-py-v2")), "lattice-v2");
  });

  it("spots an authorizer by type/methodArn/routeArn even when it looks like a proxy event", () => {
    const proxy = fixture("apigw-rest", "powertools-ts-real-no-auth");
    assert.equal(detectEvent(proxy), "rest");
    rejects({ ...proxy, type: "REQUEST" }, /an API Gateway authorizer event/);
    rejects({ ...proxy, methodArn: "arn:aws:execute-api:x" }, /an API Gateway authorizer event/);
    const v2 = fixture("apigw-http", "go-v2-no-authorizer");
    rejects({ ...v2, routeArn: "arn:aws:execute-api:x" }, /an API Gateway authorizer event/);
  });

  it("tells Amazon MQ by its messages whatever the eventSource spelling (mq/*.json)", () => {
    const sources = fixtureNames("mq").map((name) => fixture("mq", name).eventSource);
    assert.deepEqual(sources.sort(), ["aws:amq", "aws:mq", "aws:rmq"]);
  });
});

describe("EVENT_KINDS", () => {
  it("lists exactly the kinds the fixtures are told as", () => {
    const told = new Set(
      KINDS.flatMap(([, type, exceptions]) => [type, ...Object.values(exceptions)]),
    );
    assert.deepEqual([...told].sort(), Object.keys(EVENT_KINDS).sort());
  });

  it("gives each HTTP kind the request.kind documented, lattice for both Lattice versions", () => {
    const http = Object.entries(EVENT_KINDS).filter(([type]) => !isBatch(type as EventType));
    assert.deepEqual(Object.fromEntries(http), {
      rest: "rest",
      "http-api": "http-api",
      "function-url": "function-url",
      alb: "alb",
      direct: "direct",
      "lattice-v1": "lattice",
      "lattice-v2": "lattice",
    });
  });
});

describe("isBatch", () => {
  it("holds for SQS, SNS and MQ events and for no HTTP event", () => {
    const batches = Object.keys(EVENT_KINDS).filter((type) => isBatch(type as EventType));
    assert.deepEqual(batches, ["sqs", "sns", "mq"]);
    for (const [kind] of KINDS) {
      const expected = kind === "sqs" || kind === "sns" || kind === "mq";
      for (const name of fixtureNames(kind)) {
        assert.equal(isBatch(detectEvent(fixture(kind, name))), expected, `${kind}/${name}`);
      }
    }
  });
});
