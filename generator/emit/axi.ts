/**
 * The AXI wrapper of the core (templates/axi_wrapper.v.hbs): AXI4-Stream in (intensities) and out (class,
 * votes, cycles), AXI4-Lite registers, an interrupt. AXI_REGISTERS is the register map, for drivers and docs;
 * the template's header and read multiplexer are generated from it.
 */
import type { PlannedModel } from '../ir/types.js';
import { TEMPLATES_DIR } from '../util/paths.js';
import { render } from './templates.js';
import type { EmittedFile } from './files.js';
import { addrBits, countBits } from '../ir/widths.js';
import { votesAreValues } from '../ops/registry.js';

export type AxiAccess = 'RW' | 'RO' | 'RW1C';

export interface AxiRegister {
  name: string;
  /** Byte offset in the AXI4-Lite window. */
  offset: number;
  access: AxiAccess;
  description: string;
}

/** ID_FORMAT: 0x00B5 ("bsnn") in the upper half, format version 1 in the lower. */
export const AXI_ID_FORMAT = 0x00b50001;

/** CONTROL bits. */
export const AXI_CONTROL = { startOnStream: 1 << 0, softReset: 1 << 1, irqEnable: 1 << 2, start: 1 << 3 } as const;
/** STATUS bits. */
export const AXI_STATUS = { busy: 1 << 0, done: 1 << 1, error: 1 << 2, sampleLoaded: 1 << 3 } as const;
/** CONTROL after reset: start-on-stream on, interrupt off. */
export const AXI_CONTROL_RESET = AXI_CONTROL.startOnStream;

export const AXI_REGISTERS: readonly AxiRegister[] = [
  {
    name: 'CONTROL',
    offset: 0x00,
    access: 'RW',
    description:
      'bit0 start_on_stream (reset 1): a complete sample on s_axis starts the core; bit1 soft_reset (self-clearing): ' +
      'resets the core and the wrapper except CONTROL, SEED and the AXI4-Lite channels, after m_axis has sent the TLAST beat ' +
      'of a packet in progress; bit2 irq_enable; ' +
      'bit3 start (self-clearing, reads 0): start on the input memory as it is, ignored while busy or mid-sample',
  },
  {
    name: 'STATUS',
    offset: 0x04,
    access: 'RW1C',
    description:
      'bit0 busy (RO: an inference runs or its results are still on m_axis); bit1 done (sticky, write 1 to clear); ' +
      'bit2 error (sticky, write 1 to clear: TLAST early or missing, sample dropped); bit3 sample_loaded (RO)',
  },
  { name: 'TIMESTEPS', offset: 0x08, access: 'RO', description: 'T, timesteps per sample' },
  { name: 'SAMPLES', offset: 0x0c, access: 'RO', description: 'S, weight samples per inference' },
  {
    name: 'SEED',
    offset: 0x10,
    access: 'RW',
    description:
      'runtime seed (reset 0, byte strobes honoured): the core takes it when an inference starts, and every random ' +
      'stream starts at seed(id) ^ SEED (seed(id) where that is 0; docs/semantics.md §1.2); 0 replays the model\'s own streams',
  },
  { name: 'CYCLES', offset: 0x14, access: 'RO', description: 'clock cycles of the last inference (core start to done)' },
  {
    name: 'SPIKES',
    offset: 0x18,
    access: 'RO',
    description:
      'spikes readout: output spikes of the last inference (sum of the votes); ' +
      'potential readout: spikes of the hidden layers in the last inference (the readout layer does not spike)',
  },
  { name: 'RESULT', offset: 0x1c, access: 'RO', description: 'class of the last inference' },
  { name: 'INFERENCES', offset: 0x20, access: 'RO', description: 'inferences completed since reset or soft reset' },
  { name: 'ID_FORMAT', offset: 0x24, access: 'RO', description: '0x00B50001: "bsnn/1"' },
  ...Array.from({ length: 8 }, (_, i) => ({
    name: `MODEL_HASH${i}`,
    offset: 0x28 + 4 * i,
    access: 'RO' as const,
    description: `model hash bits ${255 - 32 * i}..${224 - 32 * i} (word 0 = most significant of the first 256 bits)`,
  })),
  { name: 'MODEL_SEED', offset: 0x48, access: 'RO', description: 'master seed of the model (the seed(id) of every stream derives from it)' },
];

