/**
 * What the host drivers need to know, gathered once from the planned model and the AXI wrapper's register
 * map (AXI_REGISTERS and its bit constants). Every generated driver file reads this view, so an offset, a
 * bit or a model figure is never copied by hand: change the map in generator/emit/axi.ts and every driver
 * follows.
 */
import { AXI_CONTROL, AXI_CONTROL_RESET, AXI_ID_FORMAT, AXI_REGISTERS, AXI_STATUS, axiContext, axiModuleName, modelHashWords, type AxiRegister } from '../emit/axi.js';
import { bsnnVersion } from '../util/paths.js';
import type { PlannedModel } from '../ir/types.js';
import { BsnnError } from '../util/errors.js';

/** The register map and bit assignments the drivers are generated from (default: the wrapper's own). */
export interface HostRegisterMap {
  registers: readonly AxiRegister[];
  /** CONTROL bits, camelCase name → mask. */
  control: Readonly<Record<string, number>>;
  /** STATUS bits, camelCase name → mask. */
  status: Readonly<Record<string, number>>;
  controlReset: number;
  idFormat: number;
}

export const WRAPPER_REGISTER_MAP: HostRegisterMap = {
  registers: AXI_REGISTERS,
  control: AXI_CONTROL,
  status: AXI_STATUS,
  controlReset: AXI_CONTROL_RESET,
  idFormat: AXI_ID_FORMAT,
};

export interface HostRegister extends AxiRegister {
  /** Writes reach the hardware (RW or RW1C). */
  writable: boolean;
}

export interface HostBit {
  /** camelCase, as in AXI_CONTROL / AXI_STATUS. */
  name: string;
  /** UPPER_SNAKE, for C macros and TS constants. */
  macro: string;
  mask: number;
}

export interface HostView {
  /** The network's name: file names and identifiers. */
  name: string;
  /** The AXI wrapper module the drivers talk to. */
  module: string;
  version: string;
  format: string;
  modelHash: string;
  /** MODEL_HASH register values, in register order (same order as `hashRegisters`). */
  hashWords: number[];
  hashRegisters: HostRegister[];
  idRegister: HostRegister;
  idFormat: number;
  registers: HostRegister[];
  control: HostBit[];
  status: HostBit[];
  controlReset: number;
  /** Bytes of the register window in use: the last offset + 4. */
  span: number;
  timesteps: number;
  samples: number;
  mode: PlannedModel['mode'];
  encoding: PlannedModel['input']['encoding'];
  modelSeed: number;
  inputs: number;
  classes: number;
  classBits: number;
  voteBits: number;
  readout: PlannedModel['readout'];
  /** Votes are signed sums of potentials (readout 'potential') rather than spike counts. */
  votesSigned: boolean;
  /** m_axis words per inference: class, one vote per class, cycles. */
  outWords: number;
  outWordClass: number;
  outWordFirstVote: number;
  outWordCycles: number;
}

const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;
const REG_NAME = /^[A-Z][A-Z0-9_]*$/;

/** startOnStream → START_ON_STREAM */
export const upperSnake = (camel: string) => camel.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
/** MODEL_HASH0 → modelHash0 */
export const lowerCamel = (snake: string) => snake.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function bits(field: string, table: Readonly<Record<string, number>>): HostBit[] {
  return Object.entries(table).map(([name, mask]) => {
    if (!/^[a-z][A-Za-z0-9]*$/.test(name)) throw new BsnnError(`${field}.${name}: a bit name must be camelCase`);
    if (!Number.isInteger(mask) || mask <= 0 || mask > 0x80000000 || (mask & (mask - 1)) !== 0) {
      throw new BsnnError(`${field}.${name}: ${mask} is not a single bit of a 32-bit register`);
    }
    return { name, macro: upperSnake(name), mask: mask >>> 0 };
  });
}

