/** --target-us on gen-rtl and estimate: the lanes the folding search chooses, said on stderr, written to the design. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { randomModel } from '../generator/model/random.js';
import { runBsnn } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'bsnn-fold-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const modelFile = join(work, 'm.json');
writeFileSync(modelFile, JSON.stringify(randomModel({ seed: 71, name: 'fold', inputs: 30, layers: [24, 4], probBits: 3, timesteps: 3, encoding: 'direct', lanes: [1, 1] })));
const bsnn = (...args: string[]) => runBsnn(args, { cwd: work });

describe('--target-us', () => {
  it('gen-rtl "fastest": every layer in one pass, two events per cycle, on a part that holds it, in the manifest', async () => {
    const r = await bsnn('gen-rtl', modelFile, '--target-us', 'fastest', '--out', join(work, 'out'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/--target-us fastest: lanes 24,4, events per cycle 2,2, [\d.]+ µs per image/);
    const manifest = JSON.parse(readFileSync(join(work, 'out', 'manifest.json'), 'utf8'));
    expect(manifest.knobs.layers.map((L: { lanes: number }) => L.lanes)).toEqual([24, 4]);
    expect(manifest.knobs.layers.map((L: { eventsPerCycle: number }) => L.eventsPerCycle)).toEqual([2, 2]);
  });

  it('estimate: a target it can meet is met with fewer lanes, and says so', async () => {
    const r = await bsnn('estimate', modelFile, '--synth', 'none', '--target-us', '1000', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/--target-us 1000: lanes \d+,\d+/);
    expect(r.stderr).not.toMatch(/not met/);
    const report = JSON.parse(r.stdout);
    const lanes: number[] = (report.report ?? report).knobs.lanes;
    expect(lanes[0] * lanes[1]).toBeLessThan(24 * 4);
  });

  it('an unreachable target says it is not met; a bad value or --lanes beside it is refused', async () => {
    expect((await bsnn('estimate', modelFile, '--synth', 'none', '--target-us', '0.001')).stderr).toMatch(/target is not met/);
    const bad = await bsnn('gen-rtl', modelFile, '--target-us', 'soon', '--out', join(work, 'bad'));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--target-us: "soon" is neither/);
    const both = await bsnn('gen-rtl', modelFile, '--target-us', 'fastest', '--lanes', '4', '--out', join(work, 'both'));
    expect(both.status).not.toBe(0);
    expect(both.stderr).toMatch(/either --lanes \/ --events-per-cycle or --target-us/);
  });

  // That it does not change the results is the cosim suites' claim (the golden model has no such knob).
  it('--events-per-cycle: one value or one per layer, each 1 or 2, checked alike by estimate and simulate; it changes the cycles', async () => {
    const est = async (...extra: string[]) => JSON.parse((await bsnn('estimate', modelFile, '--synth', 'none', '--lanes', '24,4', '--json', ...extra)).stdout);
    const one = await est('--events-per-cycle', '1');
    const two = await est('--events-per-cycle', '2');
    expect(two.cyclesPerInference).toBeLessThan(one.cyclesPerInference);
    expect((await est('--events-per-cycle', '2,2')).cyclesPerInference).toBe(two.cyclesPerInference);
    const input = ['--input', Array(30).fill('0.5').join(',')];
    for (const [v, msg] of [['3', /each value is 1 or 2/], ['2,2,2', /3 values for 2 layers/], ['x', /not a positive integer/]] as const) {
      for (const r of [await bsnn('estimate', modelFile, '--synth', 'none', '--events-per-cycle', v), await bsnn('simulate', modelFile, '--events-per-cycle', v, ...input)]) {
        expect(r.status).not.toBe(0);
        expect(r.stderr).toMatch(msg);
      }
    }
  });
});
