/**
 * The TypeScript driver: it type-checks on its own under strict settings (ES library only, no DOM or Node
 * types), a consumer's misuse (writing a read-only register, a register that does not exist) is a type
 * error, and, transpiled and imported, it drives a stand-in core that models the documented register
 * semantics, touching exactly the offsets of the wrapper's map.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelHashWords } from '../generator/emit/axi.js';
import { emitHostFiles, type HostRegisterMap } from '../generator/host/index.js';
import type { PlannedModel } from '../generator/ir/types.js';
import { hostCases, writeFiles, type HostCase } from './helpers/host.js';

const work = mkdtempSync(join(tmpdir(), 'bsnn-host-ts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const slug = (label: string) => label.replace(/\W+/g, '-');
const driverFile = (c: HostCase) => emitHostFiles(c.plan, c.map).find((f) => f.path.endsWith('_driver.ts'))!;

// ---------------------------------------------------------------- type-checking

const STRICT: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts'],
  types: [],
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true,
  isolatedModules: true,
  verbatimModuleSyntax: true,
  erasableSyntaxOnly: true,
};

function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, STRICT);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

/** A user's file: what the driver is for must type-check, what it is not for must not (@ts-expect-error). */
function consumer(c: HostCase): string {
  const has = (name: string) => c.map.registers.some((r) => r.name === name);
  const seedWritable = c.map.registers.some((r) => r.name === 'SEED' && r.access !== 'RO');
  return `import { BsnnDriver, CONTROL, MODEL, MODEL_HASH_WORDS, REG, STATUS, decodeOutput, encodeInput, type RegisterBus } from './driver/${c.plan.name}_driver.js';

const window32 = new Uint32Array(64);
const bus: RegisterBus = {
  read32: (offset) => window32[offset >> 2] ?? 0,
  write32: (offset, value) => {
    window32[offset >> 2] = value;
  },
};
const asyncBus: RegisterBus = {
  read32: async (offset) => window32[offset >> 2] ?? 0,
  write32: async () => {},
};

export async function demo(): Promise<number> {
  const d = new BsnnDriver(bus);
  new BsnnDriver(asyncBus);
  await d.assertId();
  await d.setInterruptEnabled(true);
  const s = await d.waitDone({ timeoutMs: 10 });
  const out = decodeOutput(new Uint32Array(MODEL.classes + 2));
  const bytes: Uint8Array = encodeInput(new Uint8Array(MODEL.inputs));
  const control: 0x00 = REG.CONTROL;
  // @ts-expect-error CYCLES is read-only: there is no writing it
  await d.write('CYCLES', 0);
  // @ts-expect-error there is no such register
  await d.read('NO_SUCH_REGISTER');
  ${seedWritable ? 'await d.setSeed(7);' : "// @ts-expect-error SEED is read-only in this map\n  await d.setSeed(7);"}
  ${has('MODEL_SEED') ? 'await d.modelSeed();' : ''}
  const n: number = (await d.cycles()) + (await d.result()) + (await d.spikes()) + (await d.inferences()) + (await d.seed());
  return n + s.raw + out.cls + (out.votes[0] ?? 0) + bytes.length + control + CONTROL.START + STATUS.DONE + MODEL_HASH_WORDS[0];
}
`;
}