function checkRegisters(registers: readonly AxiRegister[]): HostRegister[] {
  const seenName = new Set<string>();
  const seenOffset = new Set<number>();
  return registers.map((r, i) => {
    const at = `registers[${i}]`;
    if (!REG_NAME.test(r.name)) throw new BsnnError(`${at}.name: ${JSON.stringify(r.name)} is not an UPPER_SNAKE register name`);
    if (!Number.isInteger(r.offset) || r.offset < 0 || r.offset > 0xfc || r.offset % 4 !== 0) {
      throw new BsnnError(`${at}.offset: ${r.offset} is not a 4-byte aligned offset in the 256-byte AXI4-Lite window`);
    }
    if (seenName.has(r.name)) throw new BsnnError(`${at}.name: ${r.name} appears twice`);
    if (seenOffset.has(r.offset)) throw new BsnnError(`${at}.offset: 0x${r.offset.toString(16)} is used twice`);
    if (!['RW', 'RO', 'RW1C'].includes(r.access)) throw new BsnnError(`${at}.access: ${JSON.stringify(r.access)} is not RW, RO or RW1C`);
    seenName.add(r.name);
    seenOffset.add(r.offset);
    return { ...r, writable: r.access !== 'RO' };
  });
}

export function hostView(plan: PlannedModel, map: HostRegisterMap = WRAPPER_REGISTER_MAP): HostView {
  if (!IDENT.test(plan.name)) throw new BsnnError(`name: ${JSON.stringify(plan.name)} is not a C/TypeScript identifier`);
  if (!/^[0-9a-f]{64}$/.test(plan.modelHash)) throw new BsnnError('modelHash: expected 64 lower-case hex digits (sha256)');
  const registers = checkRegisters(map.registers);
  const byName = (name: string) => {
    const r = registers.find((x) => x.name === name);
    if (!r) throw new BsnnError(`registers: the drivers need a ${name} register`);
    return r;
  };
  for (const name of ['TIMESTEPS', 'SAMPLES', 'CYCLES', 'SPIKES', 'RESULT', 'ID_FORMAT']) byName(name);
  for (const name of ['CONTROL', 'STATUS']) {
    if (!byName(name).writable) throw new BsnnError(`registers: ${name} must be writable (RW or RW1C)`);
  }
  const words = modelHashWords(plan);
  const hashRegisters = words.map((_, i) => byName(`MODEL_HASH${i}`));
  const control = bits('control', map.control);
  const status = bits('status', map.status);
  for (const [field, list, need] of [['control', control, ['startOnStream', 'softReset', 'irqEnable', 'start']], ['status', status, ['busy', 'done', 'error']]] as const) {
    for (const n of need) if (!list.some((b) => b.name === n)) throw new BsnnError(`${field}.${n}: the drivers need this bit`);
  }
  const C = plan.outputs;
  // The m_axis layout as the wrapper template is given it: class, C votes, cycles (TLAST).
  const wrapper = axiContext(plan, plan.name);
  return {
    name: plan.name,
    module: axiModuleName(plan.name),
    version: bsnnVersion(),
    format: plan.format,
    modelHash: plan.modelHash,
    hashWords: words,
    hashRegisters,
    idRegister: byName('ID_FORMAT'),
    idFormat: map.idFormat >>> 0,
    registers,
    control,
    status,
    controlReset: map.controlReset >>> 0,
    span: Math.max(...registers.map((r) => r.offset)) + 4,
    timesteps: plan.timesteps,
    samples: plan.samples,
    mode: plan.mode,
    encoding: plan.input.encoding,
    modelSeed: plan.seed >>> 0,
    inputs: plan.input.size,
    classes: C,
    classBits: plan.classBits,
    voteBits: plan.voteBits,
    readout: plan.readout,
    votesSigned: plan.signedVotes,
    outWords: wrapper.beats,
    outWordClass: 0,
    outWordFirstVote: 1,
    outWordCycles: wrapper.lastBeat,
  };
}

export const hex32 = (x: number) => `0x${(x >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
export const hexOffset = (x: number) => `0x${x.toString(16).toUpperCase().padStart(2, '0')}`;

/** A register's description split into its clauses: at "; " outside parentheses. */
export function clauses(description: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < description.length; i++) {
    const ch = description[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && description.startsWith('; ', i)) {
      out.push(description.slice(from, i));
      from = i + 2;
    }
  }
  return [...out, description.slice(from)];
}

/** The first clause, for one-line comments. */
export const summary = (description: string): string => clauses(description)[0];

/** Where a register comes from, for both files' header comments. */
export function provenance(v: HostView): string {
  return `Generated by bsnn ${v.version} from the model "${v.name}" (${v.format}); do not edit, regenerate with bsnn gen-rtl.`;
}
