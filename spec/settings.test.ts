// Tests of settings: environment variables parsed once, defaults, and refused values naming the variable.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { readSettings } from "../lib/settings.js";

const SECONDS = ["FUNCTION_TIMEOUT", "CONNECTION_TIMEOUT", "READ_TIMEOUT"] as const;

/** The test process's environment without the variables under test. */
function inherited(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of [...SECONDS, "AWS_MAX_SOCKETS"]) delete env[name];
  return env;
}

/** Runs an ESM script in a child process with the library importable as `lib`. */
function runChild(
  body: string,
  env: Record<string, string> = {},
): { stdout: string; stderr: string; status: number | null } {
  const index = new URL("../lib/index.ts", import.meta.url).href;
  const code = `const lib = await import(${JSON.stringify(index)});\n${body}`;
  const child = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "--eval", code],
    {
      env: { ...inherited(), ...env },
      encoding: "utf8",
      timeout: 20_000,
    },
  );
  return { stdout: child.stdout, stderr: child.stderr, status: child.status };
}

describe("settings", () => {
  it("defaults to 30 s, 5 s, 15 s and 100 sockets when nothing is set", () => {
    assert.deepEqual(readSettings({}), {
      functionTimeout: 30,
      connectionTimeout: 5,
      readTimeout: 15,
      awsMaxSockets: 100,
    });
  });

  it("reads every variable, and returns a frozen object", () => {
    const settings = readSettings({
      FUNCTION_TIMEOUT: "10",
      CONNECTION_TIMEOUT: "0.5",
      READ_TIMEOUT: " 2.25 ",
      AWS_MAX_SOCKETS: "50",
    });
    assert.deepEqual(settings, {
      functionTimeout: 10,
      connectionTimeout: 0.5,
      readTimeout: 2.25,
      awsMaxSockets: 50,
    });
    assert.ok(Object.isFrozen(settings));
  });

  // [value, parsed]: the accepted spellings of a number of seconds
  const accepted: [string, number][] = [
    ["1", 1],
    ["900", 900],
    ["2.5", 2.5],
    [".5", 0.5],
    ["3.", 3],
    ["007", 7],
  ];
  for (const [value, parsed] of accepted) {
    it(`accepts FUNCTION_TIMEOUT=${JSON.stringify(value)} as ${parsed} s`, () => {
      assert.equal(readSettings({ FUNCTION_TIMEOUT: value }).functionTimeout, parsed);
    });
  }

  const refusedSeconds = [
    "abc",
    "-1",
    "0",
    "0.0",
    "",
    " ",
    "1e3",
    "0x10",
    "Infinity",
    "NaN",
    "10s",
    "1,5",
    "+5",
  ];
  for (const name of SECONDS) {
    for (const value of refusedSeconds) {
      it(`refuses ${name}=${JSON.stringify(value)} with a message naming it`, () => {
        assert.throws(() => readSettings({ [name]: value }), {
          name: "RangeError",
          message: `${name} must be a positive number of seconds, got ${JSON.stringify(value)}`,
        });
      });
    }
  }

  const refusedSockets = ["abc", "-1", "0", "1.5", "", "1e2", "50.0", "ten"];
  for (const value of refusedSockets) {
    it(`refuses AWS_MAX_SOCKETS=${JSON.stringify(value)} with a message naming it`, () => {
      assert.throws(() => readSettings({ AWS_MAX_SOCKETS: value }), {
        name: "RangeError",
        message: `AWS_MAX_SOCKETS must be a positive whole number, got ${JSON.stringify(value)}`,
      });
    });
  }

  it("cuts a long refused value short in the message", () => {
    assert.throws(() => readSettings({ READ_TIMEOUT: "9".repeat(30) + "x".repeat(40) }), {
      message: `READ_TIMEOUT must be a positive number of seconds, got "${"9".repeat(30)}${"x".repeat(30)}…"`,
    });
  });

  it("makes createApi() fail at start on an invalid value of any variable (child process)", () => {
    const child = runChild(`
      for (const name of ["FUNCTION_TIMEOUT", "CONNECTION_TIMEOUT", "READ_TIMEOUT", "AWS_MAX_SOCKETS"]) {
        process.env[name] = "abc";
        try { lib.createApi(); console.log(name, "accepted"); }
        catch (error) { console.log(error.name + ": " + error.message); }
        delete process.env[name];
      }
      lib.createApi();
      console.log("valid", lib.settings().functionTimeout);`);
    assert.equal(child.stderr, "");
    assert.deepEqual(child.stdout.trim().split("\n"), [
      'RangeError: FUNCTION_TIMEOUT must be a positive number of seconds, got "abc"',
      'RangeError: CONNECTION_TIMEOUT must be a positive number of seconds, got "abc"',
      'RangeError: READ_TIMEOUT must be a positive number of seconds, got "abc"',
      'RangeError: AWS_MAX_SOCKETS must be a positive whole number, got "abc"',
      "valid 30",
    ]);
  });

  it("stops a handler module that calls createApi() at import, naming the variable (child process)", () => {
    const child = runChild("lib.createApi();", { FUNCTION_TIMEOUT: "-1" });
    assert.notEqual(child.status, 0);
    assert.match(
      child.stderr,
      /RangeError: FUNCTION_TIMEOUT must be a positive number of seconds, got "-1"/,
    );
  });

  it("reads the environment once: later changes are not seen (child process)", () => {
    const child = runChild(
      `
      const first = lib.settings();
      process.env.FUNCTION_TIMEOUT = "99";
      process.env.AWS_MAX_SOCKETS = "abc";
      console.log(lib.settings() === first, lib.settings().functionTimeout, lib.settings().awsMaxSockets);`,
      { FUNCTION_TIMEOUT: "12", AWS_MAX_SOCKETS: "7" },
    );
    assert.equal(child.stderr, "");
    assert.equal(child.stdout.trim(), "true 12 7");
  });
});
