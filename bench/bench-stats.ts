import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Nearest-rank percentile of an ascending array (0 when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0, samples: sorted.length };
}

/** Events per second, rounded to 0.1; 0 when no time passed. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? Math.round((count * 10_000) / ms) / 10 : 0;
}

/**
 * Open-loop schedule: send i (0-based) is due at start + i / rate, whatever happened to earlier
 * sends. Returns how many sends are due by `now` (at most `total`).
 */
export function dueBy(startMs: number, ratePerS: number, total: number, nowMs: number): number {
  if (nowMs < startMs) return 0;
  return Math.min(total, Math.floor(((nowMs - startMs) * ratePerS) / 1000) + 1);
}

export interface ScheduleLag {
  /** How late sends went out against their scheduled time (ms). */
  lag_ms: LatencySummary;
  offered_per_s: number;
  achieved_per_s: number;
  /** True when the generator could not keep the schedule (p99 lag over the limit or < 98 % of the rate). */
  fell_behind: boolean;
}

export function scheduleLag(
  lagsMs: readonly number[],
  offeredPerS: number,
  spanMs: number,
  limitMs = 100,
): ScheduleLag {
  const lag = summarize(lagsMs);
  const achieved = perSecond(lagsMs.length, spanMs);
  return {
    lag_ms: lag,
    offered_per_s: offeredPerS,
    achieved_per_s: achieved,
    fell_behind: lag.p99 > limitMs || achieved < offeredPerS * 0.98,
  };
}

export type Cell = string | number | null | undefined;

/** A fixed-width text table (first row is the header). */
export function textTable(rows: Cell[][]): string {
  const text = rows.map((r) => r.map((c) => (c === null || c === undefined ? '—' : String(c))));
  const widths = text[0].map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(text[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...text.slice(1).map(line)].join('\n');
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface ReportChart {
  title: string;
  /** x values then one array per series. */
  x: number[];
  series: { label: string; values: number[] }[];
  xLabel: string;
  yLabel: string;
}

/**
 * One self-contained HTML file: the table, the charts (uPlot inlined from node_modules, no CDN)
 * and every result as JSON.
 */
export function renderHtml(input: {
  title: string;
  note: string;
  table: Cell[][];
  charts: ReportChart[];
  results: Record<string, unknown>;
  chartJs: string;
  chartCss: string;
}): string {
  const [head, ...body] = input.table;
  const cell = (c: Cell) => escapeHtml(c === null || c === undefined ? '—' : String(c));
  // JSON inside <script>: "<" escaped so no value can close the tag.
  const data = JSON.stringify(input.charts).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>${input.chartCss}
body{font-family:system-ui,sans-serif;margin:1rem;max-width:60rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.3rem;text-align:left}pre{overflow:auto;background:#f6f6f6;padding:.5rem;font-size:.75rem}
.chart{margin:1rem 0;overflow-x:auto}</style></head><body>
<h1>${escapeHtml(input.title)}</h1><p>${escapeHtml(input.note)}</p>
<table><thead><tr>${head.map((c) => `<th scope="col">${cell(c)}</th>`).join('')}</tr></thead>
<tbody>${body.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>
<div id="charts"></div>
<details><summary>结果 JSON / Results JSON</summary><pre>${escapeHtml(JSON.stringify(input.results, null, 2))}</pre></details>
<script>${input.chartJs}</script>
<script>
const charts = ${data};
const colors = ['#c0392b', '#2471a3', '#1e8449', '#7d3c98'];
for (const c of charts) {
  const box = document.createElement('div'); box.className = 'chart'; box.setAttribute('role', 'img');
  box.setAttribute('aria-label', c.title); document.getElementById('charts').appendChild(box);
  new uPlot({ title: c.title, width: Math.min(900, window.innerWidth - 32), height: 260,
    scales: { x: { time: false } },
    axes: [{ label: c.xLabel }, { label: c.yLabel }],
    series: [{ label: c.xLabel }, ...c.series.map((s, i) => ({ label: s.label, stroke: colors[i % colors.length], width: 2 }))] },
    [c.x, ...c.series.map((s) => s.values)], box);
}
</script></body></html>
`;
}

/** Writes `<name>.json` into dir and returns its path. */
export function writeResult(dir: string, name: string, value: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/** uPlot's browser build and stylesheet, read from node_modules to be inlined. */
export function chartLibrary(): { js: string; css: string } {
  const dist = join(require.resolve('uplot'), '..');
  return {
    js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'),
  };
}
