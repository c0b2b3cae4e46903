/**
 * Plots for the human-facing estimate reports, rendered to SVG strings by Vega-Lite/Vega in Node,
 * headless (renderer 'none' + toSVG), with no browser, no canvas, no fonts and no network.
 *
 * Determinism: the same input gives byte-identical SVG. Vega's only process-global state that reaches
 * the SVG text is the counter behind clip-path and gradient ids and the text-width measurer; both are
 * pinned here (ids reset before every render, then prefixed per plot so several SVGs can share one
 * HTML page; text widths always estimated, never measured with an optional node-canvas). Renders are
 * serialised so that concurrent calls cannot interleave the id counter.
 */

import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

import type { EstimateReport } from '../estimate/types.js';

/** One point of a knob sweep (lanes / probability bits per layer), as the sweep plot and tables read it. */
export interface SweepPoint {
  label: string;
  lanes: number[];
  probBits: number[];
  lut: number;
  latencyUS: number;
  energyUJ: number;
  /** Golden-model accuracy on the first N test inputs of a data set (sweeps with a data set), in [0, 1]. */
  accuracy?: number;
  fits: boolean;
  pareto: boolean;
}

/** Shared look: plain sans-serif (no font files), white background, no interactive extras. */
const CONFIG = {
  font: 'sans-serif',
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 260 },
  title: { fontSize: 14, anchor: 'start' as const },
} as const;

const vlLogger = {
  // Vega-Lite warnings (e.g. about dropped nulls) are not the report reader's business; stay quiet.
  _level: 0,
  level(this: { _level: number }, n?: number) {
    if (n === undefined) return this._level;
    this._level = n;
    return this;
  },
  error(...args: unknown[]): never {
    throw new Error(`vega-lite: ${args.map(String).join(' ')}`);
  },
  warn() {
    return this;
  },
  info() {
    return this;
  },
  debug() {
    return this;
  },
};

/** Vega exposes these at run time; the typings do not declare textMetrics. */
const vegaRuntime = vega as unknown as {
  textMetrics?: { canvas(use: boolean): void };
  resetSVGDefIds(): void;
};

let queue: Promise<unknown> = Promise.resolve();

/** Serialise renders: the SVG def-id counter is global to the vega-scenegraph module. */
function serialised<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/** A loader that refuses every fetch: plots carry their data inline and must never touch the network. */
function offlineLoader(): vega.Loader {
  const refuse = (uri: string): Promise<never> =>
    Promise.reject(new Error(`bsnn report plots load nothing (refused: ${uri})`));
  const loader = vega.loader();
  return Object.assign(loader, {
    sanitize: refuse,
    load: refuse,
    http: refuse,
    file: refuse,
  }) as vega.Loader;
}

