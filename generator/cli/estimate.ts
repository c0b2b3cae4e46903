/**
 * `bsnn estimate`: one design's report, or a sweep over lanes and probability bits. The HTML page's renderer
 * (vega and vega-lite, about a second to load) is imported only for --html, so a refused option answers at once.
 */
import { neuronsOf } from '../model/shapes.js';
import ora from 'ora';
import { buildClock, foldingClockMHz, parseClock, roundingNote } from '../board/clock.js';
import { estimate, resolvePart } from '../estimate/estimate.js';
import type { EstimateReport, PartInfo } from '../estimate/types.js';
import { planModel, type PlanOptions } from '../ir/plan.js';
import type { PlannedModel } from '../ir/types.js';
import { loadModel } from '../model/load.js';
import type { DatasetName } from '../train/datasets.js';
import { renderMarkdown } from '../report/markdown.js';
import { paretoFront } from '../report/pareto.js';
import type { SweepPoint } from '../report/plots.js';
import { BsnnError } from '../util/errors.js';
import { writeFileAtomically } from '../util/atomic.js';
import { resolveTarget } from '../board/target.js';
import { GoldenModel } from '../golden/infer.js';
import type { Model } from '../model/schema.js';
import { loadSplit } from '../train/datasets.js';
import { chooseInputs, datasetFor } from './inputs.js';
import { lanesForTarget } from './fold.js';
import { foldingOption, lanesFor, positiveIntList, probBitsList, probBitsOk, type Folding, type FoldingArgs } from './options.js';

export interface EstimateArgs extends FoldingArgs {
  model: string;
  board?: string;
  part?: string;
  clockMhz?: string | number;
  synth?: 'native' | 'yowasp' | 'none';
  targetUs?: string;
  probBits?: string | number;
  sweepLanes?: string;
  sweepProbBits?: string;
  inputs: number;
  dataset?: DatasetName;
  data?: string;
  inputSeed: number;
  accuracyInputs: number;
  json: boolean;
  html?: string;
  md?: string;
}

/**
 * Accuracy for a sweep: the golden model's class against the label on the first n test inputs of the data set
 * (--dataset, else the model's own), measured for every point (k changes the quantised probabilities, and other
 * lane counts draw other samples: docs/semantics.md §1), once per distinct planned arithmetic. Undefined
 * without a data set.
 */
function sweepAccuracy(a: EstimateArgs, model: Model): { of: (p: PlannedModel) => number; on: () => string } | undefined {
  if (!Number.isInteger(a.accuracyInputs) || a.accuracyInputs < 1) throw new BsnnError(`--accuracy-inputs: ${a.accuracyInputs} is not a positive integer`);
  const { dataset } = datasetFor(a.dataset, model, a.data);
  if (!dataset) return undefined;
  const test = loadSplit(dataset, 'test', { dir: a.data });
  const n = Math.min(a.accuracyInputs, test.inputs.length);
  const seen = new Map<string, number>();
  const of = (p: PlannedModel) => {
    let acc = seen.get(p.modelHash);
    if (acc === undefined) {
      const golden = new GoldenModel(p);
      let right = 0;
      for (let i = 0; i < n; i++) if (golden.infer(test.inputs[i]).cls === test.labels[i]) right++;
      seen.set(p.modelHash, (acc = right / n));
    }
    return acc;
  };
  // The binomial 95 % half-width of the least certain point, so that a reader can tell noise from a difference.
  const halfWidth = () => Math.max(...[...seen.values()].map((p) => 196 * Math.sqrt((p * (1 - p)) / n)));
  return { of, on: () => `the golden model's accuracy on the first ${n} inputs of the ${dataset} test split (95 % interval up to ±${halfWidth().toFixed(1)} points)` };
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
    // The figures below are at the build clock, what gen-rtl builds with the same --clock-mhz; atFmax at the Fmax.
    clockMHz: r.timing.clockMHz,
    clockSource: r.timing.clockSource,
    meetsClock: r.timing.meetsClock,
    fmaxClockMHz: r.timing.fmaxClockMHz,
    cyclesPerInference: r.throughput.cyclesPerInference,
    inferencesPerSecond: r.throughput.inferencesPerSecond,
    streamedPerSecond: r.throughput.streamedPerSecond,
    powerMW: r.power.totalMW,
    energyPerInferenceUJ: r.power.energyPerInferenceUJ,
    deviceEnergyPerInferenceUJ: r.power.deviceEnergyPerInferenceUJ,
    atFmax: r.atFmax && {
      clockMHz: r.atFmax.clockMHz,
      latencyUS: r.atFmax.latencyUS,
      inferencesPerSecond: r.atFmax.inferencesPerSecond,
      streamedPerSecond: r.atFmax.streamedPerSecond,
      powerMW: r.atFmax.power.totalMW,
      energyPerInferenceUJ: r.atFmax.power.energyPerInferenceUJ,
      deviceEnergyPerInferenceUJ: r.atFmax.power.deviceEnergyPerInferenceUJ,
    },
    inputSource: r.inputSource,
    fits: r.fits,
    report: r,
  };
}

