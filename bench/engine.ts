/**
 * The engine on MNIST, side by side with published accelerators on the same task (issue 11): bsnn at its
 * smallest and at its fastest folding on an xc7z020 (analysis/folding.ts), each synthesised with Yosys for its
 * Fmax and evaluated on the official test set for its accuracy (lanes decide which stream feeds which synapse,
 * so each folding has its own accuracy).
 */
import { chooseFolding, type FoldingPoint } from '../generator/analysis/folding.js';
import { findPart } from '../generator/board/part.js';
import { estimate } from '../generator/estimate/estimate.js';
import { runVariant } from '../generator/eval/evaluate.js';
import { planModel } from '../generator/ir/plan.js';
import type { Model } from '../generator/model/schema.js';
import type { LabelledSet } from '../generator/train/datasets.js';

interface Row {
  design: string;
  latencyUS: number;
  throughput: string;
  energyUJ: number | null;
  lut: string;
  bram: string;
  accuracy: string;
  source: string;
}

/** Spiker+ on MNIST (Carpegna et al., IEEE TETC 2024): latency, power, logic cells, block RAM. */
export const SPIKER = { latencyUS: 780, powerMW: 180, logicCells: 7612, bram: 18 } as const;
const spikerUJ = (SPIKER.powerMW * SPIKER.latencyUS) / 1000;

/** Published figures (DESIGN.md "Published figures"), each with where it comes from. */
const ANCHORS: Row[] = [
  {
    design: 'Spiker+ (7-series)',
    latencyUS: SPIKER.latencyUS,
    throughput: '1.3 k/s',
    energyUJ: spikerUJ,
    lut: `${SPIKER.logicCells.toLocaleString('en-US')} LC`,
    bram: String(SPIKER.bram),
    accuracy: '93.85 %',
    source: `Carpegna et al., Spiker+, IEEE TETC 2024 (${SPIKER.powerMW} mW x ${SPIKER.latencyUS} us)`,
  },
  { design: 'Skydiver (xc7z045)', latencyUS: 44, throughput: '22.6 k/s', energyUJ: 42.4, lut: '-', bram: '-', accuracy: '98.5 %', source: 'Chen et al., Skydiver, IEEE TCAD 2022' },
  { design: 'FINN LFC-W1A1 (xc7z020)', latencyUS: 8, throughput: '357 k/s batched', energyUJ: null, lut: '-', bram: '-', accuracy: '98.40 %', source: 'Umuroglu et al., FINN, FPGA 2017 (BNN-PYNQ; 2.8 us batched, 8 us single image; non-spiking)' },
];

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

type Knobs = Pick<FoldingPoint, 'lanes' | 'eventsPerCycle'> & Partial<Pick<FoldingPoint, 'offsetsPerCycle'>>;

/** `accuracy`: the accuracy of a folding already measured with the same lanes (offsets per cycle change no draw). */
async function measureFolding(name: string, model: Model, knobs: Knobs, test: LabelledSet, known?: number): Promise<Row & { accuracyValue: number }> {
  const { lanes, eventsPerCycle, offsetsPerCycle } = knobs;
  const plan = planModel(model, { lanes, eventsPerCycle, offsetsPerCycle });
  const accuracy = known ?? runVariant(plan, test.inputs, test.labels).accuracy;
  const rep = await estimate(plan, { part: 'xc7z020', resources: 'yosys', inputs: test.inputs.slice(0, 32) }, (l, k) => planModel(model, { lanes: l, eventsPerCycle, offsetsPerCycle, probBits: k }));
  const R = rep.resources.total;
  // Issue 11's latency per image: cycles ÷ the estimated Fmax (the report's figures at the Fmax).
  const f = rep.atFmax!;
  return {
    accuracyValue: accuracy,
    design: `bsnn ${name}, lanes ${lanes.join('/')}${eventsPerCycle.some((d) => d > 1) ? ` x${eventsPerCycle.join('/')} ev/cycle` : ''}${offsetsPerCycle?.some((o) => o > 1) ? ` x${offsetsPerCycle.join('/')} offsets/cycle` : ''}, ${fmt(rep.timing.fmaxMHz, 1)} MHz`,
    latencyUS: f.latencyUS,
    throughput: `${fmt(f.streamedPerSecond / 1000, 1)} k/s streamed`,
    energyUJ: f.power.energyPerInferenceUJ,
    lut: fmt(R.lut),
    bram: `${R.bram36 + R.bram18 / 2}`,
    accuracy: `${(100 * accuracy).toFixed(2)} %`,
    source:
      `this bench: ${fmt(rep.throughput.cyclesPerInference)} cycles per image at the estimated Fmax ${fmt(rep.timing.fmaxMHz, 1)} MHz (pre-place-and-route), PL-only energy; ` +
      `throughput with images streamed back to back through AXI, each streaming in while the one before runs (${fmt(rep.activity.streamedCyclesPerInference)} cycles apart)`,
  };
}

/** The folding a model file gives itself (its lanes and events per cycle). */
function ownFolding(model: Model): Pick<FoldingPoint, 'lanes' | 'eventsPerCycle'> {
  const plan = planModel(model);
  return { lanes: plan.layers.map((L) => L.lanes), eventsPerCycle: plan.layers.map((L) => L.eventsPerCycle) };
}

/**
 * Prints the table and returns the fastest folding's latency and energy, for the targets. `conv`, the
 * convolutional example (issue 12), is measured at its own folding beside the dense one.
 */
export async function engineTable(model: Model, test: LabelledSet, conv: Model): Promise<{ latencyUS: number; energyUJ: number }> {
  const part = findPart('xc7z020')!;
  const fastest = chooseFolding(model, test.inputs.slice(0, 16), { part, clockMHz: 100 });
  const convName = `conv example (${conv.name}, T = ${conv.timesteps})`;
  const convRow = await measureFolding(convName, conv, ownFolding(conv), test);
  // The same conv example with two kernel offsets per cycle in its conv layers (docs/engine.md): the same draws.
  const twoOffsets = planModel(conv).layers.map((L) => (L.kind === 'conv2d' ? 2 : 1));
  const rows: Row[] = [
    await measureFolding('smallest', model, fastest.path[0], test),
    await measureFolding('fastest', model, fastest, test),
    convRow,
    await measureFolding(convName, conv, { ...ownFolding(conv), offsetsPerCycle: twoOffsets }, test, convRow.accuracyValue),
    ...ANCHORS,
  ];
  console.log('\nMNIST: latency of one image; throughput with images streamed back to back (bsnn overlaps each image\'s input with the inference before):');
  console.log(`  ${'design'.padEnd(46)} ${'latency'.padStart(9)} ${'throughput'.padStart(16)} ${'energy'.padStart(9)} ${'LUT'.padStart(9)} ${'BRAM36'.padStart(6)} ${'accuracy'.padStart(8)}`);
  for (const r of rows) {
    const e = r.energyUJ === null ? '-' : `${fmt(r.energyUJ, 1)} uJ`;
    console.log(`  ${r.design.padEnd(46)} ${`${fmt(r.latencyUS, 1)} us`.padStart(9)} ${r.throughput.padStart(16)} ${e.padStart(9)} ${r.lut.padStart(9)} ${r.bram.padStart(6)} ${r.accuracy.padStart(8)}`);
  }
  for (const r of rows) console.log(`    ${r.design}: ${r.source}`);
  return { latencyUS: rows[1].latencyUS, energyUJ: rows[1].energyUJ! };
}
