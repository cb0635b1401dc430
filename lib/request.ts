// Request: the normalized HTTP request a route sees, with lazy query, cookies and body, and the one reader of the body as data.

import { parse as parseCookie } from "cookie";
import type { RequestAuth } from "./auth.js";
import { HTTPException } from "./errors.js";
import type { BatchKind, RequestKind } from "./events/detect.js";
import type { RequestOrigin } from "./events/shapes.js";
import type { IncomingRequest } from "./events/incoming.js";
import type { LambdaContext, LambdaRuntimeContext } from "./lambda-context.js";
import type { FormValue, MultipartParser } from "./form.js";
import {
  decodeBase64,
  isJsonType,
  MAX_JSON_DEPTH,
  mediaTypeOf,
  nestedDeeperThan,
  strictUtf8,
  utf8,
} from "./util/body.js";
import { quote } from "./util/describe.js";
import { type ArrayKeys, parseQueryString, shapeValues } from "./util/headers.js";

/** The event kinds an HTTP request can arrive as (`web`: a web Request through `fetchHandler(api)`). */
export type EventKind = RequestKind;

/** Where a request came from: a direct HTTP event (`lattice` for VPC Lattice) or a record of a batch. */
export type RequestSource = "http" | Extract<EventKind, "lattice"> | BatchKind;

export type { LambdaContext, LambdaRuntimeContext } from "./lambda-context.js";

/** Where a batch record came from, for `request.record` and the access log. */
export interface RecordOrigin {
  readonly source: BatchKind;
  readonly messageId: string;
  readonly record: unknown;
}

/** What every request has; `Request` narrows `event`, `record` and `context` by kind and source. */
export interface RequestBase {
  readonly method: string;
  /** The path as the source delivered it: percent-encoded, or decoded already by an HTTP API. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** One value per key: the last one when a key repeats. */
  readonly query: Readonly<Record<string, string>>;
  /** Every value of every key. */
  readonly queryAll: Readonly<Record<string, readonly string[]>>;
  /** Path parameters, percent-decoded once; as they came when the source decoded the path. */
  readonly params: Readonly<Record<string, string>>;
  readonly cookies: Readonly<Record<string, string>>;
  /** The request id: a sane `X-Request-ID`, else the gateway's, else the invocation's. */
  readonly id: string;
  readonly kind: EventKind;
  readonly source: RequestSource;
  /** The media type of the body, lowercase, without parameters. */
  readonly contentType: string | undefined;
  readonly sourceIp: string | undefined;
  /** The raw Lambda event (for a batch record: the request inside the record); typed by `kind`. */
  readonly event: unknown;
  /** The batch record this request came in, if any; typed by `source`. */
  readonly record: unknown;
  /** The invocation's Lambda context; undefined when there is none (`fetchHandler`, a test). */
  readonly context: LambdaRuntimeContext | undefined;
  /**
   * What the gateway's authorizer said: `{ kind: "jwt", claims, scopes }`,
   * `{ kind: "lambda", context, principalId }` or `{ kind: "iam", userArn, … }`; undefined
   * without one. Read from the event on first use. See docs/auth.md.
   */
  readonly auth: RequestAuth | undefined;
  /** Whether the request has a non-empty body. */
  readonly hasBody: boolean;
  /** The body's exact bytes. @throws HTTPException 400 when flagged base64 but not base64. */
  bytes(): Uint8Array;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON (undefined when empty). @throws HTTPException 400 when malformed. */
  json(): unknown;
}

/**
 * The request as route code sees it: `event` typed by `kind` (`request.kind === "http-api"`
 * gives `request.event.requestContext.http`), `record` by `source` (an SQS record for `sqs`),
 * `context` as Lambda's (undefined for `web`).
 */
export type Request = RequestBase & RequestOrigin;

const SANE_ID = /^[\x21\x23-\x26\x28-\x7e]{1,200}$/;
const EMPTY = new Uint8Array(0);
const NOT_PARSED: unique symbol = Symbol("not parsed");

