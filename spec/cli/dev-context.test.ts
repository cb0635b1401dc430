// The dev server's Lambda context: names from the environment, one log stream, a deadline counting down.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createContext, createEnvironment } from "../../lib/cli/dev-context.js";

describe("createEnvironment", () => {
  it("names the function after the entry and the log stream as Lambda does", () => {
    const environment = createEnvironment("app", 30_000, {});
    assert.equal(environment.functionName, "app");
    assert.equal(
      environment.invokedFunctionArn,
      "arn:aws:lambda:us-east-1:123456789012:function:app",
    );
    assert.equal(environment.logGroupName, "/aws/lambda/app");
    assert.match(environment.logStreamName, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it("takes names from the AWS_LAMBDA_* and AWS_REGION variables when they are set", () => {
    const environment = createEnvironment("app", 30_000, {
      AWS_LAMBDA_FUNCTION_NAME: "orders-api",
      AWS_REGION: "eu-west-1",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
      AWS_LAMBDA_LOG_STREAM_NAME: "stream-1",
    });
    assert.equal(environment.functionName, "orders-api");
    assert.equal(
      environment.invokedFunctionArn,
      "arn:aws:lambda:eu-west-1:123456789012:function:orders-api",
    );
    assert.equal(environment.memoryLimitInMB, "512");
    assert.equal(environment.logStreamName, "stream-1");
  });
});

describe("createContext", () => {
  it("counts the remaining time down from the timeout and stops at 0", () => {
    let now = 1_000;
    const context = createContext(createEnvironment("app", 5_000, {}), () => now);
    assert.equal(context.getRemainingTimeInMillis(), 5_000);
    now += 1_250;
    assert.equal(context.getRemainingTimeInMillis(), 3_750);
    now += 10_000;
    assert.equal(context.getRemainingTimeInMillis(), 0);
  });

  it("gives each invocation its own request id and the environment's log stream", () => {
    const environment = createEnvironment("app", 5_000, {});
    const a = createContext(environment);
    const b = createContext(environment);
    assert.notEqual(a.awsRequestId, b.awsRequestId);
    assert.equal(a.logStreamName, b.logStreamName);
    assert.equal(a.callbackWaitsForEmptyEventLoop, true);
  });
});
