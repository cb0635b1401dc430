// Command lines of `aio-lambda-api`: every accepted form, and every refused one with its message.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Command } from "../../lib/cli/args.js";
import {
  BUNDLE_USAGE,
  DEV_USAGE,
  MAIN_USAGE,
  parseCommandLine,
  UsageError,
} from "../../lib/cli/args.js";

const BUNDLE_DEFAULTS = {
  command: "bundle",
  entry: "src/app.ts",
  out: "dist/function.zip",
  handler: "handler",
  format: "esm",
  target: "node24",
  sourcemap: false,
  minify: true,
  external: [],
  bundleAwsSdk: false,
  precompile: true,
} as const;

const DEV_DEFAULTS = {
  command: "dev",
  entry: "src/app.ts",
  port: 3000,
  host: "127.0.0.1",
  eventFormat: "v2",
  handler: "handler",
} as const;

describe("parseCommandLine", () => {
  const accepted: [string[], Command][] = [
    [["bundle", "src/app.ts"], BUNDLE_DEFAULTS],
    [
      [
        "bundle",
        "src/app.ts",
        "--out",
        "build/fn.zip",
        "--handler",
        "main",
        "--format",
        "cjs",
        "--target",
        "node22",
        "--sourcemap",
        "--no-minify",
        "--external",
        "pg-native",
        "--external",
        "@smithy/*",
        "--bundle-aws-sdk",
        "--no-precompile",
      ],
      {
        ...BUNDLE_DEFAULTS,
        out: "build/fn.zip",
        handler: "main",
        format: "cjs",
        target: "node22",
        sourcemap: true,
        minify: false,
        external: ["pg-native", "@smithy/*"],
        bundleAwsSdk: true,
        precompile: false,
      },
    ],
    [["bundle", "src/app.ts", "--no-minify", "--minify"], BUNDLE_DEFAULTS],
    [["bundle", "--out=x.zip", "src/app.ts"], { ...BUNDLE_DEFAULTS, out: "x.zip" }],
    [["bundle", "src/app.ts", "--target", "node24"], BUNDLE_DEFAULTS],
    [["bundle", "src/app.ts", "--target=nodejs24.x"], BUNDLE_DEFAULTS],
    [["bundle", "src/app.ts", "--target", "nodejs22.x"], { ...BUNDLE_DEFAULTS, target: "node22" }],
    [["dev", "src/app.ts"], DEV_DEFAULTS],
    [
      [
        "dev",
        "src/app.ts",
        "--port",
        "0",
        "--host",
        "::1",
        "--event-format",
        "alb",
        "--handler",
        "h2",
      ],
      { ...DEV_DEFAULTS, port: 0, host: "::1", eventFormat: "alb", handler: "h2" },
    ],
    [["dev", "src/app.ts", "--event-format=v1"], { ...DEV_DEFAULTS, eventFormat: "v1" }],
    [
      ["dev", "src/app.ts", "--event-format", "lattice"],
      { ...DEV_DEFAULTS, eventFormat: "lattice" },
    ],
    [["--help"], { command: "help", text: MAIN_USAGE }],
    [["help", "bundle"], { command: "help", text: BUNDLE_USAGE }],
    [["bundle", "--help"], { command: "help", text: BUNDLE_USAGE }],
    [["dev", "-h"], { command: "help", text: DEV_USAGE }],
    [["--version"], { command: "version" }],
    [["-v"], { command: "version" }],
  ];
  for (const [argv, expected] of accepted) {
    it(`reads ${JSON.stringify(argv.join(" "))}`, () => {
      assert.deepEqual(parseCommandLine(argv), expected);
    });
  }

  const refused: [string[], RegExp, string][] = [
    [[], /^Missing command; expected bundle or dev$/, MAIN_USAGE],
    [["deploy", "x"], /^Unknown command "deploy"; expected bundle or dev$/, MAIN_USAGE],
    [["bundle", "src/app.ts", "--bogus"], /Unknown option '--bogus'/, BUNDLE_USAGE],
    [["bundle"], /^bundle needs an <entry> file, got none$/, BUNDLE_USAGE],
    [["bundle", "a.ts", "b.ts"], /^bundle takes one <entry>, got 2: "b\.ts" too$/, BUNDLE_USAGE],
    [
      ["bundle", "a.ts", "--format", "umd"],
      /^--format must be one of esm, cjs, got "umd"$/,
      BUNDLE_USAGE,
    ],
    [
      ["bundle", "a.ts", "--handler", "index.handler"],
      /^--handler must be a JavaScript identifier, got "index\.handler"$/,
      BUNDLE_USAGE,
    ],
    [["bundle", "a.ts", "--out"], /argument missing/, BUNDLE_USAGE],
    [
      ["bundle", "a.ts", "--target", "node20"],
      /^--target must be one of node24, node22, nodejs24\.x, nodejs22\.x, got "node20" \(Node\.js 20 is end-of-life on Lambda: use node22 or node24\)$/,
      BUNDLE_USAGE,
    ],
    [
      ["bundle", "a.ts", "--target", "nodejs18.x"],
      /^--target must be one of node24, node22, nodejs24\.x, nodejs22\.x, got "nodejs18\.x" \(Node\.js 18 is end-of-life on Lambda: use node22 or node24\)$/,
      BUNDLE_USAGE,
    ],
    [
      ["bundle", "a.ts", "--target", "es2022"],
      /^--target must be one of node24, node22, nodejs24\.x, nodejs22\.x, got "es2022"$/,
      BUNDLE_USAGE,
    ],
    [
      ["bundle", "a.ts", "--target", "node26"],
      /^--target must be one of node24, node22, nodejs24\.x, nodejs22\.x, got "node26"$/,
      BUNDLE_USAGE,
    ],
    [
      ["bundle", "a.ts", "--target", "Node24"],
      /^--target must be one of node24, node22, nodejs24\.x, nodejs22\.x, got "Node24"$/,
      BUNDLE_USAGE,
    ],
    [["bundle", "a.ts", "--target"], /argument missing/, BUNDLE_USAGE],
    [
      ["bundle", "a.ts", "--external", ""],
      /^--external needs a module pattern, got ""$/,
      BUNDLE_USAGE,
    ],
    [
      ["dev", "a.ts", "--port", "http"],
      /^--port must be a whole number from 0 to 65535, got "http"$/,
      DEV_USAGE,
    ],
    [
      ["dev", "a.ts", "--port", "70000"],
      /^--port must be a whole number from 0 to 65535, got "70000"$/,
      DEV_USAGE,
    ],
    [
      ["dev", "a.ts", "--event-format", "v3"],
      /^--event-format must be one of v1, v2, alb, lattice, got "v3"$/,
      DEV_USAGE,
    ],
    [["dev", "a.ts", "--minify"], /Unknown option '--minify'/, DEV_USAGE],
  ];
  for (const [argv, message, usage] of refused) {
    it(`refuses ${JSON.stringify(argv.join(" "))} with the usage of the command`, () => {
      assert.throws(
        () => parseCommandLine(argv),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.match(error.message, message);
          assert.equal(error.usage, usage);
          return true;
        },
      );
    });
  }
});
