/** `bsnn estimate`: one design's report, or a sweep over lanes and probability bits. */
import ora from 'ora';
import { DEFAULT_CLOCK_MHZ } from '../board/clock.js';
import { estimate, resolvePart } from '../estimate/estimate.js';
import type { EstimateReport } from '../estimate/types.js';
import { planModel, type PlanOptions } from '../ir/plan.js';
import type { PlannedModel } from '../ir/types.js';
import { loadModel } from '../model/load.js';
import type { DatasetName } from '../train/datasets.js';
import { renderHtml } from '../report/html.js';
import { renderMarkdown } from '../report/markdown.js';
import { paretoFront } from '../report/pareto.js';
import type { SweepPoint } from '../report/plots.js';
import { BsnnError } from '../util/errors.js';
import { writeFileAtomically } from '../util/atomic.js';
import { resolveTarget } from '../board/target.js';
import { chooseInputs } from './inputs.js';
import { lanesForTarget } from './fold.js';
import { checkClock, foldingOption, lanesFor, positiveIntList, type Folding, type FoldingArgs } from './options.js';

export interface EstimateArgs extends FoldingArgs {
  model: string;
  board?: string;
  part?: string;
  clockMhz?: number;
  synth?: 'native' | 'yowasp' | 'none';
  targetUs?: string;
  probBits?: number;
  sweepLanes?: string;
  sweepProbBits?: string;
  inputs: number;
  dataset?: DatasetName;
  data?: string;
  inputSeed: number;
  json: boolean;
  html?: string;
  md?: string;
}

const probBitsOk = (flag: string, k: number) => {
  if (!(Number.isInteger(k) && k >= 1 && k <= 8)) throw new BsnnError(`${flag}: ${k} is not an integer 1..8`);
  return k;
};

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
    deviceEnergyPerInferenceUJ: r.power.deviceEnergyPerInferenceUJ,
    inputSource: r.inputSource,
    fits: r.fits,
    report: r,
  };
}

export async function runEstimate(a: EstimateArgs): Promise<void> {
  checkClock(a.clockMhz);
  // The same board and part names as gen-rtl; the estimate needs only the device's row of the part table.
  const target = resolveTarget({ board: a.board, part: a.part });
  const part = resolvePart(target.part);
  if (a.probBits !== undefined) probBitsOk('--prob-bits', a.probBits);
  const model = loadModel(a.model);
  const sizes = model.layers.map((L) => L.size);
  if (a.lanes !== undefined && a.sweepLanes !== undefined) throw new BsnnError('--sweep-lanes: give either --lanes (one design) or --sweep-lanes (a sweep), not both');
  if (a.probBits !== undefined && a.sweepProbBits !== undefined) throw new BsnnError('--sweep-prob-bits: give either --prob-bits (one design) or --sweep-prob-bits (a sweep), not both');
  if (a.targetUs !== undefined && (a.lanes !== undefined || a.sweepLanes !== undefined || a.eventsPerCycle !== undefined)) {
    throw new BsnnError('--target-us: give one of --lanes (with --events-per-cycle), --sweep-lanes or --target-us');
  }
  // Activity drives cycles and power: real data when a data set is named, else random intensities.
  const chosen = chooseInputs(a, model);
  const inputs = chosen.inputs;
  // --target-us: the folding search measures the first 16 of them.
  const folding: Folding =
    a.targetUs === undefined ? foldingOption(model, a) : lanesForTarget(model, a.targetUs, part, a.clockMhz ?? DEFAULT_CLOCK_MHZ, inputs.slice(0, 16), `the first 16 of ${chosen.source}`);
  // A sweep value is every layer's lanes, capped at each layer's size, as a single --lanes value is.
  const laneSweep = a.sweepLanes === undefined ? undefined : positiveIntList('--sweep-lanes', a.sweepLanes).map((P) => lanesFor('--sweep-lanes', String(P), sizes).lanes);
  const kSweep = a.sweepProbBits === undefined ? undefined : positiveIntList('--sweep-prob-bits', a.sweepProbBits).map((k) => probBitsOk('--sweep-prob-bits', k));
  const plan = (lanes?: number | number[], probBits?: number): PlannedModel => planModel(model, { lanes, eventsPerCycle: folding.eventsPerCycle, probBits } as PlanOptions);
  // Random intensities excite a network far more than real data (MNIST: about 4x the cycles), so say so.
  const inputSource = chosen.random ? `${chosen.source}, not representative of real data: give --dataset for that` : chosen.source;

  const sweeping = laneSweep !== undefined || kSweep !== undefined;
  if (sweeping) {
    const clockMHz = a.clockMhz ?? DEFAULT_CLOCK_MHZ;
    const reports: EstimateReport[] = [];
    for (const lanes of laneSweep ?? [folding.lanes]) {
      for (const k of kSweep ?? [a.probBits]) {
        reports.push(await estimate(plan(lanes, k), { part: part.part, clockMHz, resources: 'analytical', inputs, inputSource }, plan));
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
    if (a.json) console.log(JSON.stringify({ part: part.part, clockMHz, method: 'analytical resources, cycle model, activity power', inputSource, points: front }));
    else {
      console.log(`sweep on ${part.part} at ${clockMHz} MHz (analytical resources; * = Pareto front of LUT, latency, energy)`);
      console.log(`latency and energy (PL only) are means over ${inputSource}`);
      console.log('  config                         LUT   latency µs   energy µJ   fits');
      for (const s of front) console.log(`${s.pareto ? '*' : ' '} ${s.label.padEnd(26)} ${String(s.lut).padStart(8)} ${s.latencyUS.toFixed(1).padStart(12)} ${s.energyUJ.toFixed(3).padStart(11)}   ${s.fits ? 'yes' : 'NO'}`);
    }
    // The page around the sweep describes its first point.
    if (a.html) writeFileAtomically(a.html, await renderHtml(reports[0], front));
    if (a.md) writeFileAtomically(a.md, renderMarkdown(reports[0], front));
    return;
  }

  const p = plan(folding.lanes, a.probBits);
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
        clockMHz: a.clockMhz,
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
  if (a.json) console.log(JSON.stringify(jsonReport(report)));
  else console.log(renderMarkdown(report));
  if (a.html) writeFileAtomically(a.html, await renderHtml(report));
  if (a.md) writeFileAtomically(a.md, renderMarkdown(report));
}