interface Sweep {
  part: PartInfo;
  clockMHz: number;
  inputs: Uint8Array[];
  inputSource: string;
  plan: (lanes?: number | number[], probBits?: number | number[]) => PlannedModel;
  accuracy: ReturnType<typeof sweepAccuracy>;
}

/** Every combination of lanes and k, analytical, with accuracy when measured; the table or JSON, and the pages. */
async function runSweep(a: EstimateArgs, w: Sweep, laneValues: (number[] | undefined)[], kValues: (number | number[] | undefined)[]): Promise<void> {
  const reports: EstimateReport[] = [];
  const points: SweepPoint[] = [];
  for (const lanes of laneValues) {
    for (const k of kValues) {
      const p = w.plan(lanes, k);
      const r = await estimate(p, { part: w.part.part, clockMHz: w.clockMHz, resources: 'analytical', inputs: w.inputs, inputSource: w.inputSource }, w.plan);
      reports.push(r);
      points.push({
        label: `P=${r.knobs.lanes.join('/')} k=${r.knobs.probBits.join('/')}`,
        lanes: r.knobs.lanes,
        probBits: r.knobs.probBits,
        lut: r.resources.total.lut,
        latencyUS: r.throughput.latencyUS,
        energyUJ: r.power.energyPerInferenceUJ,
        ...(w.accuracy ? { accuracy: w.accuracy.of(p) } : {}),
        fits: r.fits,
        pareto: false,
      });
    }
  }
  const front = paretoFront(points);
  const accuracyOn = w.accuracy?.on() ?? 'not measured: give --dataset (or a model that records its data set) for an accuracy axis';
  if (a.json) console.log(JSON.stringify({ part: w.part.part, clockMHz: w.clockMHz, method: 'analytical resources, cycle model, activity power', inputSource: w.inputSource, accuracyOn, points: front }));
  else printSweep(w, front, accuracyOn);
  // The page around the sweep describes its first point.
  const accuracyNote = w.accuracy ? accuracyOn : undefined;
  if (a.html) writeFileAtomically(a.html, await (await import('../report/html.js')).renderHtml(reports[0], front, accuracyNote));
  if (a.md) writeFileAtomically(a.md, renderMarkdown(reports[0], front, accuracyNote));
}

function printSweep(w: Sweep, front: SweepPoint[], accuracyOn: string): void {
  const axes = w.accuracy ? 'LUT, latency, energy and accuracy' : 'LUT, latency, energy';
  console.log(`sweep on ${w.part.part} at ${w.clockMHz} MHz (analytical resources; * = Pareto front of ${axes})`);
  console.log(`latency and energy (PL only) are means over ${w.inputSource}`);
  console.log(`accuracy: ${accuracyOn}`);
  console.log(`  config                         LUT   latency µs   energy µJ${w.accuracy ? '   accuracy' : ''}   fits`);
  for (const s of front) {
    const acc = s.accuracy === undefined ? '' : `${(s.accuracy * 100).toFixed(1).padStart(9)} %`;
    console.log(`${s.pareto ? '*' : ' '} ${s.label.padEnd(26)} ${String(s.lut).padStart(8)} ${s.latencyUS.toFixed(1).padStart(12)} ${s.energyUJ.toFixed(3).padStart(11)}${acc}   ${s.fits ? 'yes' : 'NO'}`);
  }
}

