// The Lambda Node.js runtimes a bundle is built for: each one's Lambda identifier and esbuild target.

import { quote } from "../util/describe.js";

/** A Lambda Node.js runtime a bundle can be built for, by its Lambda identifier. */
export type LambdaNodeRuntime = "nodejs22.x" | "nodejs24.x";

/** The esbuild target of a {@link LambdaNodeRuntime}: `node22`, `node24`. */
export type LambdaNodeTarget = "node22" | "node24";

/** A runtime as `bundle --target` takes it: the esbuild target or the Lambda identifier. */
export type LambdaTargetName = LambdaNodeTarget | LambdaNodeRuntime;

/** One Lambda Node.js runtime: its Lambda identifier and the esbuild target that fits it. */
export interface LambdaNodeRuntimeInfo {
  /** The function's runtime setting: `nodejs24.x`. */
  readonly runtime: LambdaNodeRuntime;
  /** esbuild's `target` for it: `node24`. */
  readonly target: LambdaNodeTarget;
}

/**
 * The Node.js runtimes Lambda offers and the library runs on, newest first. Node.js 20
 * (`nodejs20.x`) is end-of-life and left out.
 */
export const LAMBDA_NODE_RUNTIMES: readonly LambdaNodeRuntimeInfo[] = Object.freeze([
  Object.freeze({ runtime: "nodejs24.x", target: "node24" }),
  Object.freeze({ runtime: "nodejs22.x", target: "node22" }),
] as const);

/** The runtime a bundle is built for when none is named: the newest Lambda offers. */
export const DEFAULT_LAMBDA_RUNTIME: LambdaNodeRuntimeInfo = LAMBDA_NODE_RUNTIMES[0]!;

/** Every name `--target` accepts, esbuild targets first: `node24, node22, nodejs24.x, nodejs22.x`. */
export const LAMBDA_TARGET_NAMES: readonly LambdaTargetName[] = Object.freeze([
  ...LAMBDA_NODE_RUNTIMES.map((info) => info.target),
  ...LAMBDA_NODE_RUNTIMES.map((info) => info.runtime),
]);

/**
 * The runtime named by `name` (`node24` or `nodejs24.x`), or undefined for any other name.
 * @example
 * lambdaRuntime("nodejs22.x"); // { runtime: "nodejs22.x", target: "node22" }
 */
export function lambdaRuntime(name: string): LambdaNodeRuntimeInfo | undefined {
  return LAMBDA_NODE_RUNTIMES.find((info) => info.target === name || info.runtime === name);
}

/**
 * Why `name` is not a runtime, for an error message: the accepted names, and what to do about
 * a runtime Lambda retired.
 * @param flag how the caller names the setting (`--target`, `target`).
 * @example
 * refusedTarget("--target", "node20");
 * // '--target must be one of node24, node22, nodejs24.x, nodejs22.x, got "node20"
 * //  (Node.js 20 is end-of-life on Lambda: use node22 or node24)'
 */
export function refusedTarget(flag: string, name: string): string {
  const base = `${flag} must be one of ${LAMBDA_TARGET_NAMES.join(", ")}, got ${quote(name)}`;
  // node18, nodejs20.x, node20.11: an older Node.js that Lambda no longer takes new functions for.
  const major = /^node(?:js)?(\d+)(?:\.x|\.\d+(?:\.\d+)?)?$/.exec(name)?.[1];
  const oldest = LAMBDA_NODE_RUNTIMES.at(-1)!.target;
  if (major !== undefined && Number(major) < Number(oldest.slice("node".length))) {
    return `${base} (Node.js ${major} is end-of-life on Lambda: use ${oldest} or ${DEFAULT_LAMBDA_RUNTIME.target})`;
  }
  return base;
}
