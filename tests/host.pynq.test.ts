/**
 * driver/<name>_pynq.py under python3 against a stand-in of the `pynq` package written here: Overlay gives the
 * block design's cells, the core's registers answer from the register map (ID, model hash, SEED, STATUS),
 * allocate gives numpy buffers, and the AXI DMA answers a sent sample with the words the golden model and the
 * cycle model say the core puts on m_axis (the RTL equals both in tests/axi.test.ts). The stand-in also
 * holds the driver to the DMA's rules: S2MM armed before MM2S, buffers from allocate, exact lengths and types.
 * And driver/<name>_uio.dtso compiles with dtc, without warnings.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { predictCycles } from '../generator/analysis/cycles.js';
import { AXI_REGISTERS, modelHashWords } from '../generator/emit/axi.js';
import { BLOCK_DESIGN } from '../generator/emit/vivado.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { emitHostFiles } from '../generator/host/index.js';
import { LINUX_LAYOUT } from '../generator/host/linux.js';
import { quantiseIntensity } from '../generator/ir/quantise.js';
import type { PlannedModel } from '../generator/ir/types.js';
import { hostCases, run, writeFiles } from './helpers/host.js';

const work = mkdtempSync(join(tmpdir(), 'bsnn-pynq-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The stand-in `pynq`: what a PYNQ image's Overlay, allocate and AXI DMA driver do, as far as the driver uses them. */
const STAND_IN = String.raw`
import json, os
import numpy as np

_world = json.load(open(os.environ["BSNN_WORLD"]))
log = []

def _fail(msg):
    raise AssertionError("pynq stand-in: " + msg)

class PynqBuffer(np.ndarray):
    def flush(self): log.append("flush")
    def invalidate(self): log.append("invalidate")
    def freebuffer(self): log.append("free")

def allocate(shape, dtype):
    return np.zeros(shape, dtype=dtype).view(PynqBuffer)

class _Core:
    def __init__(self):
        self.regs = {int(k): v for k, v in _world["registers"].items()}
    def read(self, offset):
        if offset % 4 or offset < 0 or offset >= 4096: _fail(f"read at 0x{offset:x}")
        return self.regs.get(offset, 0)
    def write(self, offset, value):
        r = _world["reg"]
        if not 0 <= value <= 0xFFFFFFFF: _fail(f"write of {value} to 0x{offset:x}")
        if offset == r["SEED"]: self.regs[offset] = value
        elif offset == r["STATUS"]: self.regs[offset] &= ~value
        elif offset == r["CONTROL"]: self.regs[offset] = value & ~_world["selfClearing"]
        else: _fail(f"write to read-only 0x{offset:x}")
        log.append(["write", offset, value])

class _Channel:
    def __init__(self, dma, name):
        self.dma, self.name, self.buf = dma, name, None
    def transfer(self, buf):
        if not isinstance(buf, PynqBuffer): _fail(self.name + ": the buffer is not from allocate")
        if self.buf is not None: _fail(self.name + ": transfer while one is pending")
        self.buf = buf
        log.append(["transfer", self.name, buf.dtype.str, buf.size])
        if self.name == "send": self.dma.deliver()
    def wait(self):
        if self.buf is None: _fail(self.name + ": wait without a transfer")
        if self.name == "recv": self.dma.receive(self.buf)
        log.append(["wait", self.name])
        self.buf = None

class _Dma:
    """m_axis packets queue in order, as the wrapper holds each until S2MM takes it."""
    def __init__(self, core):
        self.core = core
        self.queue = []
        self.sendchannel, self.recvchannel = _Channel(self, "send"), _Channel(self, "recv")
    def deliver(self):
        inp, out = self.sendchannel.buf, self.recvchannel.buf
        if out is None: _fail("MM2S started before S2MM was armed: the result would wait on m_axis")
        if inp.dtype != np.uint8 or inp.size != _world["inputs"]: _fail(f"sent {inp.size} x {inp.dtype}")
        key = str(self.core.regs.get(_world["reg"]["SEED"], 0)) + ":" + ",".join(str(int(b)) for b in inp)
        if key not in _world["results"]: _fail("no result for " + key)
        self.queue.append(_world["results"][key])
        log.append(["sample", key])
    def receive(self, out):
        if out.dtype != np.uint32 or out.size != _world["outWords"]: _fail(f"receive buffer {out.size} x {out.dtype}")
        if not self.queue: _fail("S2MM waited with no result on m_axis")
        out[:] = np.array(self.queue.pop(0), dtype=np.uint64).astype(np.uint32)

class Overlay:
    def __init__(self, bitfile):
        if not str(bitfile).endswith(".bit"): _fail("Overlay wants a .bit")
        core = _Core()
        setattr(self, _world["cells"]["core"], core)
        setattr(self, _world["cells"]["dma"], _Dma(core))
`;

