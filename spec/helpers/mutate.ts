// Fuzzing arbitraries: every real AWS event sample, mutated at random (keys removed, nulled or retyped, header case, hostile bodies, lengths and characters).

import fc from "fast-check";
import { mqEvent, snsEvent, sqsEvent } from "./batch.js";
import { bodyMutation, encode, hostileText, retyped } from "./hostile-values.js";
import { type FixtureKind, fixture, fixtureNames, type Json } from "./fixtures.js";

/** Every folder of the fixture tree: HTTP kinds, batches, and events the library refuses. */
export const ALL_KINDS: readonly FixtureKind[] = [
  "apigw-rest",
  "apigw-http",
  "function-url",
  "alb",
  "vpc-lattice",
  "websocket",
  "sqs",
  "sns",
  "mq",
  "other",
  "responses",
];

/** One fixture file. */
export interface Sample {
  readonly kind: FixtureKind;
  readonly name: string;
}

/** Every fixture file of every folder, sorted by folder then name. */
export function allSamples(): Sample[] {
  return ALL_KINDS.flatMap((kind) => fixtureNames(kind).map((name) => ({ kind, name })));
}

/** How big the generated hostile values may get. */
export interface MutateLimits {
  /** Longest string an "absurd length" mutation makes, in characters. @default 65_536 */
  readonly maxLength?: number;
  /** Deepest JSON nesting a generated body has. @default 2_000 */
  readonly maxDepth?: number;
}

/** One change to an event; plain data, so a failing case prints readably. */
export type Mutation =
  | { readonly op: "remove"; readonly at: number }
  | { readonly op: "null"; readonly at: number }
  | { readonly op: "retype"; readonly at: number; readonly value: unknown }
  | { readonly op: "long"; readonly at: number; readonly length: number; readonly unit: string }
  | { readonly op: "chars"; readonly at: number; readonly text: string }
  | { readonly op: "recase"; readonly seed: number }
  | { readonly op: "target"; readonly method: string; readonly path: string }
  | { readonly op: "header" | "query"; readonly name: string; readonly value: string }
  | { readonly op: "cookie"; readonly value: string }
  | {
      readonly op: "body";
      readonly body: string;
      readonly flag: unknown;
      readonly type: string | undefined;
    };

/** A generated event and how it was made (shown when a property fails). */
export interface FuzzCase {
  readonly from: string;
  readonly mutations: readonly Mutation[];
  readonly event: unknown;
}

/** The mutation that aims an event at one of `targets` (`"POST /items/{id}"`), filled at random. */
function target(targets: readonly string[]): fc.Arbitrary<Mutation> {
  const plain = fc.oneof(fc.constantFrom("1", "42", "abc", "a%20b"), fc.webSegment());
  const segment = fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: hostileText });
  const tail = fc.constantFrom("", "", "", "/", "//", "?x=1", "/%", "/..");
  const method = fc.oneof(
    fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "get", "TRACE"),
    hostileText,
  );
  return fc
    .record({
      route: fc.constantFrom(...targets),
      one: segment,
      two: segment,
      tail,
      other: fc.oneof(
        { weight: 4, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: method },
      ),
    })
    .map(({ route, one, two, tail, other }) => {
      const [verb = "GET", template = "/"] = route.split(" ");
      const path = template.replace(/\{[^}+]+\}/, one).replace(/\{[^}]+\+\}/, `${two}/${one}`);
      return { op: "target" as const, method: other ?? verb, path: `${path}${tail}` };
    });
}

/**
 * One random mutation. `targets` are the routes of the fuzzed app (`"GET /items/{id}"`), so
 * mutated events reach routes, not only 404.
 */
