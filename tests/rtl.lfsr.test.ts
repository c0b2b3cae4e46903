/**
 * The LFSR template on its own, for every leap width k = 1..8: Icarus runs the rendered module under a
 * testbench that loads, advances on some cycles and holds on others, and reloads mid-sequence; every cycle's
 * `r` must equal the golden generator's draw on offer (docs/semantics.md §1.1).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from '../generator/emit/templates.js';
import { lfsrContext, lfsrModuleName } from '../generator/emit/verilog-text.js';
import { prng } from '../generator/model/random.js';
import { Lfsr, streamSeed } from '../generator/rng/lfsr.js';
import { TEMPLATES_DIR } from '../generator/util/paths.js';

const CYCLES = 320;
/**
 * Cycles (besides cycle 0) on which `load` is high, with the value of `adv` then: at 110 and 230 adv is high
 * too, to show that load wins; at 170 it is low. Free-running stretches follow each, so a wrong reload shows.
 */
const LOADS = new Map<number, boolean>([
  [110, true],
  [170, false],
  [230, true],
]);

interface Control {
  load: boolean[];
  adv: boolean[];
}

/** A fixed pseudo-random pattern: load on cycle 0 and at LOADS; adv high on about 60% of the other cycles. */
function controlPattern(k: number): Control {
  const rnd = prng(0xc0ffee + k);
  const load: boolean[] = [];
  const adv: boolean[] = [];
  for (let c = 0; c < CYCLES; c++) {
    const a = rnd() < 0.6;
    if (c === 0) {
      load.push(true);
      adv.push(false);
    } else if (LOADS.has(c)) {
      load.push(true);
      adv.push(LOADS.get(c)!);
    } else {
      load.push(false);
      adv.push(a);
    }
  }
  return { load, adv };
}

/** r on every cycle from the golden generator, under a model of the clock edge (`opts` break it on purpose). */
function golden(k: number, seed: number, ctl: Control, opts: { ignoreLoad?: boolean; ignoreAdv?: boolean; advWins?: boolean } = {}): string[] {
  let state = seed >>> 0;
  const out: string[] = [];
  for (let c = 0; c < CYCLES; c++) {
    const g = new Lfsr(state);
    const r = g.draw(k); // peek: the draw on offer; `g.state` is what adv would take
    out.push(r.toString(2).padStart(k, '0'));
    if (opts.advWins && ctl.adv[c]) state = g.state;
    else if (ctl.load[c] && !opts.ignoreLoad) state = seed >>> 0;
    else if (ctl.adv[c] || opts.ignoreAdv) state = g.state;
  }
  return out;
}

const bits = (v: boolean[]) =>
  v
    .slice()
    .reverse()
    .map((b) => (b ? '1' : '0'))
    .join('');

function testbench(k: number, seed: number, ctl: Control): string {
  const mod = lfsrModuleName('t', k);
  return `\`timescale 1ns / 1ps
module tb;
    reg clk = 1'b0;
    reg load = 1'b0;
    reg adv = 1'b0;
    wire [${k - 1}:0] r;
    reg [${CYCLES - 1}:0] LOADV = ${CYCLES}'b${bits(ctl.load)};
    reg [${CYCLES - 1}:0] ADVV = ${CYCLES}'b${bits(ctl.adv)};
    integer c;
    ${mod} #(.SEED(32'h${(seed >>> 0).toString(16).padStart(8, '0')})) dut (.clk(clk), .load(load), .adv(adv), .r(r));
    initial begin
        for (c = 0; c < ${CYCLES}; c = c + 1) begin
            load = LOADV[c];
            adv = ADVV[c];
            #5;
            $display("R %b", r);
            clk = 1'b1;
            #5;
            clk = 1'b0;
        end
        $finish;
    end
endmodule
`;
}

function run(cmd: string, args: string[], cwd: string): string {
  const p = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000 }); // a hang ceiling; both cores may be busy
  if (p.error) throw new Error(`${cmd} could not run: ${p.error.message}`);
  if (p.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${p.status}:\n${p.stdout}\n${p.stderr}`);
  return p.stdout;
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'bsnn-lfsr-test-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('lfsr_leap.v.hbs under Icarus equals the golden LFSR cycle by cycle', () => {
  for (let k = 1; k <= 8; k++) {
    it(`k = ${k}`, () => {
      // A seed with bits set all over the register, so that every tap and every leap equation matters.
      const seed = streamSeed(0x5eed0000 + k, 0x10000 + k);
      const ctl = controlPattern(k);
      const dir = mkdtempSync(join(work, `k${k}-`));
      const rtl = render(TEMPLATES_DIR, 'lfsr_leap.v.hbs', lfsrContext('t', k));
      expect(rtl).toContain(`module ${lfsrModuleName('t', k)}`);
      writeFileSync(join(dir, 'lfsr.v'), rtl);
      writeFileSync(join(dir, 'tb.v'), testbench(k, seed, ctl));
      run('iverilog', ['-g2005', '-Wall', '-Wno-timescale', '-o', 'sim.vvp', '-s', 'tb', 'tb.v', 'lfsr.v'], dir);
      const got = run('vvp', ['-n', 'sim.vvp'], dir)
        .split('\n')
        .filter((l) => l.startsWith('R '))
        .map((l) => l.slice(2).trim());

      const want = golden(k, seed, ctl);
      expect(got.length).toBe(CYCLES);
      // The pattern is discriminating: ignoring adv, or ignoring load, would give a different sequence.
      expect(golden(k, seed, ctl, { ignoreAdv: true })).not.toEqual(want);
      expect(golden(k, seed, ctl, { ignoreLoad: true })).not.toEqual(want);
      expect(golden(k, seed, ctl, { advWins: true })).not.toEqual(want);
      expect(new Set(want).size).toBeGreaterThan(1);
      const first = got.findIndex((r, c) => r !== want[c]);
      expect(first === -1 ? 'no divergence' : `cycle ${first}: RTL r=${got[first]}, golden r=${want[first]} (load=${ctl.load[first]}, adv=${ctl.adv[first]})`).toBe(
        'no divergence',
      );
      expect(got).toEqual(want);
    });
  }
});