interface Case {
  x: number[];
  seed: number | null;
}

function casesFor(plan: PlannedModel): Case[] {
  const M = plan.input.size;
  // Halves of 1/255 included: the driver must round them as the golden model's quantiser does.
  const x = (k: number) => Array.from({ length: M }, (_, i) => ((k * 37 + i * 101) % 511) / 510);
  return [
    { x: x(1), seed: null },
    { x: x(2), seed: 7 },
    { x: x(3), seed: null },
    { x: x(1), seed: 0 },
  ];
}

/** The world the stand-in answers from: registers from the map, one m_axis packet per (SEED, bytes). */
function world(plan: PlannedModel, cases: Case[], hashWords = modelHashWords(plan)) {
  const reg = Object.fromEntries(AXI_REGISTERS.map((r) => [r.name, r.offset]));
  const registers: Record<number, number> = { [reg.ID_FORMAT]: 0x00b50001, [reg.CONTROL]: 1, [reg.TIMESTEPS]: plan.timesteps, [reg.SAMPLES]: plan.samples };
  hashWords.forEach((w, i) => (registers[reg[`MODEL_HASH${i}`]] = w));
  const g = new GoldenModel(plan);
  const results: Record<string, number[]> = {};
  let seed = 0;
  const want = cases.map((c) => {
    if (c.seed !== null) seed = c.seed;
    const bytes = Uint8Array.from(c.x, quantiseIntensity);
    const e = g.infer(bytes, { activity: true, seed });
    const r = { cls: e.cls, votes: Array.from(e.counts), cycles: predictCycles(plan, e, bytes).total };
    results[`${seed}:${Array.from(bytes).join(',')}`] = [r.cls, ...r.votes.map((v) => v >>> 0), r.cycles];
    return r;
  });
  // infer_many after the cases, with the SEED they left
  const batch = cases.map((c) => {
    const bytes = Uint8Array.from(c.x, quantiseIntensity);
    const e = g.infer(bytes, { activity: true, seed });
    const r = { cls: e.cls, votes: Array.from(e.counts), cycles: predictCycles(plan, e, bytes).total };
    results[`${seed}:${Array.from(bytes).join(',')}`] = [r.cls, ...r.votes.map((v) => v >>> 0), r.cycles];
    return r;
  });
  const json = { registers, reg, selfClearing: 0b1010, inputs: plan.input.size, outWords: plan.outputs + 2, cells: { core: BLOCK_DESIGN.core, dma: BLOCK_DESIGN.dma }, results };
  return { json, want, batch };
}

const MAIN = (name: string) => String.raw`
import json, sys
import pynq
from ${name}_pynq import Bsnn, BsnnError, INPUTS

cases = json.load(open("cases.json"))
core = Bsnn("/home/xilinx/bsnn/${name}.bit")
out = []
for c in cases:
    r = core.infer(c["x"]) if c["seed"] is None else core.infer(c["x"], seed=c["seed"])
    out.append({"cls": r.cls, "votes": r.votes, "cycles": r.cycles})
try:
    core.infer([0.5] * (INPUTS + 1))
    out.append("accepted a sample of the wrong length")
except ValueError:
    pass
pynq.log.append("batch")
batch = [{"cls": r.cls, "votes": r.votes, "cycles": r.cycles} for r in core.infer_many([c["x"] for c in cases])]
try:
    core.infer_many([[0.5] * INPUTS, [0.5] * (INPUTS - 1)])
    batch.append("accepted a sample of the wrong length")
except ValueError:
    pass
core.close()
print(json.dumps({"results": out, "batch": batch, "log": pynq.log}))
`;

async function runDriver(dir: string, plan: PlannedModel, w: object, cases: Case[]) {
  const files = emitHostFiles(plan);
  writeFiles(dir, [
    ...files.filter((f) => f.path.endsWith('_pynq.py')).map((f) => ({ path: f.path.split('/').pop()!, content: f.content })),
    { path: 'pynq/__init__.py', content: STAND_IN },
    { path: 'world.json', content: JSON.stringify(w) },
    { path: 'cases.json', content: JSON.stringify(cases) },
    { path: 'main.py', content: MAIN(plan.name) },
  ]);
  // main.py runs from the folder (sys.path[0]: the driver and the stand-in), the world named in the environment
  process.env.BSNN_WORLD = join(dir, 'world.json');
  return run('python3', ['-B', join(dir, 'main.py')], dir);
}

