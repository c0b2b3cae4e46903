/**
 * The Yin-Yang dataset (L. Kriener, J. Göltz, M. A. Petrovici, "The Yin-Yang dataset", NICE 2022,
 * doi:10.1145/3517343.3517380, arXiv:2102.08211), generated procedurally.
 *
 * Definition, following the reference generator (github.com/lkriener/yin_yang_data_set, `dataset.py`) with
 * r_big = 0.5 and r_small = 0.1:
 *
 * - Points (x, y) are drawn uniformly in [0, 1)² and kept only inside the big circle:
 *   √((x−0.5)² + (y−0.5)²) ≤ 0.5 (a point exactly on the rim is kept, as in the reference).
 * - With d_L, d_R the distances to the dot centres (0.25, 0.5) and (0.75, 0.5):
 *   - dot (label 2) when d_R < 0.1 or d_L < 0.1 (both small dots, strict);
 *   - otherwise label 1 when d_R ≤ 0.1, or 0.1 < d_L ≤ 0.25, or (y > 0.5 and d_R > 0.25);
 *   - otherwise label 0.
 *   The label numbers are the reference's; its `class_names` are ['yin', 'yang', 'dot'], so label 0 is called
 *   "yin" here too. (The reference's local variable for the label-1 region is named `is_yin`; we keep its
 *   numbers and its class_names, which is what every published result was computed with.)
 * - The network input is (x, y, 1−x, 1−y).
 * - Class balance by rejection sampling: a goal class is chosen for each sample and points are drawn until one
 *   of that class appears. The reference draws each goal class uniformly at random (balanced in expectation
 *   only); here the goal classes of a split are an exactly balanced list (counts differ by at most 1:
 *   5000 → 1667/1667/1666) in a seeded random order. Each class's points keep exactly the reference's
 *   conditional distribution (uniform over that class's region).
 * - Splits of 5000 / 1000 / 1000 points (train / validation / test) as in the reference README, each from its
 *   own random stream (the README uses seeds 42 / 41 / 40 for the same reason: the same seed would give the
 *   same points).
 *
 * Randomness is mulberry32 (`prng` in model/random.ts), not numpy's, so the points differ from the reference's
 * `.npy` files while following the same distribution. Coordinates are rounded to float32 *before* they are
 * classified, so every stored point's label is exactly the rule applied to the stored coordinates.
 */
import { prng } from '../model/random.js';
import { BsnnError } from '../util/errors.js';

export type YinYangSplit = 'train' | 'validation' | 'test';

export const YIN_YANG_CLASSES = ['yin', 'yang', 'dot'] as const;
export const YIN_YANG_SIZES: Readonly<Record<YinYangSplit, number>> = { train: 5000, validation: 1000, test: 1000 };
export const YIN_YANG_DEFAULT_SEED = 42;
/** Radius of the big circle and of the two dots (reference defaults r_big = 0.5, r_small = 0.1). */
export const R_BIG = 0.5;
export const R_SMALL = 0.1;

export interface YinYangData {
  /** One Float32Array(4) per point: (x, y, 1−x, 1−y), all in [0, 1]. */
  inputs: Float32Array[];
  /** 0 = yin, 1 = yang, 2 = dot. */
  labels: Uint8Array;
}

/** Inside (or on) the big circle. */
export function inYinYangCircle(x: number, y: number): boolean {
  return Math.sqrt((x - R_BIG) ** 2 + (y - R_BIG) ** 2) <= R_BIG;
}

/** The class of a point inside the circle (the reference's `which_class`). */
export function yinYangClass(x: number, y: number): number {
  const dRight = Math.sqrt((x - 1.5 * R_BIG) ** 2 + (y - R_BIG) ** 2);
  const dLeft = Math.sqrt((x - 0.5 * R_BIG) ** 2 + (y - R_BIG) ** 2);
  if (dRight < R_SMALL || dLeft < R_SMALL) return 2;
  const c1 = dRight <= R_SMALL;
  const c2 = dLeft > R_SMALL && dLeft <= 0.5 * R_BIG;
  const c3 = y > R_BIG && dRight > 0.5 * R_BIG;
  return c1 || c2 || c3 ? 1 : 0;
}

const SPLIT_INDEX: Record<YinYangSplit, number> = { train: 0, validation: 1, test: 2 };

/** An independent stream per (seed, split): splitmix-style mixing of the two. */
function splitSeed(seed: number, split: YinYangSplit): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(SPLIT_INDEX[split] + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97) >>> 0;
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * Generate one split. `count` overrides the split's size (for quick experiments); the default sizes are
 * 5000 / 1000 / 1000.
 */
export function yinYang(split: YinYangSplit, seed: number = YIN_YANG_DEFAULT_SEED, count?: number): YinYangData {
  if (!Object.hasOwn(SPLIT_INDEX, split)) throw new BsnnError(`Yin-Yang: unknown split '${String(split)}' (use train, validation or test)`);
  if (!Number.isInteger(seed)) throw new BsnnError(`Yin-Yang: the seed must be an integer, got ${seed}`);
  const n = count ?? YIN_YANG_SIZES[split];
  if (!Number.isInteger(n) || n < 0) throw new BsnnError(`Yin-Yang: the count must be a non-negative integer, got ${n}`);
  const rnd = prng(splitSeed(seed, split));

  // Exactly balanced goal classes, shuffled (Fisher–Yates).
  const goals = Uint8Array.from({ length: n }, (_, i) => i % 3);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = goals[i];
    goals[i] = goals[j];
    goals[j] = t;
  }

  const inputs: Float32Array[] = new Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    for (;;) {
      const x = Math.fround(rnd());
      const y = Math.fround(rnd());
      if (!inYinYangCircle(x, y)) continue;
      const c = yinYangClass(x, y);
      if (c !== goals[i]) continue;
      inputs[i] = Float32Array.of(x, y, 1 - x, 1 - y);
      labels[i] = c;
      break;
    }
  }
  return { inputs, labels };
}

/** Map one [0, 1] input vector to the 8-bit intensities the golden model and hardware take (round(v·255)). */
export function toIntensities(input: ArrayLike<number>): Uint8Array {
  return Uint8Array.from(input, (v) => Math.min(255, Math.max(0, Math.round(v * 255))));
}
