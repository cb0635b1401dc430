// Writes a Lambda deployment zip with yazl: fixed times and modes, so the same files give the same bytes.

import { loadYazl } from "./tools.js";

/** One file to put in a zip. */
export interface ZipEntry {
  /** The path inside the zip, with `/` separators (`index.mjs`). */
  readonly name: string;
  /** The file's bytes. */
  readonly data: Uint8Array;
}

// 1980-01-01 00:00, the first date a zip's DOS timestamp can hold. Built from local time
// because DOS timestamps are local: every time zone then writes the same fields.
const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0);
// A regular file (S_IFREG) readable by everyone: Lambda runs the code as another user.
const FILE_MODE = 0o100644;

/**
 * Zips `entries` (deflated, in the order given) into one buffer. Every entry gets the same
 * timestamp and mode, and no extended-time field, so two calls with the same entries give
 * byte-identical zips.
 * @throws MissingToolError when yazl is not installed.
 * @example
 * const zip = await createZip([{ name: "index.mjs", data: code }]);
 */
export async function createZip(entries: readonly ZipEntry[]): Promise<Buffer> {
  const { ZipFile } = await loadYazl();
  const zip = new ZipFile();
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.name))
      throw new Error(
        `Zip entry ${JSON.stringify(entry.name)} is given twice; expected unique names`,
      );
    seen.add(entry.name);
    zip.addBuffer(
      Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength),
      entry.name,
      {
        mtime: FIXED_TIME,
        mode: FILE_MODE,
        compress: true,
        forceDosTimestamp: true,
      },
    );
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on("error", reject);
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
  });
}