/** A multipart body once parsed: every value of every name, or the 400/413 (or other error) met. */
type ParsedForm = { readonly fields: Record<string, FormValue[]> } | { readonly error: unknown };

/** Chooses the request id: a sane `x-request-id` header, else the gateway's, else the invocation's. */
export function chooseRequestId(
  incoming: IncomingRequest,
  context: LambdaContext | undefined,
): string {
  const header = incoming.headers["x-request-id"];
  if (header !== undefined && SANE_ID.test(header)) return header;
  const gateway = incoming.requestId;
  if (gateway && SANE_ID.test(gateway)) return gateway;
  return context?.awsRequestId || globalThis.crypto.randomUUID();
}

/** The request implementation: everything not needed by every request is computed on first read. */
export class LambdaRequest implements RequestBase {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly queryAll: Readonly<Record<string, readonly string[]>>;
  params: Readonly<Record<string, string>> = {};
  readonly id: string;
  readonly kind: EventKind;
  readonly source: RequestSource;
  readonly event: unknown;
  readonly record: unknown;
  readonly context: LambdaRuntimeContext | undefined;
  readonly incoming: IncomingRequest;
  #query: Record<string, string> | undefined;
  #cookies: Record<string, string> | undefined;
  #bytes: Uint8Array | undefined;
  #text: string | undefined;
  #json: unknown = NOT_PARSED;
  #form: ParsedForm | undefined;
  #auth: RequestAuth | undefined | typeof NOT_PARSED = NOT_PARSED;

  constructor(
    incoming: IncomingRequest,
    event: unknown,
    context: LambdaContext | undefined,
    origin?: RecordOrigin,
  ) {
    this.incoming = incoming;
    this.method = incoming.method;
    this.path = incoming.path;
    this.headers = incoming.headers;
    this.queryAll = incoming.query;
    this.kind = incoming.kind;
    this.source = origin ? origin.source : incoming.kind === "lattice" ? "lattice" : "http";
    this.event = event;
    this.record = origin?.record;
    // A context the library did not make (a test's partial one) is typed as what Lambda passes.
    this.context = context as LambdaRuntimeContext | undefined;
    this.id = chooseRequestId(incoming, context);
  }

  get query(): Readonly<Record<string, string>> {
    this.#query ??= shapeValues(this.queryAll) as Record<string, string>;
    return this.#query;
  }

  get cookies(): Readonly<Record<string, string>> {
    if (!this.#cookies) {
      const out: Record<string, string> = {};
      // Function URL events carry both the `cookies` array and the `cookie` header: the
      // array wins so nothing is counted twice (function-url/go-real-post-headers-cookies-text-body.json).
      const source = this.incoming.cookies ? this.incoming.cookies.join("; ") : this.headers.cookie;
      if (source) {
        const parsed = parseCookie(source);
        for (const name in parsed) {
          const value = parsed[name];
          if (value !== undefined && name !== "__proto__") out[name] = value;
        }
      }
      this.#cookies = out;
    }
    return this.#cookies;
  }

  get contentType(): string | undefined {
    return mediaTypeOf(this.headers["content-type"]);
  }

