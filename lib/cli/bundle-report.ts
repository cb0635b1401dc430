// The report `aio-lambda-api bundle` prints: the zip, the handler and runtime settings, sizes and the largest inputs.

import path from "node:path";
import type { BundleResult } from "./bundle.js";

/** A size for people: `812 B`, `12.3 kB`, `1.20 MB` (powers of 1000, as npm and esbuild print). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

/** `dist/function.zip` under `cwd`, else the absolute path. */
function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === "" || relative.startsWith("..") || path.isAbsolute(relative)
    ? file
    : relative;
}

/**
 * The report printed after a bundle: what was written, the handler and runtime settings, sizes, and the
 * 10 largest inputs.
 * @param cwd paths are shown relative to it.
 */
export function formatBundleReport(result: BundleResult, cwd: string = process.cwd()): string {
  const width = Math.max(
    ...result.largestInputs.map((input) => formatBytes(input.bytes).length),
    0,
  );
  const lines = [
    `Wrote ${shownPath(result.zipPath, cwd)} (${formatBytes(result.zipBytes)})`,
    `  Lambda handler: ${result.handlerSetting}`,
    `  Lambda runtime: ${result.runtime}`,
    `  ${result.fileName}: ${formatBytes(result.bundleBytes)}, ${formatBytes(result.gzipBytes)} gzipped`,
    `  response serializers compiled ahead of time: ${result.precompiledSerializers}`,
    `  largest inputs:`,
    ...result.largestInputs.map(
      (input) => `    ${formatBytes(input.bytes).padStart(width)}  ${input.path}`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}
