/**
 * encoder.v.hbs on its own, direct input: the module driven through its host port (byte writes, then start) in
 * Icarus, on inputs chosen for the scan's edge cases, against the golden model's input events (semantics §3:
 * ascending index, the intensity as value) and the cycle model's busy cycles (generator/analysis/encoder.ts).
 * Between inferences the host rewrites only some bytes, as a host streaming images may.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { predictCycles } from '../generator/analysis/cycles.js';
import { encoderBusy } from '../generator/analysis/encoder.js';
import { cosimAsync } from '../generator/cosim/run.js';
import { emitVerilog } from '../generator/emit/verilog.js';
import { GoldenModel } from '../generator/golden/infer.js';
import type { PlannedModel } from '../generator/ir/types.js';
import { addrBits } from '../generator/ir/widths.js';
import { prng } from '../generator/model/random.js';
import { plannedRandom } from './helpers/designs.js';

const run = promisify(execFile);

interface EncoderRun {
  /** Per inference: the events the module wrote, "index value", in order. */
  events: string[][];
  busy: number[];
  /** Events that came out after busy fell (the top would miss none, but none should come). */
  late: number;
}

/** Write `inputs[0]` whole, then for every later input only the bytes that changed; start and wait after each. */
async function runEncoder(plan: PlannedModel, inputs: Uint8Array[]): Promise<EncoderRun> {
  const M = plan.input.size;
  const iw = addrBits(M);
  const design = emitVerilog(plan);
  const enc = design.files.find((f) => f.path.endsWith('_encoder.v'))!;
  // stimulus: one hex word per operation, {op[3:0], addr[15:0], data[7:0]}: 1 write, 2 start and wait, 0 end
  const ops: number[] = [];
  let prev: Uint8Array | null = null;
  for (const x of inputs) {
    for (let i = 0; i < M; i++) if (!prev || prev[i] !== x[i]) ops.push(0x1000000 + (i << 8) + x[i]);
    ops.push(0x2000000);
    prev = x;
  }
  ops.push(0);
  const tb = `\`timescale 1ns / 1ps
module tb;
    reg clk = 1'b0, rst = 1'b1, start = 1'b0, in_we = 1'b0;
    reg [${iw - 1}:0] in_addr = ${iw}'d0;
    reg [7:0] in_data = 8'd0;
    wire busy, out_valid;
    wire [${iw - 1}:0] out_idx;
    wire [7:0] out_val;
    ${plan.name}_encoder dut (.clk(clk), .rst(rst), .start(start), .busy(busy), .in_we(in_we), .in_addr(in_addr),
        .in_data(in_data), .out_valid(out_valid), .out_idx(out_idx), .out_val(out_val));
    always #5 clk = ~clk;
    reg [27:0] stim [0:${ops.length - 1}];
    integer f, k, n, cycles, late;
    reg running;
    // events and busy cycles, sampled at the edges that take them (as layer 0 and the top level do)
    always @(posedge clk) if (running) begin
        if (out_valid) begin
            $fdisplay(f, "E %0d %0d %0d", n, out_idx, out_val);
            if (!busy) late = late + 1;
        end
        if (busy) cycles = cycles + 1;
        if (cycles > ${4 * M + 100}) begin   // a hang (busy stuck, or X) fails the test instead of stalling it
            $fdisplay(f, "HANG %0d", n);
            $finish;
        end
    end
    initial begin
        $readmemh("stim.hex", stim);
        f = $fopen("out.txt", "w");
        n = 0; late = 0; running = 1'b0;
        repeat (2) @(negedge clk);
        rst = 1'b0;
        for (k = 0; stim[k][27:24] != 4'd0; k = k + 1) begin
            @(negedge clk);
            if (stim[k][27:24] == 4'd1) begin
                in_we = 1'b1; in_addr = stim[k][${iw + 7}:8]; in_data = stim[k][7:0];
                @(negedge clk);
                in_we = 1'b0;
            end else begin
                cycles = 0; running = 1'b1;
                start = 1'b1;
                @(negedge clk);
                start = 1'b0;
                while (busy) @(negedge clk);
                repeat (3) @(negedge clk);   // an event after busy fell would show here
                running = 1'b0;
                $fdisplay(f, "B %0d %0d", n, cycles);
                n = n + 1;
            end
        end
        $fdisplay(f, "L %0d", late);
        $fclose(f);
        $finish;
    end
endmodule
`;
  const work = mkdtempSync(join(tmpdir(), 'bsnn-encoder-'));
  try {
    writeFileSync(join(work, 'enc.v'), enc.content);
    writeFileSync(join(work, 'tb.v'), tb);
    writeFileSync(join(work, 'stim.hex'), ops.map((w) => w.toString(16).padStart(7, '0')).join('\n') + '\n');
    await run('iverilog', ['-g2012', '-o', 'sim', 'tb.v', 'enc.v'], { cwd: work });
    await run('vvp', ['-n', 'sim'], { cwd: work, maxBuffer: 64 << 20 });
    const r: EncoderRun = { events: inputs.map(() => []), busy: [], late: -1 };
    for (const line of readFileSync(join(work, 'out.txt'), 'utf8').trim().split('\n')) {
      const w = line.split(' ');
      if (w[0] === 'E') r.events[Number(w[1])].push(`${w[2]} ${w[3]}`);
      else if (w[0] === 'B') r.busy[Number(w[1])] = Number(w[2]);
      else if (w[0] === 'L') r.late = Number(w[1]);
      else if (w[0] === 'HANG') throw new Error(`the encoder stayed busy on input ${w[1]}`);
    }
    return r;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The golden model's layer-0 input events at the first timestep, "index value". */
function goldenEvents(plan: PlannedModel, x: Uint8Array): string[] {
  const t0 = new GoldenModel(plan).infer(x, { inputs: true }).inputTrace![0];
  return t0.idx.map((i, e) => `${i} ${t0.val[e]}`);
}

/** x with `nonzero` (indices) set to 1..255 values drawn from `seed`, the rest 0. */
function withNonzero(M: number, nonzero: Iterable<number>, seed: number): Uint8Array {
  const rnd = prng(seed);
  const x = new Uint8Array(M);
  for (const i of nonzero) x[i] = 1 + Math.floor(rnd() * 255);
  return x;
}
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
const set = (x: Uint8Array, i: number, v: number) => {
  const y = Uint8Array.from(x);
  y[i] = v;
  return y;
};
function randomInput(M: number, density: number, seed: number): Uint8Array {
  const rnd = prng(seed);
  return Uint8Array.from({ length: M }, () => (rnd() < density ? 1 + Math.floor(rnd() * 255) : 0));
}

/** Inputs for M: the edge cases, then single-byte host rewrites between inferences. */
function stimulus(M: number): Uint8Array[] {
  const full = withNonzero(M, range(0, M), M);
  const zero = new Uint8Array(M);
  const lastOnly = withNonzero(M, [M - 1], M + 1);
  const xs: Uint8Array[] = [zero, full, lastOnly];
  // consecutive words with 0 and 8 nonzero bytes, alternating both ways
  xs.push(withNonzero(M, range(0, M).filter((i) => Math.floor(i / 8) % 2 === 1), M + 2));
  xs.push(withNonzero(M, range(0, M).filter((i) => Math.floor(i / 8) % 2 === 0), M + 3));
  // one nonzero byte per word, in the first and in the last lane
  xs.push(withNonzero(M, range(0, M).filter((i) => i % 8 === 0), M + 4));
  xs.push(withNonzero(M, range(0, M).filter((i) => i % 8 === 7 || i === M - 1), M + 5));
  xs.push(randomInput(M, 0.2, M + 6), randomInput(M, 0.6, M + 7));
  // host rewrites of a single byte: a zero made nonzero, a nonzero made zero, a value changed, the first byte
  let x = xs[xs.length - 1];
  const z = x.findIndex((v) => v === 0);
  if (z >= 0) xs.push((x = set(x, z, 255)));
  const nz = x.findIndex((v) => v !== 0);
  if (nz >= 0) xs.push((x = set(x, nz, 0)));
  xs.push((x = set(x, M - 1, 1)), (x = set(x, 0, 128)), set(zero, 0, 0), set(zero, M - 1, 9));
  return xs;
}

describe('direct-input encoder block (encoder.v.hbs): events and busy cycles equal the model', () => {
  // M < 8, one word, a whole word, a power-of-two word count, partial last words, MNIST's size
  const sizes = [1, 5, 8, 9, 20, 32, 61, 784];
  for (const M of sizes) {
    it(`M = ${M}`, async () => {
      const plan = plannedRandom({ seed: 300 + M, name: 'enc', inputs: M, layers: [2], lanes: [1], probBits: 1, encoding: 'direct' });
      const xs = stimulus(M);
      const r = await runEncoder(plan, xs);
      expect(r.events).toEqual(xs.map((x) => goldenEvents(plan, x)));
      expect(r.busy).toEqual(xs.map((x) => encoderBusy(plan, x)));
      expect(r.late).toBe(0);
    });
  }
});

describe('direct-input encoder in the core: many words, sparse inputs', () => {
  // The co-simulation matrices' direct-input networks have at most 8 inputs (one word); this one has 8 words,
  // the last partial, so layer 0 takes events from every word while the scan runs, through the top level.
  it('61 inputs, 2 layers: bit-exact, cycles equal the model', async () => {
    const plan = plannedRandom({ seed: 361, name: 'encnet', inputs: 61, layers: [7, 3], lanes: [3, 3], probBits: [4, 4], encoding: 'direct', bias: true });
    const inputs = [randomInput(61, 0.25, 1), randomInput(61, 0.05, 2), new Uint8Array(61), randomInput(61, 0.9, 3)];
    const seeds = [0, 7, 0x1234, 99];
    const r = await cosimAsync(plan, { simulator: 'iverilog', inputs, seeds, allLayers: true });
    expect(r.first?.what).toBeUndefined();
    expect(r.mismatched).toBe(0);
    expect(r.compared).toBe(inputs.length);
    expect(r.spikesCompared).toBeGreaterThan(0);
    const g = new GoldenModel(plan);
    expect(inputs.map((x, i) => predictCycles(plan, g.infer(x, { activity: true, seed: seeds[i] }), x).total)).toEqual(r.cycles);
  });
});
