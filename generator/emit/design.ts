/** gen-rtl: planned IR → every output file, manifest included, ready for writeFolderAtomically. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlannedModel } from '../ir/types.js';
import { MANIFEST_GENERATOR_PREFIX } from '../util/atomic.js';
import { PACKAGE_ROOT } from '../util/paths.js';
import { axiModuleName, emitAxiWrapper } from './axi.js';
import { emitVerilog, type EmittedFile } from './verilog.js';

export const DEFAULT_PART = 'xc7z020clg400-1';

export function bsnnVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface Design {
  top: string;
  files: EmittedFile[];
}

export function generateDesign(plan: PlannedModel): Design {
  const { top, files: core } = emitVerilog(plan);
  // The AXI wrapper (AXI4-Stream in/out, AXI4-Lite registers, interrupt) is what a Zynq block design uses.
  const files = [...core, emitAxiWrapper(plan)];
  const manifest = {
    generator: `${MANIFEST_GENERATOR_PREFIX}${bsnnVersion()}`,
    format: plan.format,
    name: plan.name,
    modelHash: plan.modelHash,
    top,
    axiTop: axiModuleName(plan.name),
    part: DEFAULT_PART,
    semantics: 'docs/semantics.md',
    knobs: {
      timesteps: plan.timesteps,
      samples: plan.samples,
      mode: plan.mode,
      input: { size: plan.input.size, encoding: plan.input.encoding },
      layers: plan.layers.map((L) => ({
        fanIn: L.fanIn,
        size: L.size,
        lanes: L.lanes,
        passes: L.passes,
        probBits: L.probBits,
        membraneBits: L.membraneBits,
        accBits: L.accBits,
        leak: L.leak,
        reset: L.reset,
        noise: L.noise ? { kind: L.noise.kind, bits: L.noise.bits, scale: L.noise.scale } : null,
      })),
    },
    files: files.map((f) => ({ path: f.path, sha256: sha256(f.content) })),
  };
  return { top, files: [...files, { path: 'manifest.json', content: JSON.stringify(manifest, null, 2) + '\n' }] };
}
