import { describe, expect, it } from 'vitest';
import { parse, type DefaultTreeAdapterMap } from 'parse5';

import type { EstimateReport, Resources } from '../generator/estimate/types.js';
import { escapeHtml, renderHtml } from '../generator/report/html.js';
import {
  formatInt,
  formatNumber,
  formatPercent,
  performanceFigures,
  renderMarkdown,
  resourceFigures,
} from '../generator/report/markdown.js';
import { dominates, paretoFront } from '../generator/report/pareto.js';
import { renderSweepMarkdown } from '../generator/report/markdown.js';
import { activityPlot, powerPlot, resourcePlot, sweepPlot, type SweepPoint } from '../generator/report/plots.js';
import { emptyResources } from '../generator/estimate/cells.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const res = (partial: Partial<Resources>): Resources => ({ ...emptyResources(), ...partial });

/** A hand-made, internally consistent report for an xc7z020 at 100 MHz. */
function syntheticReport(): EstimateReport {
  const blocks = [
    { block: 'encoder', layer: null, resources: res({ lut: 210, ff: 180, carry4: 6, lutBySize: { LUT3: 60, LUT6: 150 } }) },
    {
      block: 'layer0/lanes',
      layer: 0,
      resources: res({ lut: 5120, ff: 4096, carry4: 512, muxf7: 64, lutBySize: { LUT4: 1024, LUT6: 4096 } }),
    },
    { block: 'layer0/probmem', layer: 0, resources: res({ lut: 64, lutAsMemory: 64, bram36: 8, bram18: 1 }) },
    {
      block: 'layer1/lanes',
      layer: 1,
      resources: res({ lut: 1280, ff: 1024, carry4: 128, muxf8: 8, lutBySize: { LUT5: 256, LUT6: 1024 } }),
    },
    { block: 'layer1/probmem', layer: 1, resources: res({ bram36: 2, bram18: 1 }) },
    { block: 'top', layer: null, resources: res({ lut: 333, ff: 517, dsp: 1, lutBySize: { LUT2: 333 } }) },
  ];
  const total = res({ lutBySize: {} });
  for (const b of blocks) {
    for (const k of ['lut', 'lutAsMemory', 'ff', 'carry4', 'muxf7', 'muxf8', 'bram18', 'bram36', 'dsp'] as const) {
      total[k] += b.resources[k];
    }
    for (const [s, n] of Object.entries(b.resources.lutBySize)) total.lutBySize[s] = (total.lutBySize[s] ?? 0) + n;
  }
  // total: lut 7007, ff 5817, bram36 10, bram18 2, dsp 1
  const part = { part: 'xc7z020clg400-1', lut: 53200, ff: 106400, bram36: 140, dsp: 220, staticMW: 120 };
  const cycles = 12345;
  const clockMHz = 100;
  const latencyUS = cycles / clockMHz; // 123.45
  const synapticOps = 987654;
  const dynamicMW = 87.5;
  const totalMW = part.staticMW + dynamicMW; // 207.5
  return {
    model: 'mnist-<tiny> & "friends"',
    inputSource: 'the first 64 inputs of the mnist test split',
    modelHash: 'sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
    part,
    knobs: { lanes: [32, 8], probBits: [4, 3] },
    resources: { method: 'yosys', total, blocks },
    utilisation: {
      lut: total.lut / part.lut,
      ff: total.ff / part.ff,
      bram: (total.bram36 + total.bram18 / 2) / part.bram36,
      dsp: total.dsp / part.dsp,
    },
    fits: true,
    fitAdvice: [],
    timing: {
      fmaxMHz: 143.7,
      logicLevels: 7,
      clockMHz,
      clockSource: 'the default',
      meetsClock: true,
      check: '100 MHz meets the estimated Fmax 143.7 MHz (slack 3.04 ns of 10.00 ns)',
      fmaxClockMHz: 142.857143,
      method: 'logic-level model: 7 levels × 0.58 ns + 2.9 ns routing allowance',
    },
    activity: {
      inputs: 64,
      eventsPerLayer: [180.5, 42.25],
      spikesPerLayer: [42.25, 9.75],
      memReadsPerLayer: [180.5, 42.25],
      weightDrawsPerLayer: [5776, 338],
      accUpdatesPerLayer: [5776, 338],
      neuronUpdatesPerLayer: [2048, 160],
      synapticOps,
      cyclesPerInference: cycles,
      streamedCyclesPerInference: cycles + 24,
    },
    throughput: {
      cyclesPerInference: cycles,
      latencyUS,
      inferencesPerSecond: 1e6 / latencyUS,
      streamedPerSecond: (clockMHz * 1e6) / (cycles + 24),
      gsops: (synapticOps / latencyUS) * 1e-3,
    },
    power: {
      staticMW: part.staticMW,
      dynamicMW,
      totalMW,
      energyPerInferenceUJ: (totalMW * latencyUS) / 1000,
      deviceStaticMW: 200.2,
      deviceEnergyPerInferenceUJ: ((totalMW + 80.2) * latencyUS) / 1000,
      breakdown: [
        { item: 'static', mW: 120 },
        { item: 'clock', mW: 31.2 },
        { item: 'bram reads', mW: 18.4 },
        { item: 'weight draws', mW: 21.3 },
        { item: 'accumulate', mW: 9.1 },
        { item: 'neuron updates', mW: 7.5 },
      ],
      method: 'activity × per-event energy (XPE-derived coefficients), static from part table',
    },
    atFmax: null,
  };
}

