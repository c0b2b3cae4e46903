/**
 * npm run bench: speed figures, printed with their targets (issue 2). Not a test: machines are shared and
 * noisy, so figures are reported, not asserted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDesign } from '../generator/emit/design.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { planModel } from '../generator/ir/plan.js';
import { loadModel } from '../generator/model/load.js';
import { randomInputs, randomModel } from '../generator/model/random.js';
import { writeFolderAtomically } from '../generator/util/atomic.js';

const work = mkdtempSync(join(tmpdir(), 'bsnn-bench-'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function row(what: string, value: string, target: string, ok: boolean): void {
  console.log(`${what.padEnd(46)} ${value.padStart(12)}   target ${target.padEnd(10)} ${ok ? 'ok' : 'MISSED'}`);
}

try {
  const shape = [784, 512, 512, 10];
  const modelFile = join(work, 'mlp.json');
  writeFileSync(modelFile, JSON.stringify(randomModel({ seed: 42, name: 'mlp', inputs: shape[0], layers: shape.slice(1), probBits: 4, timesteps: 8, lanes: [16, 16, 10] })));
  console.log(`bsnn bench — model ${shape.join('-')}, k = 4, T = 8, lanes 16/16/10, time-ensemble, rate coding\n`);

  // gen-rtl, end to end: read + validate + plan + emit + atomic write.
  const genTimes: number[] = [];
  let files = 0;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = performance.now();
    const design = generateDesign(planModel(loadModel(modelFile)));
    writeFolderAtomically(join(work, 'out'), design.files);
    genTimes.push((performance.now() - t0) / 1000);
    files = design.files.length;
  }
  const gen = median(genTimes);
  row(`gen-rtl (${files} files, median of 3)`, `${gen.toFixed(2)} s`, '< 3 s', gen < 3);

  // Golden model throughput in synaptic events (active input x neuron) per second, one core.
  const plan = planModel(loadModel(modelFile));
  const g = new GoldenModel(plan);
  const inputs = randomInputs(7, 64, plan.input.size).map((x) => x.map((v) => (v < 200 ? 0 : v)));
  g.infer(inputs[0]); // warm-up
  let events = 0;
  let spikes = 0;
  const t0 = performance.now();
  for (const x of inputs) {
    const r = g.infer(x);
    events += r.synapticEvents;
    spikes += r.spikesPerLayer.reduce((s, v) => s + v, 0);
  }
  const secs = (performance.now() - t0) / 1000;
  const rate = events / secs;
  row('golden model, synaptic events per second', `${(rate / 1e6).toFixed(0)} M/s`, '≥ 100 M/s', rate >= 1e8);
  console.log(`  (${inputs.length} inferences in ${secs.toFixed(2)} s: ${((secs / inputs.length) * 1e3).toFixed(1)} ms each, ${(events / inputs.length / 1e6).toFixed(2)} M events and ${(spikes / inputs.length).toFixed(0)} spikes per inference)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