/** Make clip-path / gradient ids unique per plot so several inline SVGs can live in one document. */
function prefixIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/href="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}-${id}"`);
}

/**
 * Compile a Vega-Lite spec and render it to an SVG string. `idPrefix` must be a plain token
 * ([A-Za-z][A-Za-z0-9-]*); it namespaces the ids inside the SVG.
 */
export async function renderVegaLite(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(idPrefix)) throw new Error(`bad SVG id prefix: ${idPrefix}`);
  const vgSpec = compile({ config: CONFIG, ...spec } as TopLevelSpec, { logger: vlLogger as never }).spec;
  return serialised(async () => {
    vegaRuntime.textMetrics?.canvas(false);
    vegaRuntime.resetSVGDefIds();
    const view = new vega.View(vega.parse(vgSpec), {
      renderer: 'none',
      logLevel: vega.Error,
      loader: offlineLoader(),
    });
    try {
      const svg = await view.toSVG();
      return prefixIds(svg, idPrefix);
    } finally {
      view.finalize();
    }
  });
}

/** Finite numbers only reach the plots (NaN/∞ would make Vega drop or mis-scale marks). */
function num(x: number): number {
  return Number.isFinite(x) ? x : 0;
}

/**
 * Resource breakdown: one horizontal bar per resource kind (LUT, FF, BRAM), stacked by block, in
 * percent of the device, so the three kinds share one axis. BRAM counts RAMB36 plus half of each RAMB18.
 */
export function resourcePlot(report: EstimateReport): Promise<string> {
  const part = report.part;
  const rows: { kind: string; block: string; order: number; count: number; pct: number }[] = [];
  report.resources.blocks.forEach((b, i) => {
    const r = b.resources;
    const bram = r.bram36 + r.bram18 / 2;
    const entries: [string, number, number][] = [
      ['LUT', r.lut, part.lut],
      ['FF', r.ff, part.ff],
      ['BRAM (36 Kb equiv.)', bram, part.bram36],
    ];
    for (const [kind, count, cap] of entries) {
      rows.push({ kind, block: b.block, order: i, count: num(count), pct: cap > 0 ? num((100 * count) / cap) : 0 });
    }
  });
  const blocks = report.resources.blocks.map((b) => b.block);
  const spec: TopLevelSpec = {
    title: `Resources per block, % of ${part.part}`,
    width: 560,
    height: { step: 34 },
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'kind', type: 'nominal', title: null, sort: ['LUT', 'FF', 'BRAM (36 Kb equiv.)'] },
      x: { field: 'pct', type: 'quantitative', stack: 'zero', title: '% of device' },
      color: {
        field: 'block',
        type: 'nominal',
        title: 'Block',
        sort: blocks,
        scale: { scheme: 'tableau20' },
      },
      order: { field: 'order', type: 'quantitative' },
    },
  };
  return renderVegaLite(spec, 'plot-resources');
}

/** Power breakdown: one bar per consumer (static, clock, BRAM reads, ...), in mW, with value labels. */
export function powerPlot(report: EstimateReport): Promise<string> {
  const rows = report.power.breakdown.map((b, i) => ({ item: b.item, order: i, mW: num(b.mW) }));
  const items = rows.map((r) => r.item);
  const spec: TopLevelSpec = {
    title: `Power breakdown, total ${formatPlotNumber(report.power.totalMW)} mW`,
    width: 480,
    height: { step: 24 },
    data: { values: rows },
    encoding: {
      y: { field: 'item', type: 'nominal', title: null, sort: items },
      x: { field: 'mW', type: 'quantitative', title: 'mW' },
    },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8' } },
      {
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 },
        encoding: { text: { field: 'mW', type: 'quantitative', format: '.3~f' } },
      },
    ],
  };
  return renderVegaLite(spec, 'plot-power');
}

/** Activity per layer: input events and output spikes per inference, side by side for each layer. */
export function activityPlot(report: EstimateReport): Promise<string> {
  const a = report.activity;
  const layers = Math.max(a.eventsPerLayer.length, a.spikesPerLayer.length);
  const rows: { layer: string; metric: string; value: number }[] = [];
  for (let l = 0; l < layers; l++) {
    rows.push({ layer: `layer ${l}`, metric: 'input events', value: num(a.eventsPerLayer[l] ?? 0) });
    rows.push({ layer: `layer ${l}`, metric: 'output spikes', value: num(a.spikesPerLayer[l] ?? 0) });
  }
  const layerNames = Array.from({ length: layers }, (_, l) => `layer ${l}`);
  const spec: TopLevelSpec = {
    title: `Activity per inference (mean over ${a.inputs} inputs)`,
    width: { step: 28 },
    height: 220,
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'layer', type: 'nominal', title: null, sort: layerNames, axis: { labelAngle: 0 } },
      xOffset: { field: 'metric', type: 'nominal', sort: ['input events', 'output spikes'] },
      y: { field: 'value', type: 'quantitative', title: 'per inference' },
      color: {
        field: 'metric',
        type: 'nominal',
        title: null,
        sort: ['input events', 'output spikes'],
        scale: { range: ['#4c78a8', '#f58518'] },
      },
    },
  };
  return renderVegaLite(spec, 'plot-activity');
}

export interface SweepPlotOptions {
  /** Device LUT count: drawn as a vertical rule when given. */
  lutCapacity?: number;
}

/**
 * Sweep scatter: latency against LUTs, energy per inference as colour and size; Pareto points drawn
 * as outlined diamonds with bold labels; points that do not fit the device drawn hollow with a dashed
 * outline.
 */
export function sweepPlot(points: readonly SweepPoint[], options: SweepPlotOptions = {}): Promise<string> {
  const rows = points.map((p, i) => ({
    label: p.label,
    order: i,
    lut: num(p.lut),
    latencyUS: num(p.latencyUS),
    energyUJ: num(p.energyUJ),
    fit: p.fits ? 'fits' : 'does not fit',
    front: p.pareto ? 'Pareto' : 'dominated',
  }));
  const layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [
    {
      mark: { type: 'point', filled: true, strokeWidth: 1.5 },
      encoding: {
        x: { field: 'lut', type: 'quantitative', title: 'LUTs', scale: { zero: false } },
        y: { field: 'latencyUS', type: 'quantitative', title: 'latency per inference (µs)', scale: { zero: false } },
        color: {
          field: 'energyUJ',
          type: 'quantitative',
          title: 'µJ / inference',
          scale: { scheme: 'viridis' },
        },
        size: {
          field: 'energyUJ',
          type: 'quantitative',
          title: 'µJ / inference',
          scale: { range: [50, 400], zero: false },
        },
        shape: {
          field: 'front',
          type: 'nominal',
          title: 'Pareto front',
          scale: { domain: ['Pareto', 'dominated'], range: ['diamond', 'circle'] },
        },
        stroke: {
          field: 'front',
          type: 'nominal',
          title: 'Pareto front',
          scale: { domain: ['Pareto', 'dominated'], range: ['#000000', '#9a9a9a'] },
        },
        fillOpacity: {
          field: 'fit',
          type: 'nominal',
          legend: null,
          scale: { domain: ['fits', 'does not fit'], range: [0.9, 0] },
        },
        strokeDash: {
          field: 'fit',
          type: 'nominal',
          title: 'Device',
          scale: { domain: ['fits', 'does not fit'], range: [[1, 0], [3, 2]] },
          legend: { symbolFillColor: 'white', symbolStrokeColor: '#333333', symbolStrokeWidth: 1.5 },
        },
        order: { field: 'order', type: 'quantitative' },
      },
    },
    ...(['Pareto', 'dominated'] as const).map((front) => ({
      transform: [{ filter: { field: 'front', equal: front } }],
      mark: {
        type: 'text' as const,
        align: 'left' as const,
        dx: 9,
        dy: -6,
        fontSize: 10,
        fontWeight: front === 'Pareto' ? ('bold' as const) : ('normal' as const),
      },
      encoding: {
        x: { field: 'lut', type: 'quantitative' as const },
        y: { field: 'latencyUS', type: 'quantitative' as const },
        text: { field: 'label', type: 'nominal' as const },
      },
    })),
  ];
  const cap = options.lutCapacity;
  const maxLut = rows.reduce((m, r) => Math.max(m, r.lut), 0);
  // Draw the device limit only when the sweep comes near it; otherwise it would squash the points.
  if (cap !== undefined && Number.isFinite(cap) && cap > 0 && maxLut >= cap / 2) {
    layers.push({
      data: { values: [{ lut: cap, label: 'device LUTs' }] },
      layer: [
        { mark: { type: 'rule', color: '#c0392b', strokeDash: [4, 3] } },
        {
          mark: { type: 'text', color: '#c0392b', align: 'right', baseline: 'top', dx: -4, y: 4, fontSize: 10 },
          encoding: { text: { field: 'label', type: 'nominal' } },
        },
      ],
      encoding: { x: { field: 'lut', type: 'quantitative' } },
    });
  }
  const spec: TopLevelSpec = {
    title: 'Knob sweep: latency vs LUTs (energy as colour and size)',
    width: 520,
    height: 320,
    data: { values: rows },
    layer: layers,
    resolve: { scale: { color: 'shared', size: 'shared' } },
  };
  return renderVegaLite(spec, 'plot-sweep');
}

/** Number shown inside plot titles: up to 3 significant decimals, no locale. */
function formatPlotNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Number(x.toPrecision(4)).toString();
}

export interface ReportPlots {
  resources: string;
  power: string;
  activity: string;
  sweep?: string;
}

/** All plots of one report (and sweep, when given). */
export async function renderPlots(report: EstimateReport, sweep?: readonly SweepPoint[]): Promise<ReportPlots> {
  const resources = await resourcePlot(report);
  const power = await powerPlot(report);
  const activity = await activityPlot(report);
  const plots: ReportPlots = { resources, power, activity };
  if (sweep && sweep.length > 0) plots.sweep = await sweepPlot(sweep, { lutCapacity: report.part.lut });
  return plots;
}
