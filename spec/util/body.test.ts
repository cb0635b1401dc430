// Tests of body helpers: strict base64, media types and their classes, lenient and strict UTF-8.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeBase64,
  isJsonType,
  isTextType,
  mediaTypeOf,
  strictUtf8,
  utf8,
} from "../../lib/util/body.js";

describe("decodeBase64", () => {
  const good: [text: string, bytes: number[]][] = [
    ["", []],
    ["AA==", [0]],
    ["AAE=", [0, 1]],
    ["AAEC", [0, 1, 2]],
    ["//79", [255, 254, 253]],
    ["PGlkay8+", [...Buffer.from("<idk/>")]],
    ["AAEC\r\nAwQF", [0, 1, 2, 3, 4, 5]],
    ["AAEC\nAwQF", [0, 1, 2, 3, 4, 5]],
  ];
  for (const [text, bytes] of good) {
    it(`decodes ${JSON.stringify(text)}`, () => {
      assert.deepEqual([...(decodeBase64(text) ?? [-1])], bytes);
    });
  }

  const bad = [
    "Hello from Lambda!",
    "abc",
    "AA=",
    "A===",
    "AA==AA==",
    "-_8=",
    "AAEC AwQF",
    "not really base64",
  ];
  for (const text of bad) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      assert.equal(decodeBase64(text), undefined);
    });
  }
});

describe("media types", () => {
  const rows: [
    header: string | undefined,
    type: string | undefined,
    json: boolean,
    text: boolean,
  ][] = [
    [undefined, undefined, false, false],
    ["", undefined, false, false],
    ["application/json", "application/json", true, true],
    ["Application/JSON; charset=UTF-8", "application/json", true, true],
    ["application/problem+json", "application/problem+json", true, true],
    ["application/vnd.api+json", "application/vnd.api+json", true, true],
    ["application/jsonp", "application/jsonp", false, false],
    ["text/plain", "text/plain", false, true],
    [" text/html ; charset=utf-8", "text/html", false, true],
    ["text/csv", "text/csv", false, true],
    ["application/xml", "application/xml", false, true],
    ["application/atom+xml", "application/atom+xml", false, true],
    ["image/svg+xml", "image/svg+xml", false, true],
    ["application/javascript", "application/javascript", false, true],
    ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded", false, true],
    ["multipart/form-data; boundary=x", "multipart/form-data", false, false],
    ["application/octet-stream", "application/octet-stream", false, false],
    ["image/png", "image/png", false, false],
    ["idk", "idk", false, false],
  ];
  for (const [header, type, json, text] of rows) {
    it(`classifies ${JSON.stringify(header)}`, () => {
      assert.equal(mediaTypeOf(header), type);
      assert.equal(isJsonType(type), json, "json");
      assert.equal(isTextType(type), text, "text");
    });
  }
});

describe("utf8 and strictUtf8", () => {
  const rows: [bytes: number[], lenient: string, strict: string | undefined][] = [
    [[], "", ""],
    [[...Buffer.from("héllo ✓")], "héllo ✓", "héllo ✓"],
    [[0x68, 0xff, 0x69], "h\uFFFDi", undefined],
    [[0xc3], "\uFFFD", undefined],
  ];
  for (const [bytes, lenient, strict] of rows) {
    it(`decodes ${JSON.stringify(bytes)}`, () => {
      assert.equal(utf8(Uint8Array.from(bytes)), lenient);
      assert.equal(strictUtf8(Uint8Array.from(bytes)), strict);
    });
  }
});