export function mutation(
  targets: readonly string[],
  limits: MutateLimits = {},
): fc.Arbitrary<Mutation> {
  const full = { maxLength: limits.maxLength ?? 65_536, maxDepth: limits.maxDepth ?? 2_000 };
  const at = fc.nat();
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constantFrom("remove" as const, "null" as const), at }),
    },
    { weight: 3, arbitrary: fc.record({ op: fc.constant("retype" as const), at, value: retyped }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("long" as const),
        at,
        length: fc.integer({ min: 1_000, max: full.maxLength }),
        unit: fc.constantFrom("a", "/", "%", "é", "\u0000", "💥"),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant("chars" as const), at, text: hostileText }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("recase" as const), seed: fc.nat() }) },
    { weight: 2, arbitrary: target(targets) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constantFrom("header" as const, "query" as const),
        name: fc.oneof(
          fc.constantFrom(
            "x-request-id",
            "cookie",
            "content-type",
            "user-agent",
            "q",
            "n",
            "tag",
            "v",
          ),
          hostileText,
        ),
        value: fc.oneof(hostileText, fc.constant("a".repeat(10_240))),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("cookie" as const), value: hostileText }) },
    { weight: 4, arbitrary: bodyMutation(full) },
  );
}

type Container = Record<string, unknown> | unknown[];
type Slot = readonly [Container, string | number];

const isContainer = (value: unknown): value is Container =>
  typeof value === "object" && value !== null;

/** Every key or index of the tree (objects and arrays, not inside strings), first 2,000. */
function slots(root: unknown): Slot[] {
  const out: Slot[] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0 && out.length < 2_000) {
    const node = stack.pop();
    if (!isContainer(node)) continue;
    for (const key of Object.keys(node)) {
      const at = Array.isArray(node) ? Number(key) : key;
      out.push([node, at]);
      stack.push((node as Record<string, unknown>)[key]);
    }
  }
  return out;
}

const get = ([node, key]: Slot): unknown => (node as Record<string | number, unknown>)[key];
const set = ([node, key]: Slot, value: unknown): void => {
  (node as Record<string | number, unknown>)[key] = value;
};

function remove([node, key]: Slot): void {
  if (Array.isArray(node)) node.splice(key as number, 1);
  else delete node[key as string];
}

function pick(all: readonly Slot[], at: number): Slot | undefined {
  return all.length === 0 ? undefined : all[at % all.length];
}

function obj(value: unknown): Json | undefined {
  return isContainer(value) && !Array.isArray(value) ? (value as Json) : undefined;
}

function recase(name: string, seed: number): string {
  let out = "";
  let state = seed >>> 0 || 1;
  for (const char of name) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    out += state & 0x100 ? char.toUpperCase() : char.toLowerCase();
  }
  return out;
}

/** Sets a header in every header map the event has (single- and multi-value). */
function setHeader(event: Json, name: string, value: string): void {
  const single = obj(event.headers);
  const multi = obj(event.multiValueHeaders);
  if (single) single[name] = value;
  if (multi) multi[name] = [value];
  if (!single && !multi) event.headers = { [name]: value };
}

const PATH_FIELDS = [["path"], ["rawPath"], ["raw_path"], ["requestContext", "http", "path"]];
const METHOD_FIELDS = [["httpMethod"], ["method"], ["requestContext", "http", "method"]];

/** Sets `value` at each field path that already holds a string. */
function setPresent(event: Json, fields: readonly string[][], value: string): void {
  for (const field of fields) {
    let node: Json | undefined = event;
    for (const key of field.slice(0, -1)) node = obj(node?.[key]);
    const last = field[field.length - 1]!;
    if (node && typeof node[last] === "string") node[last] = value;
  }
}

function addQuery(event: Json, name: string, value: string): void {
  if (typeof event.rawQueryString === "string") {
    const pair = `${encode(name)}=${encode(value)}`;
    event.rawQueryString = event.rawQueryString ? `${event.rawQueryString}&${pair}` : pair;
  }
  for (const key of ["queryStringParameters", "query_string_parameters"]) {
    const map = obj(event[key]);
    if (map) map[name] = value;
  }
  const multi = obj(event.multiValueQueryStringParameters);
  if (multi) multi[name] = [value, value];
}