function sweepPoints(): SweepPoint[] {
  const raw: Omit<SweepPoint, 'pareto'>[] = [
    { label: 'A', lanes: [8, 2], probBits: [3, 3], lut: 2000, latencyUS: 400, energyUJ: 60, fits: true },
    { label: 'B', lanes: [16, 4], probBits: [4, 3], lut: 4000, latencyUS: 200, energyUJ: 45, fits: true },
    { label: 'C', lanes: [16, 8], probBits: [4, 4], lut: 4500, latencyUS: 250, energyUJ: 50, fits: true },
    { label: 'D', lanes: [32, 8], probBits: [4, 3], lut: 7000, latencyUS: 123.45, energyUJ: 25.6, fits: true },
    { label: 'E <x>', lanes: [64, 16], probBits: [5, 4], lut: 60000, latencyUS: 60, energyUJ: 30, fits: false },
  ];
  return paretoFront(raw.map((p) => ({ ...p, pareto: false })));
}

function walk(node: Node, visit: (el: Element) => void): void {
  if ('tagName' in node) visit(node as Element);
  const kids = (node as { childNodes?: Node[] }).childNodes ?? [];
  for (const k of kids) walk(k, visit);
  const content = (node as { content?: Node }).content;
  if (content) walk(content, visit);
}

