// aio-lambda-api/ssm: SSM Parameter Store reads, cached per execution environment and typed.

import { SSMClient } from "@aws-sdk/client-ssm";
import { annotateAwsErrors, awsClientConfig } from "../aws/index.js";
import { createCache } from "./cache.js";
import { decode, type Fetched } from "./decode.js";
import { isParameterError, notFound } from "./errors.js";
import { batchSize, fetchBatch, fetchOne, fetchPath } from "./fetch.js";
import {
  checkName,
  type FetchOptions,
  type ManyOptions,
  type ParametersResult,
  type ParameterValue,
  type PathOptions,
  resolve,
  type StringValueOptions,
  type ValueOptions,
} from "./options.js";
import { describeValue } from "../util/describe.js";

export { isParameterError, ParameterError } from "./errors.js";
export type { ParameterErrorDetails, ParameterErrorReason } from "./errors.js";
export type {
  FetchOptions,
  ManyOptions,
  ParameterSchema,
  ParametersResult,
  ParameterValue,
  PathOptions,
  StringValueOptions,
  ValueOptions,
} from "./options.js";

/** Options of `createSsm`. */
export interface SsmOptions extends FetchOptions {
  /**
   * The client to call SSM with.
   * @default new SSMClient(awsClientConfig()) with annotateAwsErrors, made on first use
   */
  readonly client?: SSMClient;
  /**
   * The clock the cache ages by, in ms.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** A parameter store helper with its own cache and client; `createSsm()` makes one. */
export interface Ssm {
  /**
   * One parameter's value: the string, `string[]` with `list: true`, or the schema's output.
   * @throws ParameterError when it does not exist or does not match; AWS errors as thrown.
   */
  getParameter<const O extends ValueOptions = StringValueOptions>(
    name: string,
    options?: O,
  ): Promise<ParameterValue<O>>;
  /**
   * Several parameters by name, fetched in calls of 10 names; cached ones are not asked for.
   * @throws ParameterError naming every missing name (with the values found in `found`),
   * unless `allowMissing`.
   */
  getParameters<const N extends string, const O extends ManyOptions = StringValueOptions>(
    names: readonly N[],
    options?: O,
  ): Promise<ParametersResult<N, O>>;
  /** Every parameter under a path (every page), by full name; the values also fill the name cache. */
  getParametersByPath(path: string, options?: PathOptions): Promise<Record<string, string>>;
  /** Forgets every cached value. */
  clear(): void;
}

interface PathFetched {
  readonly values: ReadonlyMap<string, Fetched>;
  readonly fetchedAt: number;
}

const nameKey = (name: string, decrypt: boolean) => `${decrypt ? "d" : "e"}:${name}`;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

/**
 * Makes a parameter store helper with its own cache: for your own client (another region,
 * a test double), a clock, or other defaults. The module's functions use one made on first use.
 * @example
 * import { SSMClient } from "@aws-sdk/client-ssm";
 * import { createSsm } from "aio-lambda-api/ssm";
 *
 * const ssm = createSsm({ client: new SSMClient({ region: "eu-west-1" }), maxAge: 60 });
 * const host = await ssm.getParameter("/app/db/host");
 */
export function createSsm(options: SsmOptions = {}): Ssm {
  const now = options.now ?? Date.now;
  const names = createCache<Fetched>(now);
  const paths = createCache<PathFetched>(now);
  let client = options.client;
  const sdk = (): SSMClient => {
    const made = client ?? annotateAwsErrors(new SSMClient(awsClientConfig()));
    client = made;
    return made;
  };

  async function getParameter(name: string, call?: ValueOptions): Promise<unknown> {
    checkName("name", name);
    const { decrypt, ...freshness } = resolve(call, options);
    const entry = await names.load(nameKey(name, decrypt), freshness, () =>
      fetchOne(sdk(), name, decrypt, now),
    );
    return decode(name, entry, call);
  }

  async function getParameters(
    asked: readonly string[],
    call?: ManyOptions,
  ): Promise<Record<string, unknown>> {
    if (!Array.isArray(asked))
      throw new TypeError(`SSM parameter names must be an array, got ${describeValue(asked)}`);
    const unique = [...new Set(asked.map((name) => checkName("name", name)))];
    const { decrypt, ...freshness } = resolve(call, options);
    // Names neither fresh nor already asked for go to SSM together, 10 a call, started lazily.
    const wanted = unique.filter((name) => {
      const key = nameKey(name, decrypt);
      return !names.fresh(key, freshness.maxAgeMs) && !names.busy(key);
    });
    const batches = new Map<string, () => Promise<Map<string, Fetched | undefined>>>();
    for (const group of chunks(wanted, batchSize)) {
      let started: Promise<Map<string, Fetched | undefined>> | undefined;
      const start = () => {
        started ??= fetchBatch(sdk(), group, decrypt, now);
        return started;
      };
      for (const name of group) batches.set(name, start);
    }
    const loads = unique.map((name) =>
      names.load(nameKey(name, decrypt), freshness, async () => {
        const batch = batches.get(name);
        // Only when the entry went stale between the check above and now: ask alone.
        if (batch === undefined) return fetchOne(sdk(), name, decrypt, now);
        const entry = (await batch()).get(name);
        if (entry === undefined) throw notFound([name]);
        return entry;
      }),
    );
    return collect(unique, await Promise.allSettled(loads), call);
  }

  async function collect(
    unique: readonly string[],
    settled: readonly PromiseSettledResult<Fetched>[],
    call: ManyOptions | undefined,
  ): Promise<Record<string, unknown>> {
    const found: Record<string, unknown> = {};
    const missing: string[] = [];
    for (const [index, outcome] of settled.entries()) {
      const name = unique[index]!;
      if (outcome.status === "fulfilled") {
        found[name] = await decode(name, outcome.value, call);
      } else if (isParameterError(outcome.reason) && outcome.reason.reason === "not-found") {
        missing.push(name);
      } else {
        // An AWS error is passed on as the SDK threw it, so a server fault still answers 503.
        throw outcome.reason;
      }
    }
    if (missing.length > 0 && call?.allowMissing !== true) throw notFound(missing, found);
    return found;
  }

  async function getParametersByPath(
    path: string,
    call?: PathOptions,
  ): Promise<Record<string, string>> {
    checkName("path", path);
    const recursive = call?.recursive === true;
    const { decrypt, ...freshness } = resolve(call, options);
    const key = `${decrypt ? "d" : "e"}${recursive ? "r" : "o"}:${path}`;
    const entry = await paths.load(key, freshness, async () => {
      const values = await fetchPath(sdk(), path, recursive, decrypt, now);
      for (const [name, value] of values) names.set(nameKey(name, decrypt), value);
      return { values, fetchedAt: now() };
    });
    const result: Record<string, string> = {};
    for (const [name, value] of entry.values) result[name] = value.value;
    return result;
  }

  return {
    getParameter: getParameter as Ssm["getParameter"],
    getParameters: getParameters as Ssm["getParameters"],
    getParametersByPath,
    clear() {
      names.clear();
      paths.clear();
    },
  };
}

let shared: Ssm | undefined;
const ssm = (): Ssm => {
  shared ??= createSsm();
  return shared;
};

/**
 * One parameter's value, cached in memory for `maxAge` seconds (default 300), decrypted by
 * default: the string, `string[]` with `list: true`, or the output of `schema` applied to the
 * JSON value. Concurrent calls for one name share one request.
 * @throws ParameterError when it does not exist, is not JSON or does not match the schema;
 * AWS errors (access denied, throttling, 5xx) as the SDK threw them.
 * @example
 * import * as v from "valibot";
 * import { getParameter } from "aio-lambda-api/ssm";
 *
 * const apiKey = await getParameter("/app/prod/api-key");                  // string
 * const hosts = await getParameter("/app/prod/hosts", { list: true });     // string[]
 * const db = await getParameter("/app/prod/db", {
 *   schema: v.object({ host: v.string(), port: v.number() }),            // { host; port }
 *   maxAge: 60,
 *   staleIfError: 600,
 * });
 */
export function getParameter<const O extends ValueOptions = StringValueOptions>(
  name: string,
  options?: O,
): Promise<ParameterValue<O>> {
  return ssm().getParameter(name, options);
}

/**
 * Several parameters by name, with one set of options: cached ones are served from memory,
 * the others fetched in GetParameters calls of 10 names, run together.
 * @throws ParameterError naming every name SSM does not have (`reason: "not-found"`, the
 * values found in `found`), unless `allowMissing: true` leaves them out of the result.
 * @example
 * const { "/app/db/host": host, "/app/db/user": user } = await getParameters([
 *   "/app/db/host",
 *   "/app/db/user",
 * ]);
 */
export function getParameters<
  const N extends string,
  const O extends ManyOptions = StringValueOptions,
>(names: readonly N[], options?: O): Promise<ParametersResult<N, O>> {
  return ssm().getParameters(names, options);
}

/**
 * Every parameter under a path, following every page, as `{ fullName: value }` with values as
 * SSM stores them (a `StringList` as its comma-separated string). Cached like single values.
 * @example
 * const config = await getParametersByPath("/app/prod/", { recursive: true });
 * config["/app/prod/db/host"]; // "db.internal"
 */
export function getParametersByPath(
  path: string,
  options?: PathOptions,
): Promise<Record<string, string>> {
  return ssm().getParametersByPath(path, options);
}
