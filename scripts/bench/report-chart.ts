// The chart of docs/performance.svg from one run's figures: warm ratio, cold start, gzip size.

import os from "node:os";
import { barChart } from "./chart.js";
import { FLOOR } from "./contestants.js";
import { CASE_TITLES, type Figures, kb, measured, us, x } from "./report-tables.js";

/** The chart: warm ratio of the first case (log scale), cold start ms, gzip kB. */
export function chart(f: Figures): string {
  const first = f.warmOptions.cases[0]!;
  const contestants = measured(f);
  const ours = (id: string) => id.startsWith("aio-");
  return barChart(
    [
      {
        title: `Warm ${CASE_TITLES[first] ?? first}: time per invocation, × bare handler (log scale)`,
        log: true,
        bars: contestants.map((c) => {
          const cell = f.warm[c.id]![first]!;
          return {
            label: c.label,
            value: c.id === FLOOR ? 1 : cell.medianRatio,
            text: `${c.id === FLOOR ? "1" : x(cell.medianRatio)}× (${us(cell.medianNs)} µs)`,
            ours: ours(c.id),
          };
        }),
      },
      {
        title: "Cold start: import + first invocation, ms (over an empty module's import)",
        bars: contestants.map((c) => {
          const r = f.cold.contestants[c.id]!;
          const value = Math.max(r.inProcessMs, 0);
          return {
            label: c.label,
            value,
            text: `${r.inProcessMs.toFixed(1)} ms`,
            ours: ours(c.id),
          };
        }),
      },
      {
        title: "Bundle size, gzip",
        bars: contestants.map((c) => {
          const b = f.built.get(c.id)!;
          return {
            label: c.label,
            value: b.gzipBytes,
            text: `${kb(b.gzipBytes)} kB`,
            ours: ours(c.id),
          };
        }),
      },
    ],
    `${f.date.toISOString().slice(0, 10)}, ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.availableParallelism()} cores, Node ${process.version}; regenerate with npm run bench`,
  );
}
