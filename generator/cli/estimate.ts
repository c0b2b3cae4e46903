/** `bsnn estimate`: one design's report, or a sweep over lanes and probability bits. */
import ora from 'ora';
import type { Argv } from 'yargs';
import { DEFAULT_CLOCK_MHZ } from '../board/clock.js';
import { estimate, resolvePart } from '../estimate/estimate.js';
import type { EstimateReport } from '../estimate/types.js';
import { planModel, type PlanOptions } from '../ir/plan.js';
import type { PlannedModel } from '../ir/types.js';
import { loadModel } from '../model/load.js';
import { randomInputs } from '../model/random.js';
import { DATASETS, loadSplit, type DatasetName } from '../train/datasets.js';
import { renderHtml } from '../report/html.js';
import { renderMarkdown } from '../report/markdown.js';
import { paretoFront } from '../report/pareto.js';
import type { SweepPoint } from '../report/plots.js';
import { BsnnError } from '../util/errors.js';
import { writeFileAtomically } from '../util/atomic.js';

const list = (name: string, v: string | undefined, sep: string): number[] | undefined => {
  if (v === undefined) return undefined;
  const parts = v.split(sep).map((s) => Number(s.trim()));
  if (parts.length === 0 || parts.some((p) => !Number.isInteger(p) || p < 1)) throw new BsnnError(`--${name}: "${v}" is not a list of positive integers`);
  return parts;
};

