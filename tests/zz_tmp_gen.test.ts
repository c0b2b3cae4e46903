import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { randomConvModel } from './helpers/designs.js';
import { CONV_MATRIX } from './helpers/conv-matrix.js';
it('gen', () => {
  for (const o of CONV_MATRIX) writeFileSync(`/tmp/convmodels/m${o.seed}.json`, JSON.stringify(randomConvModel(o)));
  const ex = randomConvModel({ seed: 7, name: 'convmnist', shape: [1, 28, 28], encoding: 'direct', timesteps: 8,
    convs: [{ channels: 16, kernel: 5, pool: { kind: 'or', size: 2 }, probBits: 4 }, { channels: 32, kernel: 5, pool: { kind: 'or', size: 2 }, probBits: 4 }],
    dense: [10], readout: 'potential', membraneBits: 12, thresholdScale: 0.5 });
  writeFileSync('/tmp/convmodels/convmnist.json', JSON.stringify(ex));
});
