// awsServerFault against errors thrown by the real SSM client, and against things that are not.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { annotateAwsErrors } from "../../lib/aws/index.js";
import { awsServerFault } from "../../lib/util/aws-fault.js";
import { type FaultAnswer, ssmClientFor, useSsmServer } from "../helpers/ssm-server.js";

describe("awsServerFault", () => {
  const double = useSsmServer({ "/app/name": { value: "demo" } });

  /** What the real client throws when the double answers with `fault` (or for `name`). */
  async function thrown(
    fault: FaultAnswer | undefined,
    name = "/app/name",
    via = double.client,
  ): Promise<unknown> {
    double.server.fault = fault;
    try {
      await via.send(new GetParameterCommand({ Name: name }));
    } catch (error) {
      return error;
    } finally {
      double.server.fault = undefined;
    }
    assert.fail("the call was expected to fail");
  }

  const serverFaults: ReadonlyArray<readonly [string, FaultAnswer, string, number]> = [
    [
      "a modeled 500",
      { status: 500, type: "InternalServerError", message: "boom" },
      "InternalServerError",
      500,
    ],
    ["an unmodeled 503", { status: 503, type: "ServiceUnavailable" }, "ServiceUnavailable", 503],
    ["an unmodeled 502", { status: 502, type: "BadGateway" }, "BadGateway", 502],
    [
      "a modeled throttling 400",
      { status: 400, type: "ThrottlingException", message: "Rate exceeded" },
      "ThrottlingException",
      400,
    ],
    [
      "an unmodeled TooManyRequestsException 400",
      { status: 400, type: "TooManyRequestsException" },
      "TooManyRequestsException",
      400,
    ],
    [
      "an unmodeled RequestLimitExceeded 400",
      { status: 400, type: "RequestLimitExceeded" },
      "RequestLimitExceeded",
      400,
    ],
    [
      "a namespaced throttling type",
      { status: 400, type: "com.amazonaws.ssm#ThrottlingException" },
      "ThrottlingException",
      400,
    ],
  ];

  for (const [label, fault, name, status] of serverFaults) {
    it(`reports ${label} as a server fault with name, status, request id and service`, async () => {
      const error = await thrown(fault);
      assert.deepEqual(awsServerFault(error), {
        name,
        status,
        requestId: double.server.requestId,
        service: "SSM",
      });
    });
  }

  const clientFaults: ReadonlyArray<readonly [string, FaultAnswer | undefined, string?]> = [
    ["ParameterNotFound", undefined, "/app/missing"],
    [
      "AccessDeniedException",
      { status: 400, type: "AccessDeniedException", message: "not allowed" },
    ],
    ["ValidationException", { status: 400, type: "ValidationException", message: "bad name" }],
    ["an unmodeled 403", { status: 403, type: "UnrecognizedClientException" }],
    ["InvalidKeyId", { status: 400, type: "InvalidKeyId" }],
  ];

  for (const [label, fault, name] of clientFaults) {
    it(`gives undefined for ${label}, a client fault`, async () => {
      const error = await thrown(fault, name);
      assert.equal((error as { $fault?: unknown }).$fault, "client");
      assert.equal(awsServerFault(error), undefined);
    });
  }

  it("adds service and operation from a client annotated with annotateAwsErrors", async (t) => {
    const annotated = annotateAwsErrors(ssmClientFor(double.server));
    t.after(() => annotated.destroy());
    const error = await thrown(
      { status: 500, type: "InternalServerError" },
      "/app/name",
      annotated,
    );
    assert.deepEqual(awsServerFault(error), {
      name: "InternalServerError",
      status: 500,
      requestId: double.server.requestId,
      service: "SSM",
      operation: "GetParameter",
    });
  });

  it("reports a client fault the service marks as throttling through $retryable", async () => {
    // Services with Smithy's @retryable(throttling: true) trait set this on their errors.
    const error = (await thrown({ status: 400, type: "QuotaBusy" })) as { $retryable?: unknown };
    assert.equal(awsServerFault(error), undefined);
    error.$retryable = { throttling: true };
    assert.equal(awsServerFault(error)?.name, "QuotaBusy");
  });

  it("gives undefined for a timeout, which is no answer from AWS", async (t) => {
    const impatient = ssmClientFor(double.server, {
      requestHandler: { requestTimeout: 50, throwOnRequestTimeout: true },
    });
    t.after(() => impatient.destroy());
    double.server.delayMs = Number.POSITIVE_INFINITY;
    t.after(() => {
      double.server.delayMs = 0;
    });
    const error = await thrown(undefined, "/app/name", impatient);
    assert.equal((error as Error).name, "TimeoutError");
    assert.equal(awsServerFault(error), undefined);
  });

  const notAws: ReadonlyArray<readonly [string, unknown]> = [
    ["a thrown string", "x"],
    ["null", null],
    ["undefined", undefined],
    ["a number", 503],
    ["a plain Error", new Error("boom")],
    [
      "an Error with metadata but no fault side",
      Object.assign(new Error("x"), { $metadata: { httpStatusCode: 500 } }),
    ],
    [
      "an object with a fault side but no metadata",
      { name: "InternalServerError", $fault: "server" },
    ],
  ];

  for (const [label, value] of notAws) {
    it(`gives undefined for ${label}`, () => {
      assert.equal(awsServerFault(value), undefined);
    });
  }
});