/** Applies one mutation in place (the event is a fresh copy). */
export function applyMutation(event: Json, change: Mutation): void {
  switch (change.op) {
    case "remove":
    case "null":
    case "retype": {
      const slot = pick(slots(event), change.at);
      if (!slot) return;
      if (change.op === "remove") remove(slot);
      else if (change.op === "null") set(slot, null);
      else set(slot, structuredClone(change.value));
      return;
    }
    case "long":
    case "chars": {
      const strings = slots(event).filter((slot) => typeof get(slot) === "string");
      const slot = pick(strings, change.at);
      if (!slot) return;
      const text = change.op === "long" ? change.unit.repeat(change.length) : change.text;
      set(slot, `${String(get(slot))}${text}`);
      return;
    }
    case "recase":
      for (const key of ["headers", "multiValueHeaders"]) {
        const map = obj(event[key]);
        if (!map) continue;
        const renamed: Json = {};
        for (const name of Object.keys(map)) renamed[recase(name, change.seed)] = map[name];
        event[key] = renamed;
      }
      return;
    case "target":
      setPresent(event, PATH_FIELDS, change.path);
      setPresent(event, METHOD_FIELDS, change.method);
      return;
    case "header":
      setHeader(event, change.name, change.value);
      return;
    case "query":
      addQuery(event, change.name, change.value);
      return;
    case "cookie":
      if (Array.isArray(event.cookies)) event.cookies.push(change.value);
      else setHeader(event, "cookie", change.value);
      return;
    case "body":
      event.body = change.body;
      if ("is_base64_encoded" in event) event.is_base64_encoded = change.flag;
      else event.isBase64Encoded = change.flag;
      if (change.type !== undefined) setHeader(event, "content-type", change.type);
      return;
  }
}

/** Every sample of the tree mutated by up to `max` random changes. */
export function mutatedEvent(
  targets: readonly string[],
  limits: MutateLimits = {},
  max = 6,
): fc.Arbitrary<FuzzCase> {
  return fc
    .record({
      sample: fc.constantFrom(...allSamples()),
      aim: fc.option(target(targets), { freq: 5 }),
      more: fc.array(mutation(targets, limits), { maxLength: max }),
    })
    .map(({ sample, aim, more }) => {
      const mutations = aim ? [aim, ...more] : more;
      const event = fixture(sample.kind, sample.name);
      for (const change of mutations) applyMutation(event, change);
      return { from: `${sample.kind}/${sample.name}`, mutations, event };
    });
}

const BATCHES = [
  ["sqs", "go-sqs-message-attributes"],
  ["sqs", "powertools-py-two-records"],
  ["sqs", "powertools-py-fifo-sns-envelope"],
  ["sns", "go-sns"],
  ["sns", "rust-sns-url-uppercase"],
  ["mq", "go-activemq"],
  ["mq", "powertools-py-activemq"],
  ["mq", "go-rabbitmq"],
] as const;

/**
 * A batch from a real SQS, SNS or MQ sample whose records carry mutated HTTP events (or text that
 * is no request at all); the envelope itself may be mutated too.
 */
export function mutatedBatch(
  targets: readonly string[],
  limits: MutateLimits = {},
): fc.Arbitrary<FuzzCase> {
  const inner = fc.oneof(
    { weight: 4, arbitrary: mutatedEvent(targets, limits, 3).map((c) => JSON.stringify(c.event)) },
    { weight: 1, arbitrary: fc.oneof(hostileText, fc.json()) },
  );
  return fc
    .record({
      envelope: fc.constantFrom(...BATCHES),
      bodies: fc.array(inner, { maxLength: 4 }),
      mutations: fc.array(mutation(targets, limits), { maxLength: 2 }),
    })
    .map(({ envelope: [source, name], bodies, mutations }) => {
      const event =
        source === "sqs"
          ? sqsEvent(name, bodies)
          : source === "sns"
            ? snsEvent(name, bodies)
            : mqEvent(name, bodies);
      for (const change of mutations) applyMutation(event, change);
      return { from: `${source}/${name} × ${bodies.length}`, mutations, event };
    });
}

/** Single events (six in seven) and batches of them (one in seven). */
export function fuzzCase(
  targets: readonly string[],
  limits: MutateLimits = {},
): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { weight: 6, arbitrary: mutatedEvent(targets, limits) },
    { weight: 1, arbitrary: mutatedBatch(targets, limits) },
  );
}
