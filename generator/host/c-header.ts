/**
 * driver/<name>_regs.h: the register map, bit masks, model constants and accessors for C on the ARM side
 * (Linux or bare metal). Plain C99, header-only: every function is static inline on a `volatile uint32_t *`
 * base, the start of the core's AXI4-Lite window.
 */
import type { EmittedFile } from '../emit/files.js';
import { headerLines } from './doc.js';
import { hex32, hexOffset, provenance, summary, type HostRegister, type HostView } from './view.js';

/** Identifiers: BSNN_<NAME>_… for macros, bsnn_<name>_… for functions. */
export function cNames(v: HostView) {
  const macro = `BSNN_${v.name.toUpperCase()}`;
  const fn = `bsnn_${v.name}`;
  return {
    macro,
    fn,
    guard: `${macro}_REGS_H`,
    reg: (r: HostRegister) => `${macro}_REG_${r.name}`,
    get: (r: HostRegister) => `${fn}_get_${r.name.toLowerCase()}`,
    set: (r: HostRegister) => `${fn}_set_${r.name.toLowerCase()}`,
  };
}

export const cHeaderPath = (v: HostView) => `driver/${v.name}_regs.h`;

/** A C block comment from plain lines (no line of ours contains the closing marker). */
export function cComment(lines: string[]): string {
  return ['/*', ...lines.map((l) => (l === '' ? ' *' : ` * ${l.replaceAll('*/', '* /')}`)), ' */'].join('\n');
}

const define = (name: string, value: string, comment?: string) => `#define ${name} ${value}${comment ? ` /* ${comment.replaceAll('*/', '* /')} */` : ''}`;
const u = (x: number) => `${x >>> 0}u`;

