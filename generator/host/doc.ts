/**
 * The text both drivers carry in their header comments: what the network is, the register map and the word
 * formats of the two streams, as the wrapper (templates/axi_wrapper.v.hbs) implements them. Plain lines, so
 * the C and TypeScript emitters only add their comment markers.
 */
import { clauses, hex32, hexOffset, type HostView } from './view.js';

export function networkLines(v: HostView): string[] {
  const sampling = v.mode === 'per-sample' ? 'per-sample: S weight samples, each held for T steps' : 'time-ensemble: a fresh weight sample every step';
  return [
    `Network: T = ${v.timesteps} timesteps, S = ${v.samples} weight sample(s) (${sampling}),`,
    `${v.inputs} inputs (${v.encoding} encoding), ${v.classes} classes (${v.readout} readout), model seed ${hex32(v.modelSeed)}.`,
    `Model hash (sha256 of the planned arithmetic): ${v.modelHash}`,
    `The ID registers hold ID_FORMAT = ${hex32(v.idFormat)} and the hash as ${v.hashRegisters.length} words, word 0 the most significant.`,
  ];
}

export function registerLines(v: HostView): string[] {
  const pad = Math.max(...v.registers.map((r) => r.name.length));
  return [
    'Register map (AXI4-Lite, 32-bit registers, byte offsets; unmapped offsets read 0):',
    ...v.registers.flatMap((r) => {
      const head = `  ${hexOffset(r.offset)} ${r.name.padEnd(pad)} ${r.access.padEnd(4)} `;
      return clauses(r.description).map((part, i, all) => (i === 0 ? head : ' '.repeat(head.length)) + part + (i < all.length - 1 ? ';' : ''));
    }),
  ];
}

export function voteLine(v: HostView): string {
  return v.votesSigned
    ? `the readout layer's potentials summed over T*S steps, signed (${v.voteBits}-bit counters, sign-extended to 32 bits)`
    : `output spikes over T*S steps, 0..${v.timesteps * v.samples}, unsigned (${v.voteBits} bits, zero-extended)`;
}

export function streamLines(v: HostView): string[] {
  const C = v.classes;
  const rows: [string, string][] = [
    [`word ${v.outWordClass}`, 'class (argmax of the votes, ties to the lowest index), as RESULT'],
    [C === 1 ? `word ${v.outWordFirstVote}` : `words ${v.outWordFirstVote}..${v.outWordFirstVote + C - 1}`, `votes of classes 0..${C - 1}: ${voteLine(v)}`],
    [`word ${v.outWordCycles}`, 'cycles of the inference (core start to done), as CYCLES; TLAST'],
  ];
  const pad = Math.max(...rows.map(([label]) => label.length));
  return [
    `Input stream s_axis (AXI4-Stream, 8-bit TDATA): one sample is ${v.inputs} beats; beat i carries the`,
    `  intensity of input i (0..255) and TLAST is set on beat ${v.inputs - 1} only. A TLAST early or missing sets`,
    '  STATUS.error and drops the sample. With CONTROL.start_on_stream set (the reset value) a complete sample',
    '  starts the inference; otherwise write CONTROL.start. With direct input the next sample may stream in while',
    '  an inference runs, once the core has read its inputs (samples sent back to back overlap inferences); with',
    '  rate input TREADY is low until the inference is done.',
    `Output stream m_axis (AXI4-Stream, 32-bit TDATA): ${v.outWords} words per inference, TLAST on the last:`,
    ...rows.map(([label, text]) => `  ${label.padEnd(pad)}  ${text}`),
    `  Full back-pressure: the next inference starts only once all ${v.outWords} words are taken, and STATUS.busy`,
    '  stays set until then.',
    'Interrupt: irq is high while STATUS.done is set and CONTROL.irq_enable is on; write 1 to STATUS.done to clear.',
  ];
}

/** Every line of the shared header text, sections separated by blank lines. */
export function headerLines(v: HostView, title: string, provenance: string): string[] {
  return [title, provenance, '', ...networkLines(v), '', ...registerLines(v), '', ...streamLines(v)];
}