export function estimateCommand<T>(y: Argv<T>) {
  return y
    .positional('model', { type: 'string', demandOption: true, describe: 'bsnn/1 model JSON' })
    .option('part', { type: 'string', default: 'xc7z020', describe: 'Zynq-7000 part (xc7z007s … xc7z100)' })
    .option('clock', { type: 'number', describe: 'clock in MHz for throughput and power (default: the estimated Fmax, or 100 without synthesis)' })
    .option('synth', { choices: ['native', 'yowasp', 'none'] as const, describe: 'resources by Yosys (native Debian build, or the npm WebAssembly build), or none: the analytical model only (default: native if installed, else yowasp)' })
    .option('lanes', { type: 'string', describe: 'lanes: one number for every layer, a:b:c per layer, or a sweep 8,16,32' })
    .option('prob-bits', { type: 'string', describe: 'probability bits k for every layer, or a sweep 4,8' })
    .option('inputs', { type: 'number', default: 32, describe: 'random inputs whose golden-model activity drives cycles and power' })
    .option('input-seed', { type: 'number', default: 1 })
    .option('dataset', { choices: DATASETS, describe: 'take the activity inputs from this data set\'s test split instead (first --inputs examples)' })
    .option('data', { type: 'string', describe: 'folder with IDX files (for --dataset idx, or mnist from a folder)' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' })
    .option('html', { type: 'string', describe: 'write a self-contained HTML report here' })
    .option('md', { type: 'string', describe: 'write a Markdown summary here' });
}

interface EstimateArgs {
  model: string;
  part: string;
  clock?: number;
  synth?: 'native' | 'yowasp' | 'none';
  lanes?: string;
  probBits?: string;
  inputs: number;
  dataset?: DatasetName;
  data?: string;
  inputSeed: number;
  json: boolean;
  html?: string;
  md?: string;
}

/** The headline figures as the issue names them, plus the full report. */
function jsonReport(r: EstimateReport) {
  const t = r.resources.total;
  return {
    lut: t.lut,
    ff: t.ff,
    bram36: t.bram36,
    bram18: t.bram18,
    dsp: t.dsp,
    fmaxMHz: Number.isFinite(r.timing.fmaxMHz) ? r.timing.fmaxMHz : null,
    cyclesPerInference: r.throughput.cyclesPerInference,
    inferencesPerSecond: r.throughput.inferencesPerSecond,
    powerMW: r.power.totalMW,
    energyPerInferenceUJ: r.power.energyPerInferenceUJ,
    fits: r.fits,
    report: r,
  };
}

export async function runEstimate(a: EstimateArgs): Promise<void> {
  if (!Number.isInteger(a.inputs) || a.inputs < 1) throw new BsnnError(`--inputs: ${a.inputs} is not a positive integer`);
  if (a.clock !== undefined && !(a.clock > 0)) throw new BsnnError(`--clock: ${a.clock} is not a positive number of MHz`);
  const part = resolvePart(a.part);
  const model = loadModel(a.model);
  const perLayer = a.lanes?.includes(':') ? list('lanes', a.lanes, ':') : undefined;
  if (perLayer && perLayer.length !== model.layers.length) throw new BsnnError(`--lanes: gives ${perLayer.length} values, the model has ${model.layers.length} layers`);
  const laneSweep = perLayer ? undefined : list('lanes', a.lanes, ',');
  const kSweep = list('prob-bits', a.probBits, ',');
  if (kSweep?.some((k) => k > 8)) throw new BsnnError(`--prob-bits: ${a.probBits} has a value above 8`);
  const plan = (lanes?: number | number[], probBits?: number): PlannedModel => planModel(model, { lanes, probBits } as PlanOptions);
  // Activity drives cycles and power: real data when a data set is named, else random intensities.
  const inputs = a.dataset ? loadSplit(a.dataset, 'test', { dir: a.data }).inputs.slice(0, a.inputs) : randomInputs(a.inputSeed, a.inputs, model.input.size);
  if (inputs.some((x) => x.length !== model.input.size)) throw new BsnnError(`--dataset: ${a.dataset} inputs do not have the model's ${model.input.size} values`);

  const sweeping = (laneSweep?.length ?? 0) > 1 || (kSweep?.length ?? 0) > 1;
  if (sweeping) {
    const clockMHz = a.clock ?? DEFAULT_CLOCK_MHZ;
    const reports: EstimateReport[] = [];
    for (const lanes of laneSweep ?? [undefined]) {
      for (const k of kSweep ?? [undefined]) {
        reports.push(await estimate(plan(lanes, k), { part: a.part, clockMHz, resources: 'analytical', inputs }, plan));
      }
    }
    const points: SweepPoint[] = reports.map((r) => ({
      label: `P=${r.knobs.lanes.join('/')} k=${r.knobs.probBits.join('/')}`,
      lanes: r.knobs.lanes,
      probBits: r.knobs.probBits,
      lut: r.resources.total.lut,
      latencyUS: r.throughput.latencyUS,
      energyUJ: r.power.energyPerInferenceUJ,
      fits: r.fits,
      pareto: false,
    }));
    const front = paretoFront(points);
    if (a.json) console.log(JSON.stringify({ part: part.part, clockMHz, method: 'analytical resources, cycle model, activity power', points: front }));
    else {
      console.log(`sweep on ${part.part} at ${clockMHz} MHz (analytical resources; * = Pareto front of LUT, latency, energy)`);
      console.log('  config                         LUT   latency µs   energy µJ   fits');
      for (const s of front) console.log(`${s.pareto ? '*' : ' '} ${s.label.padEnd(26)} ${String(s.lut).padStart(8)} ${s.latencyUS.toFixed(1).padStart(12)} ${s.energyUJ.toFixed(3).padStart(11)}   ${s.fits ? 'yes' : 'NO'}`);
    }
    // The page around the sweep describes its first point.
    if (a.html) writeFileAtomically(a.html, await renderHtml(reports[0], front));
    if (a.md) writeFileAtomically(a.md, renderMarkdown(reports[0], front));
    return;
  }

  const p = plan(perLayer ?? laneSweep?.[0], kSweep?.[0]);
  // A spinner with the running Yosys pass on a terminal; nothing at all in pipes and CI logs.
  const spinner = ora({ text: 'estimating', stream: process.stderr, isSilent: !process.stderr.isTTY });
  spinner.start();
  const t0 = performance.now();
  let report: EstimateReport;
  try {
    report = await estimate(
      p,
      {
        part: a.part,
        clockMHz: a.clock,
        resources: a.synth === 'none' ? 'analytical' : 'yosys',
        engine: a.synth === 'none' ? undefined : a.synth,
        inputs,
        onStep: (what) => (spinner.text = what),
        onPass: (pass) => (spinner.text = `Yosys synth_xilinx: ${pass} (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
      },
      (l, k) => plan(l, k),
    );
  } finally {
    spinner.stop();
  }
  if (a.json) console.log(JSON.stringify(jsonReport(report)));
  else console.log(renderMarkdown(report));
  if (a.html) writeFileAtomically(a.html, await renderHtml(report));
  if (a.md) writeFileAtomically(a.md, renderMarkdown(report));
}
