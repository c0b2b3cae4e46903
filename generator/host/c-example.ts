/**
 * driver/<name>_example.c: one inference from the ARM side (Linux UIO + AXI DMA in simple mode, or bare
 * metal with -DBSNN_BAREMETAL), written against <name>_regs.h. The program text is a template
 * (templates/host/example.c.hbs); what varies with the model or the register map is decided here.
 */
import { render } from '../emit/templates.js';
import type { EmittedFile } from '../emit/files.js';
import { TEMPLATES_DIR } from '../util/paths.js';
import { cNames } from './c-header.js';
import { cLayout } from './linux.js';
import { provenance, type HostView } from './view.js';

export const cExamplePath = (v: HostView) => `driver/${v.name}_example.c`;

export function emitCExample(v: HostView): EmittedFile {
  const n = cNames(v);
  const seed = v.registers.find((r) => r.name === 'SEED');
  const context = {
    name: v.name,
    module: v.module,
    modelHash: v.modelHash,
    provenance: provenance(v),
    C: v.classes,
    M: n.macro,
    fn: n.fn,
    hasSeed: seed !== undefined,
    seedWritable: seed?.writable ?? false,
    seedAction: seed?.writable ? 'writes the seed of the run to SEED' : 'reads SEED',
    votesSigned: v.votesSigned,
    ...cLayout(),
  };
  return { path: cExamplePath(v), content: render(TEMPLATES_DIR, 'host/example.c.hbs', context) };
}
