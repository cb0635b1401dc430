// The in-memory cache of one execution environment: max age, shared calls, stale-if-error.

import { awsServerFault } from "../util/aws-fault.js";

/** How old a cached value may be, and how long past that it may serve after a failure. */
export interface Freshness {
  readonly maxAgeMs: number;
  readonly staleMs: number;
}

/** One cache: entries by key, and the calls under way by key. */
export interface Cache<T extends { readonly fetchedAt: number }> {
  /** The entry when it is younger than `maxAgeMs`. */
  fresh(key: string, maxAgeMs: number): T | undefined;
  /** Whether a call for the key is under way. */
  busy(key: string): boolean;
  /**
   * A fresh entry, else the call under way for the key, else `start()`; what a call brings is
   * kept. When the call fails transiently, an entry within `maxAgeMs + staleMs` is served.
   */
  load(key: string, freshness: Freshness, start: () => Promise<T>): Promise<T>;
  /** Keeps an entry fetched by other means (a path read seeds the names it found). */
  set(key: string, entry: T): void;
  /** Forgets every entry; calls under way finish without being kept. */
  clear(): void;
}

// Codes of Node's network errors the SDK itself retries (@smithy/core retry constants).
const networkCodes: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** A failure a stale value may stand in for: an AWS server fault, a timeout, the network. */
export function isTransient(error: unknown): boolean {
  if (awsServerFault(error) !== undefined) return true;
  if (typeof error !== "object" || error === null) return false;
  const { name, code, $fault } = error as { name?: unknown; code?: unknown; $fault?: unknown };
  if ($fault !== undefined) return false;
  return name === "TimeoutError" || (typeof code === "string" && networkCodes.has(code));
}

/**
 * Makes an empty cache.
 * @param now the clock, in ms.
 */
export function createCache<T extends { readonly fetchedAt: number }>(now: () => number): Cache<T> {
  const entries = new Map<string, T>();
  const pending = new Map<string, Promise<T>>();
  let generation = 0;

  function fresh(key: string, maxAgeMs: number): T | undefined {
    const entry = entries.get(key);
    return entry !== undefined && now() - entry.fetchedAt < maxAgeMs ? entry : undefined;
  }

  function share(key: string, start: () => Promise<T>): Promise<T> {
    const under = pending.get(key);
    if (under !== undefined) return under;
    const born = generation;
    const call = start().then((entry) => {
      if (born === generation) entries.set(key, entry);
      return entry;
    });
    const settled = () => {
      if (pending.get(key) === call) pending.delete(key);
    };
    call.then(settled, settled);
    pending.set(key, call);
    return call;
  }

  async function load(key: string, freshness: Freshness, start: () => Promise<T>): Promise<T> {
    const hit = fresh(key, freshness.maxAgeMs);
    if (hit !== undefined) return hit;
    try {
      return await share(key, start);
    } catch (error) {
      const stale = entries.get(key);
      const limit = freshness.maxAgeMs + freshness.staleMs;
      if (stale !== undefined && isTransient(error) && now() - stale.fetchedAt < limit)
        return stale;
      throw error;
    }
  }

  return {
    fresh,
    busy: (key) => pending.has(key),
    load,
    set: (key, entry) => void entries.set(key, entry),
    clear() {
      generation += 1;
      entries.clear();
      pending.clear();
    },
  };
}
