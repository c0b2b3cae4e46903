/** The evaluator's plots (SVG, rendered by Vega-Lite): reliability, accuracy vs timesteps and perturbation, spikes per layer. */
import type { TopLevelSpec } from 'vega-lite';
import { renderVegaLite } from '../report/plots.js';
import type { EvaluationReport, VariantResult } from './evaluate.js';

const finite = (x: number) => (Number.isFinite(x) ? x : null);

const variants = (r: EvaluationReport): [string, VariantResult][] => [
  ['Bayesian (time ensemble)', r],
  ['deterministic', r.baselines.deterministic],
  [`per-sample ensemble (S=${r.baselines.perSample.samples})`, r.baselines.perSample],
];

/** Reliability diagram: accuracy vs mean confidence per bin, for every variant, with the diagonal. */
export function reliabilityPlot(r: EvaluationReport): Promise<string> {
  const rows = variants(r).flatMap(([name, v]) =>
    v.reliability.filter((b) => b.count > 0).map((b) => ({ variant: name, confidence: finite(b.confidence), accuracy: finite(b.accuracy), count: b.count })),
  );
  const title = `Reliability (ECE: ${variants(r).map(([n, v]) => `${n.split(' ')[0]} ${(100 * v.ece).toFixed(2)}%`).join(', ')})`;
  return reliabilityDiagram(title, rows, 'variant', 'reliability');
}

/** Accuracy against mean confidence per bin with the diagonal, one line per value of `series` (shared with --compare). */
export function reliabilityDiagram(title: string, rows: { confidence: number | null; accuracy: number | null }[], series: string, name: string): Promise<string> {
  const spec: TopLevelSpec = {
    title,
    width: 380,
    height: 380,
    layer: [
      { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line', color: '#999', strokeDash: [4, 4] }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
      {
        data: { values: rows },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'confidence', type: 'quantitative', title: 'confidence (bin mean)', scale: { domain: [0, 1] } },
          y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { domain: [0, 1] } },
          color: { field: series, type: 'nominal', title: null },
        },
      },
    ],
  };
  return renderVegaLite(spec, name);
}

/** Accuracy after T' = 1..T timesteps (the time ensemble read early). */
export function timestepPlot(r: EvaluationReport): Promise<string> | null {
  if (!r.timestepCurve) return null;
  const spec: TopLevelSpec = {
    title: `Accuracy vs timesteps (first ${r.timestepCurve.n} inputs)`,
    width: 420,
    height: 260,
    data: { values: r.timestepCurve.points },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'timesteps', type: 'quantitative', title: "timesteps T'", axis: { tickMinStep: 1 } },
      y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { zero: false } },
    },
  };
  return renderVegaLite(spec, 'timesteps');
}

/** Accuracy under each perturbation level, Bayesian vs deterministic, one panel per kind. */
export function perturbationPlot(r: EvaluationReport): Promise<string> | null {
  if (r.perturbations.length === 0) return null;
  const rows = r.perturbations.flatMap((p) => [
    { kind: p.kind, level: p.level, network: 'Bayesian', accuracy: p.bayesian.accuracy },
    { kind: p.kind, level: p.level, network: 'deterministic', accuracy: p.deterministic.accuracy },
  ]);
  return perturbationPanels(rows, 'network', 'perturbations');
}

/** Accuracy against perturbation level, one panel per kind, one line per value of `series` (shared with --compare). */
export function perturbationPanels(rows: { kind: string; level: number; accuracy: number }[], series: string, name: string): Promise<string> {
  const spec: TopLevelSpec = {
    title: 'Accuracy under perturbation',
    data: { values: rows },
    facet: { column: { field: 'kind', type: 'nominal', title: null } },
    spec: {
      width: 220,
      height: 220,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'level', type: 'quantitative', title: 'level' },
        y: { field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: { zero: false } },
        color: { field: series, type: 'nominal', title: null },
      },
    },
    resolve: { scale: { x: 'independent' } },
  };
  return renderVegaLite(spec, name);
}

/** Spikes per inference in each layer, per variant. */
export function spikePlot(r: EvaluationReport): Promise<string> {
  const rows = variants(r).flatMap(([name, v]) => v.spikesPerLayer.map((s, l) => ({ variant: name, layer: `layer ${l}`, spikes: s })));
  const spec: TopLevelSpec = {
    title: 'Spikes per inference by layer',
    width: 380,
    height: 220,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      y: { field: 'variant', type: 'nominal', title: null },
      x: { field: 'spikes', type: 'quantitative', title: 'spikes per inference', stack: 'zero' },
      color: { field: 'layer', type: 'nominal', title: null },
    },
  };
  return renderVegaLite(spec, 'spikes');
}

/** Every plot that applies, as file name → SVG. */
export async function evaluationPlots(r: EvaluationReport): Promise<{ file: string; svg: string }[]> {
  const out: { file: string; svg: string }[] = [
    { file: 'reliability.svg', svg: await reliabilityPlot(r) },
    { file: 'spikes.svg', svg: await spikePlot(r) },
  ];
  const t = timestepPlot(r);
  if (t) out.push({ file: 'timesteps.svg', svg: await t });
  const p = perturbationPlot(r);
  if (p) out.push({ file: 'perturbations.svg', svg: await p });
  return out;
}
