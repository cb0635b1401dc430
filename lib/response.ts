// Response and JSONResponse, and the per-request `response` state a route sets status and headers on.

import { serialize as serializeCookie, type SerializeOptions } from "cookie";
import { defineBrand } from "./util/brand.js";
import { describeValue, errorReason, quote } from "./util/describe.js";

const responseBrand = defineBrand<Response<unknown>>("Response");

/** Header values a response may carry: repeated headers as arrays. */
export type HeaderValues = Readonly<Record<string, string | readonly string[]>>;

/** Options of a {@link Response}. */
export interface ResponseOptions {
  /**
   * The status code; undefined keeps the route's status.
   * @default the route's `status`, else 200
   */
  status?: number;
  /** Headers to send; names are case-insensitive. */
  headers?: HeaderValues;
  /**
   * The `content-type`, unless `headers` sets one.
   * @default "application/json" for JSONResponse; none for Response
   */
  mediaType?: string;
}

/**
 * A full answer: status, headers, media type and content. `render()` turns the content into
 * the body; subclasses override it. Bytes (`Uint8Array`) go out base64-encoded.
 * @example
 * return new Response(bytes, { status: 202, mediaType: "application/octet-stream" });
 */
export class Response<Content = string | Uint8Array | null | undefined> {
  status: number | undefined;
  headers: Record<string, string | readonly string[]>;
  mediaType: string | undefined;
  content: Content;

  static {
    responseBrand.mark(Response);
  }

  constructor(content: Content, options: ResponseOptions = {}) {
    this.content = content;
    this.status = options.status;
    // Not `{ ...options.headers }`: on Node 20 each header added later to a spread copy costs
    // about 0.8 µs (its object map is rebuilt); an assigned copy stays fast.
    this.headers = Object.assign({}, options.headers);
    this.mediaType = options.mediaType;
  }

  /** Turns the content into the body: a string, bytes, or undefined for none. */
  render(): string | Uint8Array | undefined {
    const content: unknown = this.content;
    if (content === undefined || content === null) return undefined;
    if (typeof content === "string" || content instanceof Uint8Array) return content;
    return String(content);
  }
}

/**
 * A JSON answer (the default for plain return values): the content is `JSON.stringify`-ed.
 * @example
 * return new JSONResponse({ id }, { status: 201, headers: { location: `/items/${id}` } });
 */
export class JSONResponse<Content = unknown> extends Response<Content> {
  constructor(content: Content, options: ResponseOptions = {}) {
    super(content, { ...options, mediaType: options.mediaType ?? "application/json" });
  }

  override render(): string | undefined {
    return this.content === undefined ? undefined : JSON.stringify(this.content);
  }
}

/** Whether `value` is a {@link Response}, from this copy of the library or another. */
export const isResponse: (value: unknown) => value is Response<unknown> = responseBrand.is;

/** Cookie attributes of {@link ResponseState.setCookie}. */
export type CookieOptions = Pick<
  SerializeOptions,
  | "maxAge"
  | "expires"
  | "path"
  | "domain"
  | "secure"
  | "httpOnly"
  | "sameSite"
  | "partitioned"
  | "priority"
>;

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Whether `text` holds what would end a Set-Cookie attribute or the line: `;`, a control character. */
function breaksAttribute(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x3b) return true;
  }
  return false;
}

/** Checks what the `cookie` package does not: raw attribute text, and rules browsers enforce. */
function checkAttributes(name: string, options: CookieOptions): void {
  const fail = (why: string): never => {
    throw new TypeError(`Cookie ${quote(name)}: ${why}`);
  };
  for (const key of ["path", "domain"] as const) {
    const text = options[key];
    if (text !== undefined && (typeof text !== "string" || breaksAttribute(text))) {
      fail(
        `${key} must be text without ";", CR, LF or other control characters, got ${describeValue(text)}`,
      );
    }
  }
  const sameSite = typeof options.sameSite === "string" ? options.sameSite.toLowerCase() : "";
  if (sameSite === "none" && !options.secure) {
    fail('sameSite "none" needs secure: true (browsers drop the cookie otherwise)');
  }
  if (options.partitioned && !options.secure) {
    fail("partitioned needs secure: true (browsers drop the cookie otherwise)");
  }
  const lower = name.toLowerCase();
  if ((lower.startsWith("__secure-") || lower.startsWith("__host-")) && !options.secure) {
    fail("a __Secure- or __Host- name needs secure: true");
  }
  if (lower.startsWith("__host-") && (options.path !== "/" || options.domain !== undefined)) {
    fail('a __Host- name needs path "/" and no domain');
  }
}
// With the `u` flag a valid surrogate pair is one code point, so these match lone halves only.
const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATES = /\p{Cs}/gu;

/**
 * The `response` a route receives: set `status`, `headers` and cookies here while returning a
 * plain value.
 * @example
 * .get("/", ({ response }) => { response.headers["cache-control"] = "no-cache"; return { ok: true }; })
 */
export class ResponseState {
  /** Overrides the route's status; undefined keeps it. */
  status: number | undefined = undefined;
  /** Headers to add to the answer (lowercase names recommended). */
  headers: Record<string, string> = {};
  /** `Set-Cookie` lines to send. */
  readonly cookies: string[] = [];

  /**
   * Adds a `Set-Cookie`. The value is percent-encoded as UTF-8, so `;`, CR, LF or any other
   * character of it can never end the line or add an attribute; a lone surrogate (which UTF-8
   * cannot carry) becomes U+FFFD, as in `TextEncoder`.
   * @throws TypeError when the name is not a cookie token, an attribute is invalid (`path` or
   * `domain` with `;` or a control character, a `maxAge` that is not an integer, an invalid
   * `expires`), or a combination browsers drop (`sameSite: "none"` or `partitioned` without
   * `secure`, a `__Secure-` or `__Host-` name without what its prefix requires).
   * @example
   * response.setCookie("sid", token, { httpOnly: true, secure: true, sameSite: "lax", maxAge: 3600 });
   */
  setCookie(name: string, value: string, options: CookieOptions = {}): void {
    if (!COOKIE_NAME.test(name)) {
      throw new TypeError(
        `Cookie name must be a token (no spaces, ";", "=" or controls), got ${quote(name)}`,
      );
    }
    checkAttributes(name, options);
    const raw = String(value);
    // encodeURIComponent throws on a lone surrogate, and a route may set a cookie from client text
    // that holds one: an uncaught URIError where the route meant to answer.
    const text = LONE_SURROGATE.test(raw) ? raw.replace(LONE_SURROGATES, "\uFFFD") : raw;
    try {
      this.cookies.push(serializeCookie(name, text, options));
    } catch (error) {
      throw new TypeError(`Cookie ${quote(name)}: ${errorReason(error)}`, { cause: error });
    }
  }

  /**
   * Asks the client to delete a cookie (an expired `Set-Cookie`). Pass the `path` and `domain`
   * it was set with: a cookie is deleted only by a line with the same ones.
   */
  clearCookie(name: string, options: Omit<CookieOptions, "maxAge" | "expires"> = {}): void {
    this.setCookie(name, "", { ...options, expires: new Date(0) });
  }
}
