// Body decoding: strict base64, UTF-8 text, JSON, and media-type classification.

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes standard base64; undefined when `text` is not valid base64. */
export function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.includes("\n") || text.includes("\r") ? text.replace(/\r?\n/g, "") : text;
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  const buffer = Buffer.from(compact, "base64");
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** The media type of a `content-type` value, lowercase, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const semi = contentType.indexOf(";");
  const type = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return type === "" ? undefined : type;
}

/** Whether a media type is JSON (`application/json`, `application/problem+json`, …). */
export function isJsonType(type: string | undefined): boolean {
  return type !== undefined && (type === "application/json" || type.endsWith("+json"));
}

/** Whether bytes of this media type are text, so they travel as a string rather than base64. */
export function isTextType(type: string | undefined): boolean {
  if (type === undefined) return false;
  return (
    type.startsWith("text/") ||
    isJsonType(type) ||
    type.endsWith("+xml") ||
    type === "application/xml" ||
    type === "application/javascript" ||
    type === "application/x-www-form-urlencoded" ||
    type === "image/svg+xml"
  );
}

const decoder = new TextDecoder();

/** UTF-8 text of bytes; invalid sequences become U+FFFD. */
export function utf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 text of bytes, or undefined when they are not valid UTF-8. */
export function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The deepest nesting of arrays and objects a JSON body may have. Deeper values overflow the
 * stack of `JSON.stringify` (about 4,000 levels on Node 20) and of any recursive code a route
 * runs on them: a route echoing such a body crashed with an uncaught RangeError instead of
 * answering. Jackson refuses past 1,000 levels too.
 */
export const MAX_JSON_DEPTH = 1000;

/**
 * Whether JSON text nests arrays and objects deeper than `max` levels. One pass, no recursion;
 * brackets inside strings are skipped. Text of `2 × max` characters or fewer cannot be deeper.
 */
export function nestedDeeperThan(text: string, max: number): boolean {
  if (text.length <= max * 2) return false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      // Skip a string: up to the next quote that no backslash escapes.
      for (i++; i < text.length; i++) {
        const inner = text.charCodeAt(i);
        if (inner === 0x5c) i++;
        else if (inner === 0x22) break;
      }
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > max) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return false;
}
