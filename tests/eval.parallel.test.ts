/**
 * The golden model on several threads (eval/parallel.ts) gives what one thread gives, and the timestep curve
 * from one recorded run equals running each T' on its own. Worker threads run the compiled worker, so that
 * part runs `node` on dist/ (built by `npm test` before vitest).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenRuns, votesPerTimestep } from '../generator/eval/parallel.js';
import { timestepsPlan } from '../generator/eval/variants.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { randomInputs } from '../generator/model/random.js';
import { plannedRandom } from './helpers/designs.js';

const REPO = join(import.meta.dirname, '..');
const DIST = join(REPO, 'dist', 'generator');

describe('golden runs over many inputs', () => {
  const plan = plannedRandom({ seed: 91, inputs: 30, layers: [24, 5], timesteps: 6, encoding: 'direct', readout: 'potential', bias: true, lanes: [5, 5] });
  const inputs = randomInputs(3, 130, 30);

  it('in this thread: each input\'s votes are the golden model\'s, spikes summed', () => {
    const r = goldenRuns(plan, inputs);
    const g = new GoldenModel(plan);
    let synaptic = 0;
    const spikes = [0, 0];
    inputs.forEach((x, i) => {
      const want = g.infer(x);
      expect(Array.from(r.counts[i])).toEqual(Array.from(want.counts));
      synaptic += want.synapticEvents;
      want.spikesPerLayer.forEach((v, l) => (spikes[l] += v));
    });
    expect(r.synapticEvents).toBe(synaptic);
    expect(Array.from(r.spikesPerLayer)).toEqual(spikes);
    expect(spikes[0]).toBeGreaterThan(0);
  });

  it('the timestep curve from one run equals T\' = 1..T run one by one (S = 1 and S = 2)', () => {
    for (const samples of [1, 2]) {
      const p = { ...plan, samples };
      const curve = votesPerTimestep(p, inputs.slice(0, 20));
      expect(curve).toHaveLength(p.timesteps);
      for (let t = 1; t <= p.timesteps; t++) {
        const g = new GoldenModel(timestepsPlan(p, t));
        inputs.slice(0, 20).forEach((x, i) => expect(Array.from(curve[t - 1][i]), `S ${samples} T' ${t} input ${i}`).toEqual(Array.from(g.infer(x).counts)));
      }
    }
  });

  it('worker threads: 1, 2 and 3 workers give identical results, and the workers really ran', () => {
    expect(existsSync(join(DIST, 'eval', 'parallel-worker.js')), 'dist/ is built (npm test builds it first)').toBe(true);
    const script = `
      const { goldenRuns, setGoldenWorkers } = await import(${JSON.stringify(join(DIST, 'eval', 'parallel.js'))});
      const { planModel } = await import(${JSON.stringify(join(DIST, 'ir', 'plan.js'))});
      const { validateModel } = await import(${JSON.stringify(join(DIST, 'model', 'load.js'))});
      const { randomModel, randomInputs } = await import(${JSON.stringify(join(DIST, 'model', 'random.js'))});
      const plan = planModel(validateModel(randomModel({ seed: 92, inputs: 40, layers: [33, 7], timesteps: 5, probBits: 4, lanes: [4, 7], encoding: 'direct' })));
      const inputs = randomInputs(4, 333, 40);
      const out = [];
      for (const w of [1, 2, 3]) {
        setGoldenWorkers(w);
        const r = goldenRuns(plan, inputs, { votesAt: true });
        out.push({ threads: r.threads, counts: r.counts.map((c) => Array.from(c)), votesAt: r.votesAt.map((c) => Array.from(c)), spikes: Array.from(r.spikesPerLayer), syn: r.synapticEvents });
      }
      console.log(JSON.stringify(out));`;
    const dir = mkdtempSync(join(tmpdir(), 'bsnn-parallel-'));
    const file = join(dir, 'run.mjs');
    writeFileSync(file, script);
    const p = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
    rmSync(dir, { recursive: true, force: true });
    expect(p.status, p.stderr).toBe(0);
    const [one, two, three] = JSON.parse(p.stdout) as { threads: number; counts: number[][] }[];
    expect([one.threads, two.threads, three.threads]).toEqual([1, 2, 3]);
    expect(two).toEqual({ ...one, threads: 2 });
    expect(three).toEqual({ ...one, threads: 3 });
    expect(one.counts.some((c) => c.some((v) => v !== 0))).toBe(true);
  });
});
