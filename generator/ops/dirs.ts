/** Where each op's templates live: beside its code, in the source tree (dist/ holds no templates). */
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../util/paths.js';

const opsDir = (kind: string) => join(PACKAGE_ROOT, 'generator', 'ops', kind);

export const OPS_DIR = { synapses: opsDir('synapses'), dense: opsDir('dense'), readout: opsDir('readout'), conv: opsDir('conv') } as const;
