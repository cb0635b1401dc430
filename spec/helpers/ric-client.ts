// Where aws-lambda-ric, AWS's runtime interface client, is installed for the end-to-end tests.

import { createRequire } from "node:module";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * The path of aws-lambda-ric's `bin/index.mjs`, or undefined when it is not installed (an error in
 * CI, where it must be).
 *
 * aws-lambda-ric builds a native addon (autotools, cmake), so it lives in its own small package,
 * spec/helpers/ric, installed by `npm run setup:ric` (and by .ci/run): a plain `npm install` of
 * this repository needs no build tools. Without it the suites that need it are skipped.
 */
export function findRic(): string | undefined {
  try {
    const require = createRequire(path.join(ROOT, "spec/helpers/ric/package.json"));
    return path.join(path.dirname(require.resolve("aws-lambda-ric/package.json")), "bin/index.mjs");
  } catch {
    if (process.env.CI) {
      throw new Error(
        "aws-lambda-ric is not installed in spec/helpers/ric: run `npm run setup:ric`",
      );
    }
    return undefined;
  }
}
