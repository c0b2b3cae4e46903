/**
 * driver/<name>_pynq.py: the network from Python on a PYNQ image: pynq.Overlay loads the bitstream, the
 * driver checks ID_FORMAT and the model hash, sends one sample through the AXI DMA (pynq.allocate buffers)
 * and returns class, votes and cycles. The program text is a template (templates/host/pynq.py.hbs); the
 * register map, bits and stream layout come from the host view, never typed in twice.
 */
import { BLOCK_DESIGN } from '../emit/vivado.js';
import { render } from '../emit/templates.js';
import type { EmittedFile } from '../emit/files.js';
import { TEMPLATES_DIR } from '../util/paths.js';
import { networkLines, registerLines, streamLines } from './doc.js';
import { hex32, hexOffset, provenance, type HostView } from './view.js';

export const pyDriverPath = (v: HostView) => `driver/${v.name}_pynq.py`;

export function emitPyDriver(v: HostView): EmittedFile {
  const header = [...networkLines(v), '', ...registerLines(v), '', ...streamLines(v)].map((l) => l.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"'));
  const context = {
    name: v.name,
    module: v.module,
    provenance: provenance(v),
    modelHash: v.modelHash,
    header,
    coreCell: BLOCK_DESIGN.core,
    dmaCell: BLOCK_DESIGN.dma,
    idFormat: hex32(v.idFormat),
    M: v.inputs,
    C: v.classes,
    T: v.timesteps,
    S: v.samples,
    votesSigned: v.votesSigned ? 'True' : 'False',
    outWords: v.outWords,
    classWord: v.outWordClass,
    firstVote: v.outWordFirstVote,
    cyclesWord: v.outWordCycles,
    hashWords: v.hashRegisters.length,
    registers: v.registers.map((r) => ({ name: r.name, offset: hexOffset(r.offset) })),
    control: v.control.map((b) => ({ macro: b.macro, mask: hex32(b.mask) })),
    status: v.status.map((b) => ({ macro: b.macro, mask: hex32(b.mask) })),
    seedWritable: v.registers.find((r) => r.name === 'SEED')?.writable ?? false,
  };
  return { path: pyDriverPath(v), content: render(TEMPLATES_DIR, 'host/pynq.py.hbs', context) };
}