describe('the generated TypeScript driver type-checks (strict, ES2022 library only)', () => {
  // One program for every case: the ES library is parsed once.
  const dirOf = (c: HostCase) => join(work, `tc-${slug(c.label)}`);
  let errors: string[] = [];
  // A driver with one mistake put in, to show that the check is live.
  const broken = join(work, 'tc-broken');
  beforeAll(() => {
    const roots = hostCases().flatMap((c) => {
      const driver = driverFile(c);
      writeFiles(dirOf(c), [driver, { path: 'consumer.ts', content: consumer(c) }]);
      return [join(dirOf(c), driver.path), join(dirOf(c), 'consumer.ts')];
    });
    const driver = driverFile(hostCases()[0]);
    writeFiles(broken, [{ path: driver.path, content: driver.content.replace("return this.read('CYCLES');", "return this.read('CYCLE');") }]);
    errors = typeErrors([...roots, join(broken, driver.path)]);
  });

  for (const c of hostCases()) {
    it(c.label, () => {
      expect(errors.filter((e) => e.startsWith(`${dirOf(c)}/`))).toEqual([]);
    });
  }

  it('and a type error in it would be caught (the check is live)', () => {
    expect(errors.filter((e) => e.startsWith(`${broken}/`)).join('\n')).toMatch(/"CYCLE"' is not assignable/);
    // ... and it is the only one in the program, which holds every driver and consumer.
    expect(errors.filter((e) => !e.startsWith(`${broken}/`))).toEqual([]);
  });
});

// ---------------------------------------------------------------- behaviour

interface Bus {
  read32(offset: number): number | Promise<number>;
  write32(offset: number, value: number): void | Promise<void>;
}
interface StatusFlags {
  raw: number;
  busy: boolean;
  done: boolean;
  error: boolean;
  sampleLoaded: boolean;
}
interface WaitOptions {
  timeoutMs?: number;
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}
/** The parts of the generated module these tests use (the module itself is only known at run time). */
interface Driver {
  checkId(): Promise<{ ok: boolean; problem: string | null; idFormat: number; hashWords: readonly number[] }>;
  assertId(): Promise<void>;
  start(): Promise<void>;
  softReset(): Promise<void>;
  status(): Promise<StatusFlags>;
  waitDone(options?: WaitOptions): Promise<StatusFlags>;
  clearDone(): Promise<void>;
  setInterruptEnabled(on: boolean): Promise<void>;
  setStartOnStream(on: boolean): Promise<void>;
  timesteps(): Promise<number>;
  samples(): Promise<number>;
  seed(): Promise<number>;
  cycles(): Promise<number>;
  spikes(): Promise<number>;
  result(): Promise<number>;
  inferences(): Promise<number>;
  idFormat(): Promise<number>;
  setSeed?: (value: number) => Promise<void>;
  modelSeed?: () => Promise<number>;
}
interface DriverModule {
  BsnnDriver: new (bus: Bus) => Driver;
  BsnnDriverError: new (message: string) => Error;
  REG: Record<string, number>;
  MODEL: { hash: string; classes: number; inputs: number; voteBits: number; votesSigned: boolean };
  MODEL_HASH_WORDS: readonly number[];
  encodeInput(intensities: ArrayLike<number>): Uint8Array;
  decodeOutput(words: ArrayLike<number>): { cls: number; votes: number[]; cycles: number };
  decodeVote(word: number): number;
}

async function importDriver(c: HostCase): Promise<DriverModule> {
  const js = ts.transpileModule(driverFile(c).content, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  const file = join(work, `run-${slug(c.label)}.mjs`);
  writeFileSync(file, js);
  return (await import(pathToFileURL(file).href)) as DriverModule;
}

/**
 * A stand-in for the wrapper's AXI4-Lite side, from the register descriptions: CONTROL keeps
 * start_on_stream and irq_enable, soft_reset and start self-clear and read 0, start is ignored while busy;
 * STATUS.done and .error are write-1-to-clear; an inference started by CONTROL.start finishes after a few
 * STATUS polls; read-only registers ignore writes; unmapped offsets read 0. Every access is logged.
 */
class FakeCore implements Bus {
  readonly log: { op: 'read' | 'write'; offset: number; value: number }[] = [];
  hash: number[];
  idFormat = 0x00b50001;
  startOnStream = true;
  irqEnable = false;
  busy = false;
  done = false;
  error = false;
  pollsLeft = 0;
  cycles = 0;
  spikes = 0;
  result = 0;
  inferences = 0;
  seed: number;

  constructor(
    readonly plan: PlannedModel,
    readonly map: HostRegisterMap,
    readonly asynchronous: boolean,
  ) {
    this.hash = modelHashWords(plan);
    this.seed = plan.seed;
  }

  offset(name: string): number {
    return this.map.registers.find((r) => r.name === name)!.offset;
  }
  nameAt(offset: number): string | undefined {
    return this.map.registers.find((r) => r.offset === offset)?.name;
  }
  get irq(): boolean {
    return this.done && this.irqEnable;
  }

  private value(name: string | undefined): number {
    switch (name) {
      case 'CONTROL':
        return (this.startOnStream ? 1 : 0) | (this.irqEnable ? 4 : 0);
      case 'STATUS':
        if (this.busy && --this.pollsLeft === 0) {
          this.busy = false;
          this.done = true;
          this.result = 1 % this.plan.outputs;
          this.cycles = 1234;
          this.spikes = 7;
          this.inferences++;
        }
        return (this.busy ? 1 : 0) | (this.done ? 2 : 0) | (this.error ? 4 : 0);
      case 'TIMESTEPS':
        return this.plan.timesteps;
      case 'SAMPLES':
        return this.plan.samples;
      case 'SEED':
        return this.seed;
      case 'MODEL_SEED':
        return this.plan.seed;
      case 'CYCLES':
        return this.cycles;
      case 'SPIKES':
        return this.spikes;
      case 'RESULT':
        return this.result;
      case 'INFERENCES':
        return this.inferences;
      case 'ID_FORMAT':
        return this.idFormat;
      case undefined:
        return 0;
      default: {
        const m = /^MODEL_HASH(\d)$/.exec(name);
        if (m) return this.hash[Number(m[1])];
        throw new Error(`the fake core does not know ${name}`);
      }
    }
  }

  read32(offset: number): number | Promise<number> {
    const value = this.value(this.nameAt(offset)) >>> 0;
    this.log.push({ op: 'read', offset, value });
    return this.asynchronous ? Promise.resolve(value) : value;
  }

  write32(offset: number, value: number): void | Promise<void> {
    this.log.push({ op: 'write', offset, value });
    const reg = this.map.registers.find((r) => r.offset === offset);
    if (reg?.name === 'CONTROL') {
      this.startOnStream = (value & 1) !== 0;
      this.irqEnable = (value & 4) !== 0;
      if (value & 2) {
        this.busy = this.done = this.error = false;
        this.cycles = this.spikes = this.result = this.inferences = 0;
      } else if (value & 8 && !this.busy) {
        this.busy = true;
        this.pollsLeft = 3;
      }
    } else if (reg?.name === 'STATUS') {
      if (value & 2) this.done = false;
      if (value & 4) this.error = false;
    } else if (reg?.name === 'SEED' && reg.access !== 'RO') {
      this.seed = value >>> 0;
    }
    return this.asynchronous ? Promise.resolve() : undefined;
  }

  /** Offsets read and written since the last call. */
  take(): string[] {
    const out = this.log.map((e) => `${e.op} ${this.nameAt(e.offset) ?? e.offset}${e.op === 'write' ? ` ${e.value}` : ''}`);
    this.log.length = 0;
    return out;
  }
}

const noSleep = async () => {};

describe('the generated driver against a stand-in core', () => {
  const modules = new Map<string, DriverModule>();
  beforeAll(async () => {
    for (const c of hostCases()) modules.set(c.label, await importDriver(c));
  });

  for (const c of hostCases()) {
    for (const asynchronous of [false, true]) {
      describe(`${c.label}, ${asynchronous ? 'async' : 'sync'} bus`, () => {
        it('checks the ID registers and tells a wrong format from another network', async () => {
          const m = modules.get(c.label)!;
          const core = new FakeCore(c.plan, c.map, asynchronous);
          const d = new m.BsnnDriver(core);
          expect(await d.checkId()).toEqual({ ok: true, problem: null, idFormat: 0x00b50001, hashWords: modelHashWords(c.plan) });
          expect(core.take()).toEqual(['read ID_FORMAT', ...Array.from({ length: 8 }, (_, i) => `read MODEL_HASH${i}`)]);
          await d.assertId();

          core.hash[5] ^= 1;
          const other = await d.checkId();
          expect(other.ok).toBe(false);
          expect(other.problem).toContain(c.plan.modelHash);
          await expect(d.assertId()).rejects.toBeInstanceOf(m.BsnnDriverError);
          core.hash[5] ^= 1;
          core.idFormat = 0x00b50002;
          expect((await d.checkId()).problem).toMatch(/^ID_FORMAT reads 0xb50002/);
        });

        it('runs one inference through the registers: start, wait, read, clear', async () => {
          const m = modules.get(c.label)!;
          const core = new FakeCore(c.plan, c.map, asynchronous);
          const d = new m.BsnnDriver(core);
          expect(await d.timesteps()).toBe(c.plan.timesteps);
          expect(await d.samples()).toBe(c.plan.samples);
          core.take();

          await d.setInterruptEnabled(true);
          expect(core.take()).toEqual(['read CONTROL', 'write CONTROL 5']);
          await d.start();
          expect(core.take()).toEqual(['read CONTROL', 'write CONTROL 13']);
          expect(core.busy).toBe(true);
          const s = await d.waitDone({ sleep: noSleep });
          expect(s).toEqual({ raw: 2, busy: false, done: true, error: false, sampleLoaded: false });
          expect(core.take()).toEqual(['read STATUS', 'read STATUS', 'read STATUS']);
          expect(core.irq).toBe(true);

          expect([await d.result(), await d.cycles(), await d.spikes(), await d.inferences()]).toEqual([1 % c.plan.outputs, 1234, 7, 1]);
          expect(core.take()).toEqual(['read RESULT', 'read CYCLES', 'read SPIKES', 'read INFERENCES']);
          await d.clearDone();
          expect(core.take()).toEqual(['write STATUS 2']);
          expect(core.irq).toBe(false);

          // A start while busy is the core's to ignore; a soft reset keeps CONTROL and clears the rest.
          await d.start();
          await d.start();
          expect(core.pollsLeft).toBe(3);
          await d.softReset();
          expect([core.busy, core.inferences, core.startOnStream, core.irqEnable]).toEqual([false, 0, true, true]);
          await d.setStartOnStream(false);
          expect(core.take().slice(-2)).toEqual(['read CONTROL', 'write CONTROL 4']);
        });

        it('gives up on STATUS.error and on timeout', async () => {
          const m = modules.get(c.label)!;
          const core = new FakeCore(c.plan, c.map, asynchronous);
          const d = new m.BsnnDriver(core);
          let clock = 0;
          await expect(d.waitDone({ timeoutMs: 5, sleep: noSleep, now: () => clock++ })).rejects.toThrow(/STATUS.done not set after 5 ms/);
          core.error = true;
          await expect(d.waitDone({ sleep: noSleep })).rejects.toThrow(/STATUS.error/);
          // With the default sleep (setTimeout), polling as a real host would.
          core.error = false;
          await d.start();
          expect((await d.waitDone({ pollIntervalMs: 1 })).done).toBe(true);
        });

        it('writes only registers that take writes, at the offsets of the map', async () => {
          const m = modules.get(c.label)!;
          const core = new FakeCore(c.plan, c.map, asynchronous);
          const d = new m.BsnnDriver(core);
          for (const r of c.map.registers) expect(m.REG[r.name]).toBe(r.offset);
          expect(Object.keys(m.REG)).toEqual(c.map.registers.map((r) => r.name));
          const seed = c.map.registers.find((r) => r.name === 'SEED')!;
          if (seed.access === 'RO') {
            expect(d.setSeed).toBeUndefined();
          } else {
            await d.setSeed!(0x12345678);
            expect(core.take()).toEqual([`write SEED ${0x12345678}`]);
            expect(await d.seed()).toBe(0x12345678);
          }
          if (c.map.registers.some((r) => r.name === 'MODEL_SEED')) expect(await d.modelSeed!()).toBe(c.plan.seed);
          await d.start();
          await d.waitDone({ sleep: noSleep });
          await d.clearDone();
          await d.softReset();
          await d.setInterruptEnabled(false);
          const writable = new Set(c.map.registers.filter((r) => r.access !== 'RO').map((r) => r.offset));
          expect(core.log.filter((e) => e.op === 'write' && !writable.has(e.offset))).toEqual([]);
        });
      });
    }
  }

  for (const c of hostCases()) {
    it(`${c.label}: encodes inputs and decodes the output stream as the wrapper sends it`, () => {
      const m = modules.get(c.label)!;
      const C = c.plan.outputs;
      expect(m.MODEL.hash).toBe(c.plan.modelHash);
      expect([...m.MODEL_HASH_WORDS]).toEqual(modelHashWords(c.plan));
      expect(m.MODEL.votesSigned).toBe(c.plan.signedVotes);
      const input = Array.from({ length: c.plan.input.size }, (_, i) => (i * 53) % 256);
      expect([...m.encodeInput(input)]).toEqual(input);
      expect(() => m.encodeInput(input.slice(1))).toThrow(/the network takes/);
      expect(() => m.encodeInput(input.map((x, i) => (i === 0 ? 256 : x)))).toThrow(/intensity 0 is 256/);

      // Votes as the counters hold them: for a potential readout, negative ones in voteBits-bit two's complement.
      const votes = Array.from({ length: C }, (_, k) => (c.plan.signedVotes ? (k % 2 ? -k : k) : k));
      const field = (x: number) => (x < 0 ? 2 ** c.plan.voteBits + x : x);
      const words = [C - 1, ...votes.map(field), 987654];
      expect(m.decodeOutput(words)).toEqual({ cls: C - 1, votes, cycles: 987654 });
      expect(() => m.decodeOutput(words.slice(1))).toThrow(/an inference gives/);
      if (c.plan.signedVotes) expect(m.decodeVote(0xfffffffd)).toBe(-3);
    });
  }
});
