/**
 * Writes the example conv architecture of issue 12 (a random model of that shape, generator/ops/conv/random.ts)
 * as bsnn/1 JSON, for `bsnn estimate` and `bsnn cosim` (docs/engine.md, Conv layers):
 *   npm run build && node dist/bench/conv-example.js convmnist.json
 */
import { writeFileSync } from 'node:fs';
import { EXAMPLE_CONV, randomConvModel } from '../generator/ops/conv/random.js';

const out = process.argv[2] ?? 'convmnist.json';
writeFileSync(out, JSON.stringify(randomConvModel(EXAMPLE_CONV)) + '\n');
console.log(`wrote ${out}`);