describe('paretoFront', () => {
  it('marks exactly the non-dominated points (lower LUT, latency, energy is better)', () => {
    // Hand-computed: C (4500, 250, 50) is dominated by B (4000, 200, 45). A is cheapest in LUTs, D has the
    // lowest energy, E the lowest latency: none of A, B, D, E is dominated by any other point.
    const marked = sweepPoints();
    expect(marked.map((p) => [p.label, p.pareto])).toEqual([
      ['A', true],
      ['B', true],
      ['C', false],
      ['D', true],
      ['E <x>', true],
    ]);
  });

  it('handles ties, equal points, non-finite values and the fitting-only option', () => {
    const pts = [
      { id: 0, lut: 10, latencyUS: 10, energyUJ: 10, fits: true },
      { id: 1, lut: 10, latencyUS: 10, energyUJ: 10, fits: true }, // equal to 0: neither dominates
      { id: 2, lut: 10, latencyUS: 10, energyUJ: 11, fits: true }, // worse in energy only: dominated
      { id: 3, lut: 5, latencyUS: 5, energyUJ: 5, fits: false }, // dominates all, but does not fit
      { id: 4, lut: Number.NaN, latencyUS: 1, energyUJ: 1, fits: true }, // never on the front
    ];
    expect(paretoFront(pts).map((p) => p.pareto)).toEqual([false, false, false, true, false]);
    expect(paretoFront(pts, { fittingOnly: true }).map((p) => p.pareto)).toEqual([true, true, false, false, false]);
    expect(dominates(pts[0]!, pts[2]!)).toBe(true);
    expect(dominates(pts[0]!, pts[1]!)).toBe(false);
    // input untouched, order kept
    expect(pts.map((p) => 'pareto' in p)).toEqual([false, false, false, false, false]);
    expect(paretoFront([])).toEqual([]);
  });

  it('with accuracy, a costlier point that classifies better stays on the front; a cheaper worse one does not dominate it', () => {
    const pts = [
      { id: 'k2', lut: 1700, latencyUS: 3540, energyUJ: 146, accuracy: 0.93 },
      { id: 'k4', lut: 1860, latencyUS: 3610, energyUJ: 159, accuracy: 0.946 }, // dominated without accuracy
      { id: 'k4 worse', lut: 1900, latencyUS: 3700, energyUJ: 160, accuracy: 0.94 }, // dominated by k4
      { id: 'NaN', lut: 1, latencyUS: 1, energyUJ: 1, accuracy: Number.NaN }, // never on the front
    ];
    expect(paretoFront(pts.slice(0, 3).map(({ accuracy: _a, ...p }) => p)).map((p) => p.pareto)).toEqual([true, false, false]);
    expect(paretoFront(pts).map((p) => p.pareto)).toEqual([true, true, false, false]);
    expect(dominates(pts[0]!, pts[1]!)).toBe(false);
    expect(dominates(pts[1]!, pts[2]!)).toBe(true);
    // An accuracy column appears in the Markdown and HTML sweep tables only when the sweep measured it.
    const sweep = paretoFront(
      [
        { label: 'k2', lanes: [1], probBits: [2], lut: 1700, latencyUS: 3540, energyUJ: 146, accuracy: 0.93, fits: true },
        { label: 'k4', lanes: [1], probBits: [4], lut: 1860, latencyUS: 3610, energyUJ: 159, accuracy: 0.946, fits: true },
      ].map((p) => ({ ...p, pareto: false })),
    );
    const md = renderSweepMarkdown(sweep);
    expect(md).toContain('| Accuracy |');
    expect(md).toContain('| **k4** | 1 | 4 | 1,860 | 3,610 | 159 | 94.6 % | yes | **yes** |');
    expect(renderSweepMarkdown(sweepPoints())).not.toContain('Accuracy');
  });
});

describe('plots', () => {
  it('renders every plot as an SVG, deterministically', async () => {
    const r = syntheticReport();
    const sweep = sweepPoints();
    for (const make of [
      () => resourcePlot(r),
      () => powerPlot(r),
      () => activityPlot(r),
      () => sweepPlot(sweep, { lutCapacity: r.part.lut }),
    ]) {
      const a = await make();
      const b = await make();
      expect(a.startsWith('<svg')).toBe(true);
      expect(a.trimEnd().endsWith('</svg>')).toBe(true);
      expect(a).toBe(b);
    }
  });

  it('is unaffected by concurrent renders (SVG ids stay per plot and stable)', async () => {
    const r = syntheticReport();
    const sweep = sweepPoints();
    const serial = [await sweepPlot(sweep), await resourcePlot(r)];
    const parallel = await Promise.all([sweepPlot(sweep), resourcePlot(r)]);
    expect(parallel).toEqual(serial);
  });

  it('draws data from the input: block names, items and point labels appear, escaped', async () => {
    const r = syntheticReport();
    const svgR = await resourcePlot(r);
    for (const b of r.resources.blocks) expect(svgR).toContain(b.block);
    const svgP = await powerPlot(r);
    for (const b of r.power.breakdown) expect(svgP).toContain(b.item);
    const svgS = await sweepPlot(sweepPoints());
    expect(svgS).toContain('E &lt;x&gt;');
    expect(svgS).not.toContain('E <x>');
  });
});

