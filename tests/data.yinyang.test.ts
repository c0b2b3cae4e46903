/**
 * The Yin-Yang generator against its definition (Kriener et al. 2021; reference generator
 * github.com/lkriener/yin_yang_data_set, dataset.py, r_big = 0.5, r_small = 0.1). The class rule is re-derived
 * here independently (squared distances, written from the geometry), not imported.
 */
import { describe, expect, it } from 'vitest';
import { toIntensities, yinYang, yinYangClass, YIN_YANG_CLASSES, type YinYangSplit } from '../generator/data/yinyang.js';

/**
 * Independent statement of the rule. Dots: the discs of radius 0.1 at (0.25, 0.5) and (0.75, 0.5) (open).
 * Label 1 ("yang" in the reference's class_names): the closed right dot disc (only its rim remains after the
 * dots are taken), the ring 0.1 < d_left ≤ 0.25 around the left dot, and the upper half y > 0.5 outside the
 * closed disc of radius 0.25 around the right dot. Everything else inside the circle is label 0 ("yin").
 */
function refClass(x: number, y: number): number {
  const l2 = (x - 0.25) * (x - 0.25) + (y - 0.5) * (y - 0.5);
  const r2 = (x - 0.75) * (x - 0.75) + (y - 0.5) * (y - 0.5);
  const s2 = 0.1 * 0.1;
  const m2 = 0.25 * 0.25;
  if (l2 < s2 || r2 < s2) return 2;
  if (r2 <= s2) return 1;
  if (l2 > s2 && l2 <= m2) return 1;
  if (y > 0.5 && r2 > m2) return 1;
  return 0;
}

const SPLITS: [YinYangSplit, number][] = [
  ['train', 5000],
  ['validation', 1000],
  ['test', 1000],
];

describe('Yin-Yang rule', () => {
  it('classifies hand-picked points as the reference does', () => {
    // (x, y, label): dot centres; inside the left medium disc above/below the left dot; upper and lower halves.
    const cases: [number, number, number][] = [
      [0.25, 0.5, 2], // left dot centre
      [0.75, 0.5, 2], // right dot centre
      [0.33, 0.5, 2], // d_left = 0.08 < 0.1
      [0.25, 0.7, 1], // d_left = 0.2: ring around the left dot
      [0.25, 0.3, 1], // d_left = 0.2, below the middle: still the ring
      [0.75, 0.3, 0], // d_right = 0.2 ≤ 0.25, d_left = √0.29 ≈ 0.54: lower part
      [0.75, 0.7, 0], // d_right = 0.2 ≤ 0.25 even though y > 0.5: the right medium disc
      [0.5, 0.9, 1], // y > 0.5, d_right = √(0.0625 + 0.16) ≈ 0.47 > 0.25
      [0.5, 0.1, 0], // y < 0.5, outside both medium discs
      [0.05, 0.5, 1], // d_left = 0.2: the ring, at the left rim
      [0.95, 0.5, 0], // d_right = 0.2: the right medium disc, at the right rim
    ];
    for (const [x, y, c] of cases) {
      expect(yinYangClass(x, y), `(${x}, ${y})`).toBe(c);
      expect(refClass(x, y), `(${x}, ${y})`).toBe(c);
    }
    expect(YIN_YANG_CLASSES).toEqual(['yin', 'yang', 'dot']);
  });

  it('agrees with the independent rule on a dense grid of the circle', () => {
    // The grid is offset by irrational fractions so that no point lies exactly on a boundary, where √d ≤ r and
    // d ≤ r² may round differently.
    let n = 0;
    for (let i = 0; i < 400; i++)
      for (let j = 0; j < 400; j++) {
        const x = (i + Math.SQRT1_2) / 400;
        const y = (j + Math.PI - 3) / 400;
        if ((x - 0.5) ** 2 + (y - 0.5) ** 2 > 0.25) continue;
        n++;
        expect(yinYangClass(x, y)).toBe(refClass(x, y));
      }
    expect(n).toBeGreaterThan(100000);
  });
});

