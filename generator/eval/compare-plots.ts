/** Plots of `bsnn evaluate --compare` (SVG by Vega-Lite): one line or bar per model. */
import type { TopLevelSpec } from 'vega-lite';
import { renderVegaLite } from '../report/plots.js';
import { perturbationPanels, reliabilityDiagram } from './plots.js';
import type { Comparison } from './compare.js';

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/** Accuracy and ECE after T' = 1..T timesteps, one panel each. */
function timestepsPlot(c: Comparison): Promise<string> | null {
  const rows = c.models.flatMap((m) =>
    m.timestepCurve.flatMap((p) => [
      { model: m.label, timesteps: p.timesteps, metric: 'accuracy', value: p.accuracy },
      { model: m.label, timesteps: p.timesteps, metric: 'ECE', value: p.ece },
    ]),
  );
  if (rows.length === 0) return null;
  const spec: TopLevelSpec = {
    title: `Accuracy and ECE vs timesteps (first ${c.curveInputs} inputs)`,
    data: { values: rows },
    facet: { column: { field: 'metric', type: 'nominal', title: null } },
    spec: {
      width: 300,
      height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'timesteps', type: 'quantitative', title: "timesteps T'", axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: { field: 'model', type: 'nominal', title: null },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
  return renderVegaLite(spec, 'compare-timesteps');
}

/** Accuracy under each perturbation kind, one panel per kind. */
function perturbationsPlot(c: Comparison): Promise<string> | null {
  const rows = c.models.flatMap((m) => m.perturbations.map((p) => ({ model: m.label, kind: p.kind, level: p.level, accuracy: p.accuracy })));
  if (rows.length === 0) return null;
  return perturbationPanels(rows, 'model', 'compare-perturbations');
}

/** Reliability diagram, one line per model. */
function reliabilityPlot(c: Comparison): Promise<string> {
  const rows = c.models.flatMap((m) =>
    m.reliability.filter((b) => b.count > 0).map((b) => ({ model: m.label, confidence: finite(b.confidence), accuracy: finite(b.accuracy) })),
  );
  const title = `Reliability (ECE: ${c.models.map((m) => `${m.label} ${(100 * m.ece).toFixed(2)}%`).join(', ')})`;
  return reliabilityDiagram(title, rows, 'model', 'compare-reliability');
}

/** Spikes per inference by layer, one bar per model. */
function spikesPlot(c: Comparison): Promise<string> {
  const rows = c.models.flatMap((m) => m.spikesPerLayer.map((s, l) => ({ model: m.label, layer: `layer ${l}`, spikes: s })));
  const spec: TopLevelSpec = {
    title: 'Spikes per inference by layer',
    width: 380,
    height: 40 + 24 * c.models.length,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      y: { field: 'model', type: 'nominal', title: null },
      x: { field: 'spikes', type: 'quantitative', title: 'spikes per inference', stack: 'zero' },
      color: { field: 'layer', type: 'nominal', title: null },
    },
  };
  return renderVegaLite(spec, 'compare-spikes');
}

export async function comparisonPlots(c: Comparison): Promise<{ file: string; svg: string }[]> {
  const out = [
    { file: 'reliability.svg', svg: await reliabilityPlot(c) },
    { file: 'spikes.svg', svg: await spikesPlot(c) },
  ];
  const t = timestepsPlot(c);
  if (t) out.push({ file: 'timesteps.svg', svg: await t });
  const p = perturbationsPlot(c);
  if (p) out.push({ file: 'perturbations.svg', svg: await p });
  return out;
}
