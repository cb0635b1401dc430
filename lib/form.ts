// multipart/form-data bodies → fields and web Files, within limits, parsed by Node's built-in web FormData.

import { HTTPException } from "./errors.js";
import { quote } from "./util/describe.js";

/** Limits on a multipart body; a body past one is answered 413 with a detail naming it. */
export interface FormLimits {
  /**
   * The most parts (fields and files) a body may hold.
   * @default 1000
   */
  readonly maxParts?: number;
  /**
   * The largest field (a part without a filename), in bytes.
   * @default 1048576 (1 MiB)
   */
  readonly maxFieldBytes?: number;
  /**
   * The largest file, in bytes.
   * @default 10485760 (10 MiB, API Gateway's payload limit)
   */
  readonly maxFileBytes?: number;
}

/** A value of a form body: a field's text or a file. */
export type FormValue = string | File;

/**
 * Parses a multipart body: what `createApi({ multipart })` takes, made by `multipart()` from
 * aio-lambda-api/forms.
 */
export type MultipartParser = (
  bytes: Uint8Array,
  contentType: string | undefined,
) => Promise<Record<string, FormValue[]>>;

const DEFAULTS: Required<FormLimits> = {
  maxParts: 1000,
  maxFieldBytes: 1024 * 1024,
  maxFileBytes: 10 * 1024 * 1024,
};

const malformed = (detail: string) => new HTTPException(400, `Malformed multipart body: ${detail}`);
const tooLarge = (detail: string) => new HTTPException(413, detail);

/** Node's web `Response`, read through the global (which loads undici) only here, on first use. */
function webResponse(body: Uint8Array, contentType: string): Response {
  return new globalThis.Response(body, { headers: { "content-type": contentType } });
}

/**
 * Parses a multipart/form-data body (RFC 7578) held in memory with Node's built-in web
 * `Response.formData()` (undici): every value of every name in body order, fields as UTF-8
 * text, parts with a filename as web Files with their exact bytes and Content-Type
 * (`text/plain` when the part has none). A name that is `__proto__` is dropped. Limits are
 * checked on what was parsed: Lambda holds the whole body in memory already (6 MB at most).
 * @throws HTTPException 400 when the body is not multipart/form-data undici can read; 413
 * naming the limit a part passes.
 */
export async function parseMultipart(
  bytes: Uint8Array,
  contentType: string | undefined,
  limits: FormLimits = {},
): Promise<Record<string, FormValue[]>> {
  const max = { ...DEFAULTS, ...limits };
  if (!/;\s*boundary\s*=\s*("[^"]+"|[^\s;]+)/i.test(contentType ?? "")) {
    throw malformed("the content type has no boundary parameter");
  }
  let form: FormData;
  try {
    form = await webResponse(bytes, contentType!).formData();
  } catch {
    // undici says only "Failed to parse body as FormData."; what it refuses is in docs/validation.md.
    throw malformed(
      "it is not multipart/form-data that can be read (a missing or broken boundary, part header or closing boundary)",
    );
  }
  const out: Record<string, FormValue[]> = {};
  let parts = 0;
  for (const [name, value] of form) {
    if (++parts > max.maxParts) {
      throw tooLarge(`The multipart body has more than ${max.maxParts} parts (multipart maxParts)`);
    }
    if (typeof value === "string") {
      const size = Buffer.byteLength(value);
      if (size > max.maxFieldBytes) {
        throw tooLarge(
          `Field ${quote(name)} is ${size} bytes, over the limit of ${max.maxFieldBytes} (multipart maxFieldBytes)`,
        );
      }
    } else if (value.size > max.maxFileBytes) {
      throw tooLarge(
        `File ${quote(name)} is ${value.size} bytes, over the limit of ${max.maxFileBytes} (multipart maxFileBytes)`,
      );
    }
    if (name === "__proto__") continue;
    if (Object.hasOwn(out, name)) out[name]!.push(value);
    else out[name] = [value];
  }
  return out;
}
