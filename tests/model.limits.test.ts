/**
 * Every limit in the README's "Limits the loader enforces" table, at its edge: the last value accepted, the
 * first refused with a message that names the JSON path. The table's rows and these cases must name the same
 * fields, so a limit cannot be documented without a test or tested without being documented.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planModel } from '../generator/ir/plan.js';
import { validateModel } from '../generator/model/load.js';
import { BsnnError } from '../generator/util/errors.js';

type Json = any;

/** Input 3 → layer 0 (2 neurons, prob floats, 12-bit membrane) → layer 1 (2 neurons, 4-bit codes). */
function base(): Json {
  return {
    format: 'bsnn/1',
    name: 'limits',
    seed: 1,
    timesteps: 4,
    sampling: { mode: 'time-ensemble', samples: 1 },
    input: { size: 3, encoding: 'rate' },
    layers: [
      { size: 2, probBits: 4, prob: [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]], threshold: 1, membraneBits: 12 },
      { size: 2, probBits: 4, probCodes: [[1, 2], [3, 4]], threshold: 1 },
    ],
  };
}

/** The same, with a potential readout: layer 1 does not spike. */
function potential(): Json {
  const m = base();
  m.readout = { mode: 'potential' };
  delete m.layers[1].threshold;
  return m;
}

/** Input 1×4×4 → conv 3×3, 2 channels (2×2×2 out) → dense 2. */
function conv(): Json {
  return {
    ...base(),
    input: { size: 16, encoding: 'direct', shape: [1, 4, 4] },
    layers: [
      { type: 'conv2d', channels: 2, kernel: 3, probBits: 4, prob: rows(2, 9), threshold: 1 },
      { size: 2, probBits: 4, prob: rows(2, 8), threshold: 1 },
    ],
  };
}

/** The conv layer with a new geometry, its rows and the dense layer's fan-in made to fit. */
function reshape(m: Json, geometry: Json, inChannels: number, outputs: number): void {
  Object.assign(m.layers[0], geometry);
  const [kh, kw] = Array.isArray(m.layers[0].kernel) ? m.layers[0].kernel : [m.layers[0].kernel, m.layers[0].kernel];
  m.layers[0].prob = rows(m.layers[0].channels, inChannels * kh * kw);
  m.layers[1].prob = rows(2, outputs);
}

function rows(size: number, fanIn: number): number[][] {
  return Array.from({ length: size }, () => Array<number>(fanIn).fill(0.5));
}

const dense = (size: number, fanIn: number) => ({ size, probBits: 4, prob: rows(size, fanIn), threshold: 1 });

/** Problems of validating and planning `m` (planning refuses what needs the planned widths); [] when both pass. */
function problems(m: Json): string[] {
  try {
    planModel(validateModel(m, 'm.json'));
    return [];
  } catch (e) {
    if (!(e instanceof BsnnError)) throw e;
    const msg = e.message;
    return msg.startsWith('m.json is not a valid') ? msg.split('\n').slice(1).map((l) => l.trim()) : [msg];
  }
}

/** A change applied to a fresh model; the problem it must give (undefined: none). */
type Edge = [start: () => Json, change: (m: Json) => void, problem?: string | RegExp];

const ok = (start: () => Json, change: (m: Json) => void): Edge => [start, change];
const bad = (start: () => Json, change: (m: Json) => void, problem: string | RegExp): Edge => [start, change, problem];