  get auth(): RequestAuth | undefined {
    if (this.#auth === NOT_PARSED) this.#auth = this.incoming.auth?.();
    return this.#auth;
  }

  get sourceIp(): string | undefined {
    return this.incoming.sourceIp;
  }

  get hasBody(): boolean {
    const body = this.incoming.body;
    return body !== undefined && body !== "";
  }

  bytes(): Uint8Array {
    if (!this.#bytes) {
      const body = this.incoming.body;
      if (body === undefined || body === "") {
        this.#bytes = EMPTY;
      } else if (this.incoming.isBase64Encoded) {
        const decoded = decodeBase64(body);
        // Some events flag a body as base64 that is not (apigw-rest/powertools-py-base64-flag-invalid-body.json):
        // answering 400 beats handing the route garbage bytes.
        if (!decoded)
          throw new HTTPException(400, "Body is flagged base64 but is not valid base64");
        this.#bytes = decoded;
      } else {
        this.#text = body;
        this.#bytes = new TextEncoder().encode(body);
      }
    }
    return this.#bytes;
  }

  text(): string {
    if (this.#text === undefined) {
      const body = this.incoming.body;
      this.#text =
        body === undefined ? "" : this.incoming.isBase64Encoded ? utf8(this.bytes()) : body;
    }
    return this.#text;
  }

  json(): unknown {
    if (this.#json === NOT_PARSED) {
      // JSON is UTF-8 (RFC 8259): base64 bytes that are not are refused, never parsed with U+FFFD
      // in place of what the client sent.
      const text = this.incoming.isBase64Encoded ? strictUtf8(this.bytes()) : this.text();
      if (text === undefined) {
        throw new HTTPException(400, "Malformed JSON body", {
          errorDetail: "The JSON body is not valid UTF-8",
        });
      }
      if (text === "") {
        this.#json = undefined;
      } else {
        if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
          throw new HTTPException(400, `JSON body nested deeper than ${MAX_JSON_DEPTH} levels`);
        }
        try {
          this.#json = JSON.parse(text);
        } catch {
          throw new HTTPException(400, "Malformed JSON body");
        }
      }
    }
    return this.#json;
  }

  /**
   * The body as data, by content type: JSON (also with none) parsed; urlencoded or multipart
   * fields (files as web Files), the last value of each name or every value for `schema`'s array
   * keys; else the text (`text/*`) or bytes, which a body schema refuses. Undefined for no body.
   * @param schema The array keys of the body schema reading it; absent for a route without one.
   * @throws HTTPException 400 for a malformed body, 413 for a multipart body past a limit, 415
   * for a body schema and a body that is neither JSON nor a form.
   */
  readBody(schema?: ArrayKeys): unknown {
    if (!this.hasBody) return undefined;
    const type = this.contentType;
    if (type === undefined || isJsonType(type)) return this.json();
    if (type === "application/x-www-form-urlencoded") {
      return shapeValues(parseQueryString(this.text()), schema);
    }
    if (type === "multipart/form-data") {
      const form = this.#form;
      // With a multipart parser the pipeline parses the body of every request a route took,
      // before its middleware; without one (or for a 404, a 405) the body stays its bytes, which
      // a body schema cannot take.
      if (!form) {
        if (!schema) return this.bytes();
        throw new HTTPException(
          415,
          "multipart/form-data bodies are not accepted here; send JSON or application/x-www-form-urlencoded",
          {
            errorDetail:
              'no multipart parser: createApi({ multipart: multipart() }) with multipart from "aio-lambda-api/forms" reads them',
          },
        );
      }
      if ("error" in form) throw form.error;
      return shapeValues(form.fields, schema);
    }
    if (!schema) return type.startsWith("text/") ? this.text() : this.bytes();
    throw new HTTPException(415, `Content type ${quote(type)} is not supported; send JSON`);
  }

  /**
   * Parses a multipart body for {@link readBody} with the Api's parser (Node's FormData parser
   * is asynchronous). The fields, or the 400/413 met, wait on the request: a route without a
   * body schema answers 400 for a malformed body only when it reads it.
   * @returns undefined, at once, for a request without a multipart body or an Api without a parser.
   */
  parseForm(parse: MultipartParser | undefined): Promise<void> | undefined {
    if (!parse || !this.hasBody || this.contentType !== "multipart/form-data") return undefined;
    return this.#parseForm(parse);
  }

  async #parseForm(parse: MultipartParser): Promise<void> {
    try {
      this.#form = { fields: await parse(this.bytes(), this.headers["content-type"]) };
    } catch (error) {
      this.#form = { error };
    }
  }
}