describe('renderHtml', () => {
  it('is a well-formed, self-contained page with every headline figure and the plots', async () => {
    const r = syntheticReport();
    const sweep = sweepPoints();
    const html = await renderHtml(r, sweep);

    const errors: string[] = [];
    const doc = parse(html, { onParseError: (err) => errors.push(`${err.code} at ${err.startLine}:${err.startCol}`) });
    expect(errors).toEqual([]);

    const tags: Element[] = [];
    walk(doc, (el) => tags.push(el));
    const names = tags.map((t) => t.tagName);
    expect(names.filter((n) => n === 'svg')).toHaveLength(4);
    expect(names).toContain('style');
    expect(names).not.toContain('script');
    expect(names).not.toContain('link');
    expect(names).not.toContain('img');
    expect(names).not.toContain('iframe');
    // No external references: no src/href/action attribute points anywhere but a fragment in the page.
    const ids = new Set<string>();
    for (const t of tags) for (const a of t.attrs) if (a.name === 'id') ids.add(a.value);
    for (const t of tags) {
      for (const a of t.attrs) {
        if (['src', 'href', 'xlink:href', 'action', 'srcset', 'poster', 'data'].includes(a.name)) {
          expect(a.value.startsWith('#'), `${t.tagName}[${a.name}=${a.value}]`).toBe(true);
          expect(ids.has(a.value.slice(1))).toBe(true);
        }
      }
    }
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:|\/\/|file:|data:)/i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:|\/\/www\./i); // not even SVG namespace names
    expect(html).not.toMatch(/@import|url\(\s*["']?(https?:|\/\/)/i);
    // Every url(#id) reference resolves to an element of the page, and ids are unique across the SVGs.
    for (const m of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids.has(m[1]!)).toBe(true);
    const allIds: string[] = [];
    for (const t of tags) for (const a of t.attrs) if (a.name === 'id') allIds.push(a.value);
    expect(new Set(allIds).size).toBe(allIds.length);

    // Header, escaped
    expect(html).toContain(escapeHtml(r.model));
    expect(html).not.toContain('mnist-<tiny>');
    expect(html).toContain(r.modelHash);
    expect(html).toContain('xc7z020clg400-1');
    expect(html).toContain('100 MHz');

    // Headline figures, as the shared formatter writes them and as literals computed by hand
    for (const f of resourceFigures(r)) {
      expect(html).toContain(f.used);
      expect(html).toContain(f.available);
      if (f.utilisation) expect(html).toContain(f.utilisation);
    }
    for (const f of performanceFigures(r)) expect(html).toContain(escapeHtml(f.value));
    for (const literal of [
      '7,007', // LUT
      '53,200',
      '13.2 %', // 7007 / 53200
      '5,817', // FF
      '5.5 %', // 5817 / 106400
      '7.9 %', // BRAM: (10 + 2/2) / 140
      '0.5 %', // DSP 1 / 220
      '143.7 MHz', // Fmax
      '12,345', // cycles
      '123.5 µs', // latency 12345 cycles / 100 MHz = 123.45 µs
      '>8,100<', // inferences/s = 1e6 / 123.45 = 8100.4
      '8.000 GSOPS', // 987654 / 123.45 µs = 8.0004 GSOPS
      '207.5 mW',
      '25.62 µJ', // 207.5 mW × 123.45 µs = 25.616 µJ
      '>yes<', // fits
    ]) {
      expect(html).toContain(literal);
    }
    // Block table lists every block
    for (const b of r.resources.blocks) expect(html).toContain(`<td>${escapeHtml(b.block)}</td>`);
    // Method notes, prominent and labelled as estimates
    expect(html).toContain('Pre-place-and-route estimates');
    expect(html).toContain(escapeHtml(r.timing.method));
    expect(html).toContain(escapeHtml(r.power.method));
    expect(html).toMatch(/<strong>Resources:<\/strong> yosys/);
    // Sweep table marks the Pareto points
    expect(html.match(/<tr class="pareto">/g)).toHaveLength(4);
  });

  it('is deterministic and escapes hostile text everywhere', async () => {
    const r = syntheticReport();
    r.fits = false;
    r.fitAdvice = ['reduce lanes of layer 0 to 16 <b>now</b>', 'use "3" probability bits & retry'];
    r.resources.blocks[0]!.block = '<script>alert(1)</script>';
    const a = await renderHtml(r, sweepPoints());
    const b = await renderHtml(r, sweepPoints());
    expect(a).toBe(b);
    expect(a).not.toContain('<script>');
    expect(a).not.toContain('<b>now</b>');
    expect(a).toContain('&lt;b&gt;now&lt;/b&gt;');
    expect(a).toContain('use &quot;3&quot; probability bits &amp; retry');
    expect(a).toContain('Does not fit');
    expect(a).toContain('>no<');
  });

  it('renders without a sweep', async () => {
    const html = await renderHtml(syntheticReport());
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html).not.toContain('Knob sweep');
  });
});

