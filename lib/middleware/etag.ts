// etag(): an ETag from the body's hash, and 304 Not Modified for If-None-Match or If-Modified-Since.

import type { Middleware } from "../use.js";
import type { Response } from "../response.js";
import { deleteHeader, getHeader, setHeader } from "../util/header-map.js";

/** Options of {@link etag}. */
export interface EtagOptions {
  /** Send weak validators (`W/"…"`): equal meaning rather than equal bytes. @default false */
  weak?: boolean;
}

type Crypto = typeof import("node:crypto");

let crypto: Crypto | undefined;
// node:crypto costs a few ms to load: paid on the first hashed body, never at import.
const loadCrypto = async (): Promise<Crypto> => (crypto ??= await import("node:crypto"));

/** The entity tag of a body: its length and SHA-1, as `"<length hex>-<27 base64url chars>"`. */
export async function bodyTag(body: string | Uint8Array, weak = false): Promise<string> {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  const lib = crypto ?? (await loadCrypto());
  // crypto.hash (Node 20.12+) skips the Hash object: about twice as fast for small bodies.
  const hash =
    typeof lib.hash === "function"
      ? lib.hash("sha1", bytes, "base64url")
      : lib.createHash("sha1").update(bytes).digest("base64url");
  const tag = `"${bytes.byteLength.toString(16)}-${hash.slice(0, 27)}"`;
  return weak ? `W/${tag}` : tag;
}

const TAG = /\s*(?:W\/)?("[^"]*")\s*(?:,|$)/gy;

/**
 * Whether an `If-None-Match` value matches `tag`, by the weak comparison RFC 9110 prescribes
 * for it (`W/` ignored on both sides): `*`, or a list of tags one of which is equal.
 */
export function noneMatch(header: string, tag: string): boolean {
  if (header.trim() === "*") return true;
  const opaque = tag.startsWith("W/") ? tag.slice(2) : tag;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(header); m !== null && m[0] !== ""; m = TAG.exec(header)) {
    if (m[1] === opaque) return true;
  }
  return false;
}

/** Turns a 200 into a 304: no body, and no content metadata (RFC 9110 §15.4.5). */
function notModified(answer: Response<string | Uint8Array | undefined>): typeof answer {
  answer.status = 304;
  answer.content = undefined;
  for (const name of Object.keys(answer.headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith("content-") && lower !== "content-location")
      deleteHeader(answer.headers, lower);
  }
  return answer;
}

/**
 * Conditional GET middleware: a 200 answer to GET or HEAD gets an `ETag` (the route's own, else
 * a hash of the body); a request whose `If-None-Match` matches it (lists and `W/` included), or,
 * without `If-None-Match`, whose `If-Modified-Since` is not older than the route's
 * `Last-Modified`, is answered 304 with no body.
 * @example
 * createApi().use(etag()).get("/items", () => items)
 */
export function etag(options: EtagOptions = {}): Middleware<{}, Promise<unknown>> {
  const weak = options.weak === true;
  return async (input, next) => {
    const answer = await next();
    const method = input.request.method;
    if ((method !== "GET" && method !== "HEAD") || answer.status !== 200) return answer;
    let tag = getHeader(answer.headers, "etag");
    if (tag === undefined && answer.content !== undefined) {
      tag = await bodyTag(answer.content, weak);
      setHeader(answer.headers, "etag", tag);
    }
    const ifNoneMatch = input.headers["if-none-match"];
    if (ifNoneMatch !== undefined) {
      return tag !== undefined && noneMatch(ifNoneMatch, tag) ? notModified(answer) : answer;
    }
    const since = Date.parse(input.headers["if-modified-since"] ?? "");
    const modified = Date.parse(getHeader(answer.headers, "last-modified") ?? "");
    // HTTP dates have whole seconds: a Last-Modified in the same second is not newer.
    if (Number.isFinite(since) && Number.isFinite(modified) && modified <= since) {
      return notModified(answer);
    }
    return answer;
  };
}