export const axiModuleName = (prefix: string) => `${prefix}_axi`;

/** The first 256 bits of the model hash as eight 32-bit words, word 0 the most significant. */
export function modelHashWords(plan: PlannedModel): number[] {
  const hex = plan.modelHash.padEnd(64, '0').slice(0, 64);
  return Array.from({ length: 8 }, (_, i) => parseInt(hex.slice(8 * i, 8 * i + 8), 16) >>> 0);
}

const hex32 = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
const zext32 = (expr: string, bits: number) => (bits < 32 ? `{${32 - bits}'d0, ${expr}}` : expr);
/** Sign-extend `expr` (an identifier) of `bits` bits to 32. */
const sext32 = (expr: string, bits: number) => (bits < 32 ? `{{${32 - bits}{${expr}[${bits - 1}]}}, ${expr}}` : expr);

export function axiContext(plan: PlannedModel, prefix: string) {
  const M = plan.input.size;
  const C = plan.outputs;
  const clsBits = plan.classBits;
  const cntBits = plan.voteBits;
  const idxBits = countBits(C + 1);
  const words = modelHashWords(plan);
  const value: Record<string, string> = {
    CONTROL: `{28'd0, 1'b0, ctl_ie, 1'b0, ctl_en}`,
    STATUS: `{28'd0, rx_full, st_err, st_done, busy}`,
    TIMESTEPS: `32'd${plan.timesteps}`,
    SAMPLES: `32'd${plan.samples}`,
    SEED: 'r_seed',
    MODEL_SEED: `32'h${hex32(plan.seed)}`,
    CYCLES: 'r_cycles',
    SPIKES: 'r_spikes',
    RESULT: zext32('r_class', clsBits),
    INFERENCES: 'r_infer',
    ID_FORMAT: `32'h${hex32(AXI_ID_FORMAT)}`,
  };
  words.forEach((w, i) => (value[`MODEL_HASH${i}`] = `32'h${hex32(w)}`));
  const pad = Math.max(...AXI_REGISTERS.map((r) => r.name.length));
  return {
    module: axiModuleName(prefix),
    core: `${prefix}_top`,
    name: plan.name,
    modelHash: plan.modelHash,
    T: plan.timesteps,
    S: plan.samples,
    M,
    mMax: M - 1,
    C,
    cMax: C - 1,
    beats: C + 2,
    lastBeat: C + 1,
    iwMsb: addrBits(M) - 1,
    iwBits: addrBits(M),
    clsMsb: clsBits - 1,
    clsBits,
    cntMsb: cntBits - 1,
    idxMsb: idxBits - 1,
    idxBits,
    layerMsb: addrBits(plan.layers.length) - 1,
    neuronMsb: Math.max(...plan.layers.map((L) => addrBits(L.outputs))) - 1,
    sMsb: countBits(plan.samples - 1) - 1,
    tMsb: countBits(plan.timesteps - 1) - 1,
    // votes on m_axis: signed ones (potential readout) sign-extended
    count32: plan.signedVotes ? sext32('core_count', cntBits) : zext32('core_count', cntBits),
    potential: votesAreValues(plan),
    class32: zext32('r_class', clsBits),
    registerDoc: AXI_REGISTERS.flatMap((r) => {
      const head = `0x${r.offset.toString(16).toUpperCase().padStart(2, '0')} ${r.name.padEnd(pad)} ${r.access.padEnd(4)} `;
      return r.description.split('; ').map((part, i, all) => (i === 0 ? head : ' '.repeat(head.length)) + part + (i < all.length - 1 ? ';' : ''));
    }),
    readCases: AXI_REGISTERS.map((r) => `8'h${r.offset.toString(16).padStart(2, '0')}: rd = ${value[r.name]};`),
  };
}

/** rtl/<prefix>_axi.v: the AXI wrapper around <prefix>_top. */
export function emitAxiWrapper(plan: PlannedModel, prefix: string = plan.name): EmittedFile {
  return { path: `rtl/${axiModuleName(prefix)}.v`, content: render(TEMPLATES_DIR, 'axi_wrapper.v.hbs', axiContext(plan, prefix)) };
}