describe('Yin-Yang splits', () => {
  const data = Object.fromEntries(SPLITS.map(([s]) => [s, yinYang(s)])) as Record<YinYangSplit, ReturnType<typeof yinYang>>;

  for (const [split, size] of SPLITS) {
    it(`${split}: ${size} points, in the circle, labels follow the rule, inputs (x, y, 1−x, 1−y)`, () => {
      const { inputs, labels } = data[split];
      expect(inputs.length).toBe(size);
      expect(labels.length).toBe(size);
      for (let i = 0; i < size; i++) {
        const v = inputs[i];
        expect(v).toBeInstanceOf(Float32Array);
        expect(v.length).toBe(4);
        const [x, y, xf, yf] = v;
        for (const u of v) {
          expect(u).toBeGreaterThanOrEqual(0);
          expect(u).toBeLessThanOrEqual(1);
        }
        expect(xf).toBe(Math.fround(1 - x));
        expect(yf).toBe(Math.fround(1 - y));
        expect((x - 0.5) ** 2 + (y - 0.5) ** 2).toBeLessThanOrEqual(0.25);
        expect(labels[i]).toBe(refClass(x, y));
      }
    });

    it(`${split}: classes balanced within ±1`, () => {
      const counts = [0, 0, 0];
      for (const c of data[split].labels) counts[c]++;
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      expect(counts.reduce((a, b) => a + b)).toBe(size);
    });
  }

  it('fills each class region (both dots, both halves)', () => {
    const { inputs, labels } = data.train;
    const where = (c: number, pred: (x: number, y: number) => boolean) =>
      inputs.filter((v, i) => labels[i] === c && pred(v[0], v[1])).length;
    expect(where(2, (x) => x < 0.5)).toBeGreaterThan(600); // ~833 expected in each dot
    expect(where(2, (x) => x > 0.5)).toBeGreaterThan(600);
    // Dots have equal areas: the left/right split of dot points is binomial(1667, ½), σ ≈ 20.
    expect(Math.abs(where(2, (x) => x < 0.5) - where(2, (x) => x > 0.5))).toBeLessThan(150);
    // Labels 0 and 1 are mirror images (point reflection about the centre): similar mean y, mirrored.
    const meanY = (c: number) => {
      let s = 0, k = 0;
      inputs.forEach((v, i) => { if (labels[i] === c) { s += v[1]; k++; } });
      return s / k;
    };
    expect(meanY(0)).toBeLessThan(0.5);
    expect(meanY(1)).toBeGreaterThan(0.5);
    expect(meanY(0) + meanY(1)).toBeCloseTo(1, 1);
  });

  it('is deterministic per seed, and seeds and splits differ', () => {
    const a = yinYang('test', 7);
    const b = yinYang('test', 7);
    expect(b.labels).toEqual(a.labels);
    expect(b.inputs).toEqual(a.inputs);
    const c = yinYang('test', 8);
    expect(c.inputs[0]).not.toEqual(a.inputs[0]);
    let same = 0;
    for (let i = 0; i < 1000; i++) if (c.inputs[i][0] === a.inputs[i][0] && c.inputs[i][1] === a.inputs[i][1]) same++;
    expect(same).toBe(0);
    // Default seed: no point shared between the three splits.
    const key = (v: Float32Array) => `${v[0]},${v[1]}`;
    const seen = new Set(data.train.inputs.map(key));
    for (const v of [...data.validation.inputs, ...data.test.inputs]) expect(seen.has(key(v))).toBe(false);
    const val = new Set(data.validation.inputs.map(key));
    for (const v of data.test.inputs) expect(val.has(key(v))).toBe(false);
  });

  it('rejects bad arguments with clear errors', () => {
    expect(() => yinYang('dev' as YinYangSplit)).toThrow(/unknown split 'dev'/);
    expect(() => yinYang('test', 1.5)).toThrow(/seed must be an integer/);
    expect(() => yinYang('test', 1, -1)).toThrow(/count must be a non-negative integer/);
    expect(yinYang('test', 1, 10).labels.length).toBe(10);
  });

  it('maps inputs to 8-bit intensities', () => {
    expect([...toIntensities([0, 1, 0.5, 0.2])]).toEqual([0, 255, 128, 51]);
  });
});