describe('driver/<name>_pynq.py runs under python3 against a stand-in pynq', () => {
  for (const c of hostCases().slice(0, 3)) {
    it(`${c.label}: checks the model, runs inferences with and without SEED, reads class, votes and cycles`, async () => {
      const cases = casesFor(c.plan);
      const { json, want, batch } = world(c.plan, cases);
      const r = await runDriver(join(work, c.plan.name), c.plan, json, cases);
      expect(r.out.includes('Traceback') ? r.out : '', 'python3 (with numpy) must run the driver').toBe('');
      expect(r.code).toBe(0);
      const got = JSON.parse(r.out.trim().split('\n').pop()!) as { results: unknown[]; batch: unknown[]; log: unknown[] };
      expect(got.results).toEqual(want);
      expect(got.batch).toEqual(batch);
      // infer_many sends sample i + 1 before it waits for result i: the sample streams in while i runs.
      const after = got.log.slice(got.log.indexOf('batch')).map((e) => (Array.isArray(e) ? `${e[0]} ${e[1]}` : String(e)));
      const steps = after.filter((e) => /^(transfer|wait) (send|recv)$/.test(e));
      expect(steps.slice(0, 6)).toEqual(['transfer recv', 'transfer send', 'wait send', 'transfer send', 'wait recv', 'transfer recv']);
      if (c.plan.signedVotes) expect(want.flatMap((x) => x.votes).some((v) => v < 0)).toBe(true);
      // SEED written only where a seed was given; the model's own streams first.
      const seedOffset = AXI_REGISTERS.find((x) => x.name === 'SEED')!.offset;
      expect(got.log.filter((e) => Array.isArray(e) && e[0] === 'write' && e[1] === seedOffset)).toEqual([
        ['write', seedOffset, 7],
        ['write', seedOffset, 0],
      ]);
      expect(got.log.filter((e) => Array.isArray(e) && e[0] === 'sample')).toHaveLength(2 * cases.length);
      expect(got.log.filter((e) => e === 'free')).toHaveLength(4);
    });
  }

  it('refuses a bitstream with another model hash, and says which it found', async () => {
    const plan = hostCases()[0].plan;
    const cases = casesFor(plan).slice(0, 1);
    const words = modelHashWords(plan).map((w, i) => (i === 7 ? (w ^ 1) >>> 0 : w));
    const { json } = world(plan, cases, words);
    const r = await runDriver(join(work, 'wrong-hash'), plan, json, cases);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/BsnnError: the bitstream carries the model [0-9a-f]{64}, this driver was generated for/);
  });
});

describe('driver/<name>_uio.dtso', () => {
  it('compiles with dtc -@ without a warning, with the addresses and interrupt of LINUX_LAYOUT', async () => {
    const plan = hostCases()[0].plan;
    const dts = emitHostFiles(plan).find((f) => f.path.endsWith('_uio.dtso'))!;
    const dir = join(work, 'dt');
    writeFiles(dir, [{ path: 'o.dtso', content: dts.content }]);
    const r = await run('dtc', ['-@', '-I', 'dts', '-O', 'dtb', '-o', join(dir, 'o.dtbo'), join(dir, 'o.dtso')]);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
    const back = await run('dtc', ['-I', 'dtb', '-O', 'dts', join(dir, 'o.dtbo')]);
    expect(back.out).toContain(`reg = <0x${LINUX_LAYOUT.corePhys.toString(16)} 0x${LINUX_LAYOUT.coreSpan.toString(16)}>`);
    expect(back.out).toContain(`reg = <0x${LINUX_LAYOUT.dmaPhys.toString(16)} 0x${LINUX_LAYOUT.dmaSpan.toString(16)}>`);
    expect(back.out).toContain(`interrupts = <0x00 0x${(LINUX_LAYOUT.coreIrqGic - 32).toString(16)} 0x04>`);
    expect(back.out).toMatch(/amba = "\/fragment@0:target:0"/);
    // the C example uses the same addresses
    const c = emitHostFiles(plan).find((f) => f.path.endsWith('_example.c'))!.content;
    expect(c).toContain(`#define BSNN_EXAMPLE_BUF_PHYS 0x${LINUX_LAYOUT.bufPhys.toString(16).toUpperCase()}u`);
    expect(c).toContain(`${plan.name}_uio.dtso`);
    expect(readFileSync(join(dir, 'o.dtso'), 'utf8')).toContain(`reg = <0x${LINUX_LAYOUT.bufPhys.toString(16)} 0x${LINUX_LAYOUT.bufSpan.toString(16)}>;`);
  });
});
