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

/** Whether a media type is a form (`application/x-www-form-urlencoded`, `multipart/form-data`). */
export function isFormType(type: string | undefined): boolean {
  return type === "application/x-www-form-urlencoded" || type === "multipart/form-data";
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
