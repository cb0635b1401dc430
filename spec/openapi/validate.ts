// Test helper: checks a document against the OpenAPI 3.1 schema with @seriousme/openapi-schema-validator.

import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";

/** Fails the test, listing the validator's errors, unless `document` is a valid OpenAPI 3.1 document. */
export async function assertValidOpenApi(document: unknown): Promise<void> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document) as Record<string, unknown>);
  assert.equal(validator.version, "3.1", "the validator read the document as OpenAPI 3.1");
  assert.deepEqual(result.errors ?? [], [], "the document is valid OpenAPI 3.1");
  assert.equal(result.valid, true);
}

/** Every `$ref` in `node`, in document order. */
export function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refsIn(item, out);
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") out.push(value);
      else refsIn(value, out);
    }
  }
  return out;
}
