// Loads the real AWS event samples of spec/fixtures/aws-events by kind and name, and makes a fake Lambda context.

import { readdirSync, readFileSync } from "node:fs";
import type { LambdaContext } from "../../lib/request.js";

/** The folders of the fixture tree, one per event kind (see the fixtures README). */
export type FixtureKind =
  | "apigw-rest"
  | "apigw-http"
  | "function-url"
  | "alb"
  | "websocket"
  | "vpc-lattice"
  | "sqs"
  | "sns"
  | "mq"
  | "other"
  | "responses";

/** A parsed fixture: a JSON object whose shape tests read with their own casts. */
export type Json = Record<string, unknown>;

/** The HTTP kinds: every file of these folders is an HTTP request `api.handler` serves. */
export const HTTP_KINDS = ["apigw-rest", "apigw-http", "function-url", "alb"] as const;

/** The fixture tree, kept in the repository beside this folder (its README gives provenance and licences). */
export const FIXTURES_DIR = new URL("../fixtures/aws-events/", import.meta.url);

const cache = new Map<string, unknown>();

function load(kind: FixtureKind, file: string): unknown {
  const key = `${kind}/${file}`;
  if (!cache.has(key)) {
    cache.set(key, JSON.parse(readFileSync(new URL(key, FIXTURES_DIR), "utf8")));
  }
  return cache.get(key);
}

const withJson = (name: string): string => (name.endsWith(".json") ? name : `${name}.json`);

/**
 * One fixture, parsed: a fresh deep copy on every call, so a test may change it freely.
 * @param name the file name, with or without `.json`
 * @throws when the file does not exist (a typo in a test is loud)
 * @example
 * const event = fixture("apigw-rest", "powertools-ts-real-no-auth");
 */
export function fixture<T = Json>(kind: FixtureKind, name: string): T {
  return structuredClone(load(kind, withJson(name))) as T;
}

/** The `.json` file names of one kind, sorted. */
export function fixtureNames(kind: FixtureKind): string[] {
  return readdirSync(new URL(`${kind}/`, FIXTURES_DIR))
    .filter((file) => file.endsWith(".json"))
    .sort();
}

/**
 * Every fixture of one kind as `{ name, event }` (`name` with `.json`, fresh copies), sorted.
 * @example
 * for (const { name, event } of fixtures("alb")) await api.handler(event, fakeContext());
 */
export function fixtures<T = Json>(kind: FixtureKind): { name: string; event: T }[] {
  return fixtureNames(kind).map((name) => ({ name, event: fixture<T>(kind, name) }));
}

/** A Lambda context with every field set; what the runtime passes, minus the callbacks. */
export interface FakeContext extends LambdaContext {
  readonly awsRequestId: string;
  readonly functionName: string;
  readonly logStreamName: string;
  getRemainingTimeInMillis(): number;
}

/**
 * A fake Lambda context. Remaining time is a fixed number (30 s unless given), so nothing
 * depends on the clock.
 * @example
 * await api.handler(event, fakeContext({ awsRequestId: "inv-1" }));
 */
export function fakeContext(
  options: { awsRequestId?: string; remainingMs?: number; logStreamName?: string } = {},
): FakeContext {
  const remaining = options.remainingMs ?? 30_000;
  return {
    awsRequestId: options.awsRequestId ?? "00000000-0000-4000-8000-000000000000",
    functionName: "fixture-test",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:fixture-test",
    memoryLimitInMB: "128",
    logGroupName: "/aws/lambda/fixture-test",
    logStreamName: options.logStreamName ?? "2024/01/01/[$LATEST]0123456789abcdef",
    getRemainingTimeInMillis: () => remaining,
  };
}