const CASES: Record<string, Edge[]> = {
  format: [ok(base, () => {}), bad(base, (m) => (m.format = 'bsnn/2'), /^format: /)],
  name: [
    ok(base, (m) => (m.name = `a${'b_9'.repeat(13)}`)),
    bad(base, (m) => (m.name = `a${'b'.repeat(40)}`), /^name: must be a Verilog-safe identifier of 1\.\.40 characters/),
    bad(base, (m) => (m.name = '9lives'), /^name: /),
  ],
  dataset: [ok(base, (m) => (m.dataset = 'idx')), bad(base, (m) => (m.dataset = 'cifar10'), /^dataset: expected one of "yinyang", "mnist", "idx"/)],
  seed: [ok(base, (m) => (m.seed = 4294967295)), bad(base, (m) => (m.seed = 4294967296), 'seed: 4294967296 is above the maximum 4294967295')],
  timesteps: [ok(base, (m) => (m.timesteps = 65535)), bad(base, (m) => (m.timesteps = 65536), 'timesteps: 65536 is above the maximum 65535')],
  'sampling.samples': [
    ok(base, (m) => (m.sampling = { mode: 'per-sample', samples: 255 })),
    bad(base, (m) => (m.sampling.samples = 256), 'sampling.samples: 256 is above the maximum 255'),
  ],
  'input.size': [
    ok(base, (m) => {
      m.input.size = 65536;
      m.layers[0].prob = rows(2, 65536);
    }),
    bad(base, (m) => (m.input.size = 65537), 'input.size: 65537 is above the maximum 65536'),
  ],
  'input.shape': [
    ok(conv, (m) => {
      m.input = { size: 4096 * 2, encoding: 'rate', shape: [4096, 1, 2] };
      reshape(m, { kernel: 1 }, 4096, 2 * 2);
    }),
    bad(conv, (m) => (m.input.shape = [4097, 1, 4]), 'input.shape[0]: 4097 is above the maximum 4096'),
    bad(conv, (m) => (m.input.shape = [1, 4, 5]), 'input.shape: is 1×4×5 = 20 values, but input.size is 16'),
    bad(conv, (m) => delete m.input.shape, 'layers[0].type: a conv2d layer needs an image input: give "input.shape" as [channels, rows, columns]'),
  ],
  layers: [
    ok(base, (m) => (m.layers = [dense(2, 3), ...Array.from({ length: 15 }, () => dense(2, 2))])),
    bad(base, (m) => (m.layers = [dense(2, 3), ...Array.from({ length: 16 }, () => dense(2, 2))]), 'layers: has 17 entries, expected at most 16'),
    bad(base, (m) => (m.layers = []), /^layers: /),
  ],
  'layers[l].type': [
    ok(conv, () => {}),
    bad(conv, (m) => (m.layers[0].type = 'conv1d'), 'layers[0].type: expected "dense" or "conv2d" (the layer kind), got "conv1d"'),
    bad(conv, (m) => m.layers.push({ ...conv().layers[0] }), /^layers\[2\]\.type: a conv2d layer needs an image input, but layers\[1\] is dense/),
    bad(conv, (m) => (m.layers = [m.layers[0]]), /^layers\[0\]\.type: the last layer is conv2d: the output layer must be dense/),
  ],
  'layers[l].size': [
    ok(base, (m) => {
      m.layers[0] = { ...dense(65536, 3), membraneBits: 12 };
      m.layers[1].probCodes = [Array(65536).fill(1), Array(65536).fill(1)];
    }),
    bad(base, (m) => (m.layers[0].size = 65537), 'layers[0].size: 65537 is above the maximum 65536'),
    bad(base, (m) => (m.layers[0].size = 0), 'layers[0].size: 0 is below the minimum 1'),
  ],
  'layers[l].channels': [
    ok(conv, (m) => reshape(m, { channels: 4096 }, 1, 4096 * 4)),
    bad(conv, (m) => (m.layers[0].channels = 4097), 'layers[0].channels: 4097 is above the maximum 4096'),
    bad(conv, (m) => (m.layers[0].channels = 0), 'layers[0].channels: 0 is below the minimum 1'),
  ],
  'layers[l].kernel': [
    ok(conv, (m) => reshape(m, { kernel: [4, 1] }, 1, 2 * 4)),
    ok(conv, (m) => {
      m.input = { size: 32 * 32, encoding: 'direct', shape: [1, 32, 32] };
      reshape(m, { kernel: 32 }, 1, 2);
    }),
    bad(conv, (m) => (m.layers[0].kernel = 33), /^layers\[0\]\.kernel: /),
    bad(conv, (m) => (m.layers[0].kernel = [5, 1]), /^layers\[0\]\.kernel: a 5×1 kernel with padding 0×0 does not fit the 1×4×4 input/),
  ],
  'layers[l].stride': [
    ok(conv, (m) => reshape(m, { stride: 32 }, 1, 2)),
    bad(conv, (m) => (m.layers[0].stride = [1, 33]), /^layers\[0\]\.stride/),
    bad(conv, (m) => (m.layers[0].stride = 0), /^layers\[0\]\.stride/),
  ],
  'layers[l].padding': [
    ok(conv, (m) => reshape(m, { padding: [31, 0] }, 1, 2 * 64 * 2)),
    bad(conv, (m) => (m.layers[0].padding = 32), /^layers\[0\]\.padding/),
    bad(conv, (m) => (m.layers[0].padding = -1), /^layers\[0\]\.padding/),
  ],
  'layers[l].pool.size': [
    ok(conv, (m) => reshape(m, { pool: { kind: 'sum', size: 2 } }, 1, 2)),
    bad(conv, (m) => (m.layers[0].pool = { kind: 'or', size: [3, 1] }), 'layers[0].pool.size: a 3×1 pool does not fit the 2×2×2 convolution output'),
    bad(conv, (m) => (m.layers[0].pool = { kind: 'max', size: 2 }), /^layers\[0\]\.pool\.kind: expected one of "or", "sum"/),
  ],
  'layers[l].probBits': [
    ok(base, (m) => (m.layers[0].probBits = 8)),
    bad(base, (m) => (m.layers[0].probBits = 9), 'layers[0].probBits: 9 is above the maximum 8'),
    bad(base, (m) => (m.layers[0].probBits = 0), 'layers[0].probBits: 0 is below the minimum 1'),
  ],
  'layers[l].prob': [
    ok(base, (m) => (m.layers[0].prob = [[0, 1, 0.5], [1, 0, 0.25]])),
    bad(base, (m) => (m.layers[0].prob[1][2] = 1.0001), 'layers[0].prob[1][2]: 1.0001 is outside [0,1]'),
    bad(base, (m) => (m.layers[0].prob[0] = [0.5, 0.5]), /^layers\[0\]\.prob\[0\]: has 2 entries, expected 3/),
  ],
  'layers[l].probCodes': [
    ok(base, (m) => (m.layers[1].probCodes = [[0, 15], [15, 0]])),
    bad(base, (m) => (m.layers[1].probCodes[0][1] = 16), 'layers[1].probCodes[0][1]: 16 is not an integer code in 0..15 (probBits 4)'),
  ],
  'layers[l].threshold': [
    ok(base, (m) => (m.layers[0].threshold = [1, 2047])),
    bad(base, (m) => (m.layers[0].threshold = [1, 2048]), 'layers[0].threshold[1]: 2048 is outside 1..2047 (a threshold is at least 1 and fits the 12-bit membrane)'),
    bad(base, (m) => (m.layers[1].threshold = 0), /^layers\[1\]\.threshold: 0 is outside 1\.\.32767/),
    bad(base, (m) => delete m.layers[1].threshold, 'layers[1].threshold: missing (expected a number or an array)'),
    // The potential readout layer ignores its threshold, but a given one is checked all the same.
    ok(potential, (m) => delete m.layers[1].threshold),
    ok(potential, (m) => (m.layers[1].threshold = [1, 32767])),
    bad(potential, (m) => (m.layers[1].threshold = 0), 'layers[1].threshold: 0 is outside 1..32767 (ignored on the potential readout layer, but a threshold is at least 1 and fits the 16-bit membrane)'),
    bad(potential, (m) => Object.assign(m.layers[1], { threshold: 9, membraneBits: 4 }), /^layers\[1\]\.threshold: 9 is outside 1\.\.7 \(ignored on the potential readout layer/),
    bad(potential, (m) => (m.layers[1].threshold = 1.5), 'layers[1].threshold: 1.5 is not an integer'),
  ],
  'layers[l].bias': [
    ok(base, (m) => (m.layers[0].bias = [-2048, 2047])),
    bad(base, (m) => (m.layers[0].bias = [-2049, 0]), 'layers[0].bias[0]: -2049 is outside -2048..2047 (a bias fits the 12-bit membrane)'),
    ok(potential, (m) => Object.assign(m, { timesteps: 1 }).layers[1].bias = [-(2 ** 30), 2 ** 30 - 1]),
    bad(potential, (m) => (m.layers[1].bias = 2 ** 30), 'layers[1].bias: 1073741824 is outside -1073741824..1073741823 (a readout bias fits 31 signed bits, under the 32-bit vote counters)'),
  ],
  'layers[l].leak': [ok(base, (m) => (m.layers[0].leak = 16)), bad(base, (m) => (m.layers[0].leak = 17), 'layers[0].leak: 17 is above the maximum 16')],
  'layers[l].membraneBits': [
    ok(base, (m) => (m.layers[0].membraneBits = 24)),
    bad(base, (m) => (m.layers[0].membraneBits = 25), 'layers[0].membraneBits: 25 is above the maximum 24'),
    ok(base, (m) => (m.layers[0].membraneBits = 2)),
    bad(base, (m) => (m.layers[0].membraneBits = 1), 'layers[0].membraneBits: 1 is below the minimum 2'),
  ],
  'layers[l].noise.bits': [
    ok(base, (m) => (m.layers[0].noise = { kind: 'logistic', bits: 8, scale: 2 })),
    bad(base, (m) => (m.layers[0].noise = { kind: 'logistic', bits: 9, scale: 2 }), 'layers[0].noise.bits: 9 is above the maximum 8'),
  ],
  'layers[l].noise.scale': [
    ok(base, (m) => (m.layers[0].noise = { kind: 'logistic', bits: 2, scale: 1e6 })),
    bad(base, (m) => (m.layers[0].noise = { kind: 'logistic', bits: 2, scale: 1e6 + 1 }), /^layers\[0\]\.noise\.scale: 1000001 is above the maximum 1000000/),
    bad(base, (m) => (m.layers[0].noise = { kind: 'logistic', bits: 2, scale: 0 }), /^layers\[0\]\.noise\.scale: /),
    bad(base, (m) => (m.layers[0].noise = { kind: 'uniform', bits: 2, scale: 1.5 }), /^layers\[0\]\.noise\.scale: 1\.5 is not an integer/),
    bad(potential, (m) => (m.layers[1].noise = { kind: 'uniform', bits: 2, scale: 1 }), /^layers\[1\]\.noise: not allowed on the last layer when "readout" is "potential"/),
  ],
  'layers[l].lanes': [ok(base, (m) => (m.layers[0].lanes = 4096)), bad(base, (m) => (m.layers[0].lanes = 4097), 'layers[0].lanes: 4097 is above the maximum 4096')],
  'layers[l].offsetsPerCycle': [
    ok(conv, (m) => (m.layers[0].offsetsPerCycle = 2)),
    bad(conv, (m) => (m.layers[0].offsetsPerCycle = 3), /^layers\[0\]\.offsetsPerCycle/),
  ],
  'readout.temperature': [
    ok(potential, (m) => (m.readout.temperature = 1e6)),
    bad(potential, (m) => (m.readout.temperature = 0), /^readout\.temperature: /),
    bad(base, (m) => (m.readout = { mode: 'spikes', temperature: 1 }), /^readout\.temperature: only applies to "mode": "potential"/),
  ],
  'potential counts': [
    // S·T·(2·1 + 2^30 − 1) fits 32 signed bits at S·T = 1 and needs 33 at S·T = 2.
    ok(potential, (m) => {
      m.timesteps = 1;
      m.layers[1].bias = 2 ** 30 - 1;
    }),
    bad(
      potential,
      (m) => {
        m.timesteps = 2;
        m.layers[1].bias = 2 ** 30 - 1;
      },
      /^readout: "potential" counts of this model reach ±2147483650 .* at most 32 are supported/,
    ),
  ],
};

/** The first-column names of the README's limits table. */
function documentedLimits(): string[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split('### Limits the loader enforces')[1]?.split(/\n#{2,3} /)[0];
  expect(section, 'README.md has a "### Limits the loader enforces" section').toBeDefined();
  return [...section!.matchAll(/^\| (`?)([^|`]+)\1 \| /gm)].map((m) => m[2]).filter((f) => f !== 'field');
}

describe('the loader\'s limits, as the README lists them', () => {
  it('the README table and these cases name the same limits', () => {
    expect(documentedLimits()).toEqual(Object.keys(CASES));
  });

  it.each(Object.entries(CASES))('%s: the edge is accepted, beyond it is refused naming the path', (_field, edges) => {
    for (const [start, change, problem] of edges) {
      const m = start();
      change(m);
      const found = problems(m);
      if (problem === undefined) expect(found, String(change)).toEqual([]);
      else if (typeof problem === 'string') expect(found, String(change)).toContain(problem);
      else expect(found.some((p) => problem.test(p)), `${String(change)}: ${found.join(' | ')}`).toBe(true);
    }
  });
});
