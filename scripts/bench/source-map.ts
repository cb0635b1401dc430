// Reads a bundle's source map (version 3) to turn a position in the bundle into the source file and line.

import { readFileSync } from "node:fs";

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((char, i) => [char, i]));

/** Decodes one segment's base64 VLQ fields. */
function decodeSegment(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = DIGIT.get(char);
    if (digit === undefined) throw new Error(`bad VLQ character ${JSON.stringify(char)}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return out;
}

/** Where a bundle position came from: the source as the map names it, 1-based line. */
export interface Origin {
  readonly source: string;
  readonly line: number;
}

/** A position lookup over a source map: `find(line, column)` with 0-based bundle positions. */
export interface SourceMap {
  find(line: number, column: number): Origin | undefined;
}

/** Loads a source map file. */
export function loadSourceMap(file: string): SourceMap {
  const map = JSON.parse(readFileSync(file, "utf8")) as { sources: string[]; mappings: string };
  // Per generated line: segments [column, source index, source line] in column order.
  const lines: [number, number, number][][] = [];
  let source = 0;
  let sourceLine = 0;
  for (const text of map.mappings.split(";")) {
    const segments: [number, number, number][] = [];
    let column = 0;
    if (text !== "") {
      for (const part of text.split(",")) {
        const fields = decodeSegment(part);
        column += fields[0] ?? 0;
        if (fields.length >= 4) {
          source += fields[1]!;
          sourceLine += fields[2]!;
          segments.push([column, source, sourceLine]);
        }
      }
    }
    lines.push(segments);
  }
  return {
    find(line, column) {
      const segments = lines[line];
      if (!segments || segments.length === 0) return undefined;
      let found = segments[0]!;
      for (const segment of segments) {
        if (segment[0] > column) break;
        found = segment;
      }
      const name = map.sources[found[1]];
      return name === undefined ? undefined : { source: name, line: found[2] + 1 };
    },
  };
}
