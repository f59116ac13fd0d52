import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  dueBy,
  percentile,
  perSecond,
  renderHtml,
  scheduleLag,
  summarize,
  textTable,
  writeResult,
} from './bench-stats';

describe('bench stats', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });

  it('summarizes unsorted samples', () => {
    expect(summarize([30, 10, 20, 40])).toEqual({ p50: 20, p99: 40, max: 40, samples: 4 });
    expect(summarize([])).toEqual({ p50: 0, p99: 0, max: 0, samples: 0 });
  });

  it('computes rates and the open-loop schedule', () => {
    expect(perSecond(200, 1000)).toBe(200);
    expect(perSecond(1, 3000)).toBe(0.3);
    expect(perSecond(5, 0)).toBe(0);
    // 200/s: send 0 at start, send 1 at +5 ms, … capped at the total.
    expect(dueBy(1000, 200, 10, 999)).toBe(0);
    expect(dueBy(1000, 200, 10, 1000)).toBe(1);
    expect(dueBy(1000, 200, 10, 1004)).toBe(1);
    expect(dueBy(1000, 200, 10, 1005)).toBe(2);
    expect(dueBy(1000, 200, 10, 60_000)).toBe(10);
  });

  it('says when the generator fell behind', () => {
    expect(scheduleLag([0, 1, 2, 1], 4, 1000).fell_behind).toBe(false);
    expect(scheduleLag([0, 1, 500, 1], 4, 1000).fell_behind).toBe(true);
    // On time but only half the offered rate.
    expect(scheduleLag([0, 0], 4, 1000).fell_behind).toBe(true);
  });

  it('writes results and a self-contained HTML report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-'));
    const file = writeResult(dir, 'propagation', { latency_ms: { p50: 1, p99: 2, max: 3 } });
    expect(JSON.parse(readFileSync(file, 'utf8')).latency_ms.p99).toBe(2);
    const table = textTable([
      ['part', 'value'],
      ['floor', 1234],
      ['kafka', null],
    ]);
    expect(table.split('\n')[2]).toBe('floor  1234');
    expect(table).toContain('kafka  —');
    const html = renderHtml({
      title: 'T',
      note: 'loaded <machine>',
      table: [['a'], ['<b>']],
      charts: [{ title: '</script>', x: [1], series: [{ label: 's', values: [2] }], xLabel: 'x', yLabel: 'y' }],
      results: { a: 1 },
      chartJs: 'var uPlot = function () {};',
      chartCss: '.u{}',
    });
    expect(html).toContain('var uPlot = function () {};');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toContain('&lt;b&gt;');
    expect(html).toContain('loaded &lt;machine&gt;');
    expect(html).not.toContain('"title":"</script>"');
  });
});