export function emitCHeader(v: HostView): EmittedFile {
  const n = cNames(v);
  const M = n.macro;
  const out: string[] = [];
  const title = `${v.name}_regs.h: register map and stream formats of ${v.module}, the AXI wrapper of the bsnn network "${v.name}".`;
  out.push(cComment(headerLines(v, title, provenance(v))), '', `#ifndef ${n.guard}`, `#define ${n.guard}`, '', '#include <stdint.h>', '');

  out.push('/* Register byte offsets in the AXI4-Lite window. */');
  for (const r of v.registers) out.push(define(n.reg(r), `${hexOffset(r.offset)}u`, `${r.access}: ${summary(r.description)}`));
  out.push(define(`${M}_REG_SPAN`, `${hexOffset(v.span)}u`, 'bytes of the window in use'), '');

  out.push('/* CONTROL bits. */');
  for (const b of v.control) out.push(define(`${M}_CONTROL_${b.macro}`, `${hex32(b.mask)}u`));
  out.push(define(`${M}_CONTROL_RESET_VALUE`, `${hex32(v.controlReset)}u`, 'CONTROL after reset'), '');
  out.push('/* STATUS bits. */');
  for (const b of v.status) out.push(define(`${M}_STATUS_${b.macro}`, `${hex32(b.mask)}u`));
  out.push('');

  out.push('/* Identity: what ID_FORMAT and the MODEL_HASH registers read on the expected network. */');
  out.push(define(`${M}_ID_FORMAT`, `${hex32(v.idFormat)}u`));
  out.push(define(`${M}_MODEL_HASH_WORDS`, u(v.hashWords.length)));
  v.hashWords.forEach((w, i) => out.push(define(`${M}_MODEL_HASH${i}`, `${hex32(w)}u`, `expected in ${v.hashRegisters[i].name}`)));
  out.push(define(`${M}_MODEL_HASH_HEX`, `"${v.modelHash}"`), '');

  out.push('/* The network. */');
  out.push(define(`${M}_TIMESTEPS`, u(v.timesteps), 'T'));
  out.push(define(`${M}_SAMPLES`, u(v.samples), `S (${v.mode})`));
  out.push(define(`${M}_MODEL_SEED`, `${hex32(v.modelSeed)}u`, 'master seed of the model'));
  out.push(define(`${M}_INPUTS`, u(v.inputs), `input intensities per sample (${v.encoding} encoding)`));
  out.push(define(`${M}_CLASSES`, u(v.classes)));
  out.push(define(`${M}_CLASS_BITS`, u(v.classBits)));
  out.push(define(`${M}_VOTE_BITS`, u(v.voteBits)));
  out.push(define(`${M}_VOTES_SIGNED`, v.votesSigned ? '1' : '0', v.votesSigned ? 'votes are signed sums of potentials' : 'votes are spike counts'), '');

  out.push('/* Streams: bytes in per sample, 32-bit words out per inference and where each field sits. */');
  out.push(define(`${M}_IN_BYTES`, u(v.inputs)));
  out.push(define(`${M}_OUT_WORDS`, u(v.outWords)));
  out.push(define(`${M}_OUT_WORD_CLASS`, u(v.outWordClass)));
  out.push(define(`${M}_OUT_WORD_VOTES`, u(v.outWordFirstVote), `votes of class c at word ${v.outWordFirstVote} + c`));
  out.push(define(`${M}_OUT_WORD_CYCLES`, u(v.outWordCycles)), '');

  const base = 'volatile uint32_t *base';
  out.push('/* Raw access: `offset` is a byte offset from the macros above. */');
  out.push(`static inline uint32_t ${n.fn}_read(${base}, uint32_t offset) { return base[offset >> 2]; }`);
  out.push(`static inline void ${n.fn}_write(${base}, uint32_t offset, uint32_t value) { base[offset >> 2] = value; }`, '');
  out.push('/* One getter per register; setters only where writes reach the hardware. */');
  for (const r of v.registers) {
    out.push(`static inline uint32_t ${n.get(r)}(${base}) { return ${n.fn}_read(base, ${n.reg(r)}); }`);
    if (r.writable) out.push(`static inline void ${n.set(r)}(${base}, uint32_t value) { ${n.fn}_write(base, ${n.reg(r)}, value); }`);
  }
  out.push('');

  const control = `${n.fn}_read(base, ${M}_REG_CONTROL)`;
  out.push(
    '/* CONTROL writes set start_on_stream and irq_enable too: these keep the current values. */',
    `static inline void ${n.fn}_start(${base}) { ${n.fn}_write(base, ${M}_REG_CONTROL, ${control} | ${M}_CONTROL_START); }`,
    `static inline void ${n.fn}_soft_reset(${base}) { ${n.fn}_write(base, ${M}_REG_CONTROL, ${control} | ${M}_CONTROL_SOFT_RESET); }`,
    `static inline void ${n.fn}_set_control_bit(${base}, uint32_t mask, int on)`,
    '{',
    `    uint32_t c = ${control} & ~(${M}_CONTROL_START | ${M}_CONTROL_SOFT_RESET);`,
    `    ${n.fn}_write(base, ${M}_REG_CONTROL, on ? (c | mask) : (c & ~mask));`,
    '}',
    '/* STATUS.done and STATUS.error are sticky: write 1 to clear. */',
    `static inline void ${n.fn}_clear_status(${base}, uint32_t mask) { ${n.fn}_write(base, ${M}_REG_STATUS, mask); }`,
    '',
    '/* A vote word from m_axis as a number. */',
    `static inline int32_t ${n.fn}_vote(uint32_t word)`,
    '{',
    ...(v.votesSigned
      ? [
          `    const uint32_t mask = ${hex32(v.voteBits >= 32 ? 0xffffffff : 2 ** v.voteBits - 1)}u; /* ${M}_VOTE_BITS bits */`,
          `    const uint32_t sign = ${hex32(2 ** (v.voteBits - 1))}u;`,
          '    word &= mask;',
          '    return (word & sign) ? -(int32_t)(mask - word) - 1 : (int32_t)word;',
        ]
      : ['    return (int32_t)word;']),
    '}',
    '',
    '/*',
    ' * Compares ID_FORMAT and the MODEL_HASH registers with the network this header was made for.',
    ' * Returns 0 on a match, 1 when ID_FORMAT differs (not a bsnn core of this format), 2 when the hash',
    ' * differs (a bsnn core, but another network or another build of it).',
    ' */',
    `static inline int ${n.fn}_check_id(${base})`,
    '{',
    `    static const uint32_t offsets[${M}_MODEL_HASH_WORDS] = {`,
    ...v.hashRegisters.map((r, i) => `        ${n.reg(r)}${i < v.hashRegisters.length - 1 ? ',' : ''}`),
    '    };',
    `    static const uint32_t expected[${M}_MODEL_HASH_WORDS] = {`,
    ...v.hashWords.map((_, i) => `        ${M}_MODEL_HASH${i}${i < v.hashWords.length - 1 ? ',' : ''}`),
    '    };',
    '    uint32_t i;',
    `    if (${n.fn}_read(base, ${n.reg(v.idRegister)}) != ${M}_ID_FORMAT) return 1;`,
    `    for (i = 0; i < ${M}_MODEL_HASH_WORDS; i++)`,
    `        if (${n.fn}_read(base, offsets[i]) != expected[i]) return 2;`,
    '    return 0;',
    '}',
    '',
    `#endif /* ${n.guard} */`,
    '',
  );
  return { path: cHeaderPath(v), content: out.join('\n') };
}