describe('renderMarkdown', () => {
  it('contains the headline figures, fit and methods', () => {
    const r = syntheticReport();
    const md = renderMarkdown(r);
    expect(md).toBe(renderMarkdown(r));
    for (const literal of [
      '7,007 of 53,200 (13.2 %)',
      '5,817 of 106,400 (5.5 %)',
      '| BRAM36 | 10 of 140 |',
      '| BRAM18 | 2 of 280 |',
      '11 of 140 (7.9 %)',
      '1 of 220 (0.5 %)',
      '143.7 MHz',
      '| Cycles per inference | 12,345 (mean over the activity inputs) |',
      '| Latency per inference | 123.5 µs (mean, at the 100 MHz build clock) |',
      '| Build clock | 100 MHz (the default; what gen-rtl builds with the same --clock-mhz. 100 MHz meets the estimated Fmax 143.7 MHz (slack 3.04 ns of 10.00 ns)) |',
      'build clock 100 MHz (the default)',
      'Activity (cycles, latency, power, energy): means over the first 64 inputs of the mnist test split.',
      '| Energy per inference, device | 35.52 µJ (with the PS, XADC and VCCO static power, as Vivado\'s Device Static (200.2 mW)) |',
      '| Inferences per second | 8,100 (one at a time: 1 / latency) |',
      '| Inferences per second, streamed | 8,085 (samples sent back to back',
      '| Throughput | 8.000 GSOPS |',
      '207.5 mW (static 120 mW + dynamic 87.50 mW)',
      '| Energy per inference | 25.62 µJ (PL only: PL static + dynamic) |',
      '| Fits the device | yes |',
      '**Fits** the device.',
      '- **Resources:** yosys',
      'pre-place-and-route',
    ]) {
      expect(md).toContain(literal);
    }
    expect(md).toContain('# bsnn estimate: mnist-&lt;tiny> &amp; "friends"');
    expect(md).not.toContain('Knob sweep');
  });

  it('lists the sweep with the Pareto points marked', () => {
    const md = renderMarkdown(syntheticReport(), sweepPoints());
    expect(md).toContain('## Knob sweep');
    expect(md).toContain('| **A** | 8, 2 | 3, 3 | 2,000 | 400 | 60 | yes | **yes** |');
    expect(md).toContain('| C | 16, 8 | 4, 4 | 4,500 | 250 | 50 | yes | no |');
    expect(md).toContain('| **E &lt;x>** | 64, 16 | 5, 4 | 60,000 | 60 | 30 | no | **yes** |');
    expect(md.match(/\| \*\*yes\*\* \|/g)).toHaveLength(4);
  });

  it('writes fit advice when the design does not fit', () => {
    const r = syntheticReport();
    r.fits = false;
    r.fitAdvice = ['reduce lanes of layer 0 to 16', 'use 3 probability bits | layer 1'];
    const md = renderMarkdown(r);
    expect(md).toContain('**Does not fit** the device.');
    expect(md).toContain('- reduce lanes of layer 0 to 16');
    expect(md).toContain('- use 3 probability bits \\| layer 1');
  });
});

describe('formatting', () => {
  it('formats numbers without locale', () => {
    expect(formatInt(1234567)).toBe('1,234,567');
    expect(formatInt(-1234.4)).toBe('-1,234');
    expect(formatNumber(8100.4455)).toBe('8,100');
    expect(formatNumber(123.45)).toBe('123.5');
    expect(formatNumber(25.615875)).toBe('25.62');
    expect(formatNumber(8.0004)).toBe('8.000');
    expect(formatNumber(0.012345)).toBe('0.0123');
    expect(formatNumber(Number.NaN)).toBe('n/a');
    expect(formatPercent(0.1317)).toBe('13.2 %');
  });
});
