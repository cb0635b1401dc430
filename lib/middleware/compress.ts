// compress(): br, gzip or deflate bodies by Accept-Encoding q-values, through node:zlib loaded on first use.

import type { Middleware } from "../use.js";
import { mediaTypeOf } from "../util/body.js";
import { describeValue } from "../util/describe.js";
import { addVary, deleteHeader, getHeader, setHeader } from "../util/header-map.js";

/** A content coding `compress` can produce. */
export type Encoding = "br" | "gzip" | "deflate";

/** Options of {@link compress}. */
export interface CompressOptions {
  /** Bodies smaller than this many bytes are sent as they are. @default 1024 */
  threshold?: number;
  /**
   * The codings offered, in the server's order of preference (it breaks q-value ties).
   * @default ["br", "gzip", "deflate"]
   */
  encodings?: readonly Encoding[];
}

type Zlib = typeof import("node:zlib");

let zlib: Zlib | undefined;
// node:zlib costs about 2 ms to load: paid on the first compressed answer, never at import.
const loadZlib = async (): Promise<Zlib> => (zlib ??= await import("node:zlib"));

const CODINGS: readonly Encoding[] = ["br", "gzip", "deflate"];

/** Text-like media types, which compress well; images, archives and video already are compressed. */
export function isCompressible(type: string | undefined): boolean {
  if (type === undefined) return false;
  return (
    type.startsWith("text/") ||
    type.endsWith("+json") ||
    type.endsWith("+xml") ||
    /^application\/(json|xml|javascript|ecmascript|x-javascript|x-ndjson|x-www-form-urlencoded|wasm|graphql-response\+json)$/.test(
      type,
    ) ||
    type === "image/svg+xml" ||
    type === "image/bmp" ||
    type === "font/ttf" ||
    type === "font/otf"
  );
}

/**
 * The coding to use for an `Accept-Encoding` value: the offered coding of highest q-value
 * (`*` covers codings not named; q=0 refuses), ties broken by `offered`'s order; undefined for
 * none (no header, only `identity`, or every offered coding refused).
 */
export function chooseEncoding(
  header: string | undefined,
  offered: readonly Encoding[],
): Encoding | undefined {
  if (!header) return undefined;
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [token = "", ...params] = part.split(";");
    const name = token.trim().toLowerCase();
    if (name === "" || weights.has(name)) continue;
    let q = 1;
    for (const param of params) {
      const eq = param.indexOf("=");
      if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== "q") continue;
      const value = Number(param.slice(eq + 1).trim());
      // A malformed q-value counts as a refusal rather than a guess.
      q = Number.isFinite(value) && value >= 0 && value <= 1 ? value : 0;
    }
    weights.set(name, q);
  }
  let best: Encoding | undefined;
  let bestQ = 0;
  for (const coding of offered) {
    const q = weights.get(coding) ?? weights.get("*") ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

function encode(lib: Zlib, coding: Encoding, bytes: Uint8Array): Uint8Array {
  const out =
    coding === "br"
      ? lib.brotliCompressSync(bytes, {
          params: {
            // Quality 4 of 11: close to gzip's size at a fraction of brotli's default CPU time,
            // the usual choice for answers compressed per request.
            [lib.constants.BROTLI_PARAM_QUALITY]: 4,
            [lib.constants.BROTLI_PARAM_MODE]: lib.constants.BROTLI_MODE_TEXT,
            [lib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
          },
        })
      : coding === "gzip"
        ? lib.gzipSync(bytes)
        : lib.deflateSync(bytes);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Compression middleware: a body of a text-like media type, at least `threshold` bytes, is sent
 * br, gzip or deflate encoded as `Accept-Encoding` prefers (bytes, so base64 in the result),
 * with `Content-Encoding` and `Vary: Accept-Encoding`. Never for HEAD, 204, 304, a body already
 * encoded, a streamed body or `Cache-Control: no-transform`; a strong ETag becomes weak.
 * @throws TypeError when an option is invalid.
 * @example
 * createApi().use(compress({ threshold: 2048 }))
 */
export function compress(options: CompressOptions = {}): Middleware<{}, Promise<unknown>> {
  const threshold = options.threshold ?? 1024;
  if (!(Number.isInteger(threshold) && threshold >= 0)) {
    throw new TypeError(
      `compress: threshold must be a whole number of bytes, got ${describeValue(threshold)}`,
    );
  }
  const offered = options.encodings ?? CODINGS;
  if (
    !Array.isArray(offered) ||
    offered.length === 0 ||
    offered.some((c, i) => !CODINGS.includes(c) || offered.indexOf(c) !== i)
  ) {
    throw new TypeError(
      `compress: encodings must list some of "br", "gzip", "deflate" once each, got ${JSON.stringify(offered)}`,
    );
  }
  return async (input, next) => {
    const answer = await next();
    const { content, headers } = answer;
    const status = answer.status ?? 200;
    if (input.request.method === "HEAD" || status === 204 || status === 304 || status < 200) {
      return answer;
    }
    if (content === undefined || content.length === 0) return answer;
    if (getHeader(headers, "content-encoding") !== undefined) return answer;
    if (!isCompressible(mediaTypeOf(getHeader(headers, "content-type")))) return answer;
    if (/(^|,)\s*no-transform\s*(,|$)/i.test(getHeader(headers, "cache-control") ?? "")) {
      return answer;
    }
    const size = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
    if (size < threshold) return answer;
    addVary(headers, "Accept-Encoding");
    const coding = chooseEncoding(input.headers["accept-encoding"], offered);
    if (coding === undefined) return answer;
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    const encoded = encode(zlib ?? (await loadZlib()), coding, bytes);
    if (encoded.byteLength >= bytes.byteLength) return answer;
    answer.content = encoded;
    setHeader(headers, "content-encoding", coding);
    deleteHeader(headers, "content-length");
    // The encoded bytes are another representation: a strong validator no longer matches them.
    const tag = getHeader(headers, "etag");
    if (tag?.startsWith('"')) setHeader(headers, "etag", `W/${tag}`);
    return answer;
  };
}
