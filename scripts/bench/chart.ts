// The bar chart of docs/performance.svg, written as an SVG string by hand (no dependency).

/** One bar: its label, value, the text printed after it, and whether it is one of ours. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly text: string;
  readonly ours: boolean;
}

/** One panel of bars sharing a scale. */
export interface Panel {
  readonly title: string;
  readonly bars: readonly Bar[];
  /** Log scale for values spanning orders of magnitude (ratios to the floor). */
  readonly log?: boolean;
}

const WIDTH = 1000;
const LABEL = 440;
const BAR_AREA = 420;
const ROW = 22;
const HEAD = 30;
const GAP = 18;

function xmlText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Bar length in px: linear from 0, or log10 from 1 (values below 1 drawn as a sliver). */
function scale(panel: Panel): (value: number) => number {
  const max = Math.max(...panel.bars.map((b) => b.value), Number.MIN_VALUE);
  if (panel.log) {
    const top = Math.log10(Math.max(max, 10));
    return (value) => Math.max(2, (Math.log10(Math.max(value, 1)) / top) * BAR_AREA);
  }
  return (value) => Math.max(2, (value / max) * BAR_AREA);
}

function panelSvg(panel: Panel, top: number): string {
  const length = scale(panel);
  const parts = [`<text x="10" y="${top + 18}" class="title">${xmlText(panel.title)}</text>`];
  panel.bars.forEach((bar, i) => {
    const y = top + HEAD + i * ROW;
    const w = length(bar.value);
    parts.push(
      `<text x="${LABEL - 8}" y="${y + 14}" class="label" text-anchor="end">${xmlText(bar.label)}</text>`,
      `<rect x="${LABEL}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 7}" class="${bar.ours ? "ours" : "peer"}"/>`,
      `<text x="${(LABEL + w + 6).toFixed(1)}" y="${y + 14}" class="value">${xmlText(bar.text)}</text>`,
    );
  });
  return parts.join("\n");
}

/** The whole chart: panels stacked top to bottom. */
export function barChart(panels: readonly Panel[], caption: string): string {
  let top = 0;
  const bodies: string[] = [];
  for (const panel of panels) {
    bodies.push(panelSvg(panel, top));
    top += HEAD + panel.bars.length * ROW + GAP;
  }
  const height = top + 20;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif">
<style>
.title { font-size: 14px; font-weight: 600; fill: #212529; }
.label { font-size: 12px; fill: #343a40; }
.value { font-size: 11px; fill: #495057; }
.ours { fill: #d9480f; }
.peer { fill: #868e96; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
${bodies.join("\n")}
<text x="10" y="${height - 6}" class="value">${xmlText(caption)}</text>
</svg>
`;
}