export async function runEstimate(a: EstimateArgs): Promise<void> {
  const clockReq = parseClock(a.clockMhz);
  // The same board and part names as gen-rtl; the estimate needs only the device's row of the part table.
  const target = resolveTarget({ board: a.board, part: a.part });
  const part = resolvePart(target.part);
  const model = loadModel(a.model);
  const probBits = a.probBits === undefined ? undefined : probBitsList('--prob-bits', a.probBits, model.layers.length);
  const sizes = model.layers.map(neuronsOf);
  if (a.lanes !== undefined && a.sweepLanes !== undefined) throw new BsnnError('--sweep-lanes: give either --lanes (one design) or --sweep-lanes (a sweep), not both');
  if (a.probBits !== undefined && a.sweepProbBits !== undefined) throw new BsnnError('--sweep-prob-bits: give either --prob-bits (one design) or --sweep-prob-bits (a sweep), not both');
  if (a.targetUs !== undefined && a.offsetsPerCycle !== undefined) throw new BsnnError('--target-us: give either --offsets-per-cycle or --target-us, not both');
  if (a.targetUs !== undefined && (a.lanes !== undefined || a.sweepLanes !== undefined || a.eventsPerCycle !== undefined)) {
    throw new BsnnError('--target-us: give one of --lanes (with --events-per-cycle), --sweep-lanes or --target-us');
  }
  // Activity drives cycles and power: real data when a data set is named, else random intensities.
  const chosen = chooseInputs(a, model);
  const inputs = chosen.inputs;
  // --target-us: the folding search measures the first 16 of them.
  const folding: Folding =
    a.targetUs === undefined ? foldingOption(model, a) : lanesForTarget(model, a.targetUs, part, foldingClockMHz(clockReq), inputs.slice(0, 16), `the first 16 of ${chosen.source}`);
  // A sweep value is every layer's lanes, capped at each layer's size, as a single --lanes value is.
  const laneSweep = a.sweepLanes === undefined ? undefined : positiveIntList('--sweep-lanes', a.sweepLanes).map((P) => lanesFor('--sweep-lanes', String(P), sizes).lanes);
  const kSweep = a.sweepProbBits === undefined ? undefined : positiveIntList('--sweep-prob-bits', a.sweepProbBits).map((k) => probBitsOk('--sweep-prob-bits', k));
  const plan = (lanes?: number | number[], k?: number | number[]): PlannedModel => planModel(model, { lanes, eventsPerCycle: folding.eventsPerCycle, offsetsPerCycle: folding.offsetsPerCycle, probBits: k } as PlanOptions);
  // Random intensities excite a network far more than real data (MNIST: about 4x the cycles), so say so.
  const inputSource = chosen.random ? `${chosen.source}, not representative of real data: give --dataset for that` : chosen.source;

  const sweeping = laneSweep !== undefined || kSweep !== undefined;
  if (clockReq.kind === 'mhz') {
    const note = roundingNote(clockReq, buildClock(clockReq));
    if (note) console.error(`bsnn: ${note}`);
  }
  if (sweeping) {
    // Sweeps have no Fmax (analytical resources): every point at the one build clock.
    if (clockReq.kind === 'auto') throw new BsnnError('--clock-mhz: auto needs each design\'s Fmax, which a sweep does not estimate; give a number of MHz');
    const sweep = { part, clockMHz: buildClock(clockReq).mhz, inputs, inputSource, plan, accuracy: sweepAccuracy(a, model) };
    return runSweep(a, sweep, laneSweep ?? [folding.lanes], kSweep ?? [probBits]);
  }

  const p = plan(folding.lanes, probBits);
  // A spinner with the running Yosys pass on a terminal; nothing at all in pipes and CI logs.
  const spinner = ora({ text: 'estimating', stream: process.stderr, isSilent: !process.stderr.isTTY });
  spinner.start();
  const t0 = performance.now();
  let report: EstimateReport;
  try {
    report = await estimate(
      p,
      {
        part: part.part,
        clockMHz: clockReq.kind === 'default' ? undefined : clockReq.kind === 'auto' ? 'auto' : clockReq.mhz,
        resources: a.synth === 'none' ? 'analytical' : 'yosys',
        engine: a.synth === 'none' ? undefined : a.synth,
        inputs,
        inputSource,
        onStep: (what) => (spinner.text = what),
        onPass: (pass) => (spinner.text = `Yosys synth_xilinx: ${pass} (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
      },
      (l, k) => plan(l, k),
    );
  } finally {
    spinner.stop();
  }
  // A build clock above the estimated Fmax is said on stderr as well, where a script's log shows it.
  if (report.timing.meetsClock === false) console.error(`bsnn: WARNING: ${report.timing.check}`);
  if (a.json) console.log(JSON.stringify(jsonReport(report)));
  else console.log(renderMarkdown(report));
  if (a.html) writeFileAtomically(a.html, await (await import('../report/html.js')).renderHtml(report));
  if (a.md) writeFileAtomically(a.md, renderMarkdown(report));
}
