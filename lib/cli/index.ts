// aio-lambda-api/cli: the `bundle` command as a function, for build scripts; esbuild and yazl load when it runs.

export type { BundleInput, BundleOptions, BundleResult } from "./bundle.js";
export {
  AWS_SDK_EXTERNAL,
  BundleError,
  bundle,
  formatBundleReport,
  formatBytes,
} from "./bundle.js";
export { MissingToolError } from "./tools.js";
