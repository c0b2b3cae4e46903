/** Metrics on hand-computed cases; the arithmetic is in the comments (α = 0.5 unless stated). */
import { describe, expect, it } from 'vitest';
import { argmax, confidenceBin, ECE_BINS, evaluateVotes, SMOOTHING_ALPHA, voteProbabilities } from '../generator/eval/metrics.js';

const ln = Math.log;

describe('voteProbabilities', () => {
  it('smooths votes with α = 0.5 by default', () => {
    expect(SMOOTHING_ALPHA).toBe(0.5);
    // [4, 0, 0]: Σ = 4, denominator 4 + 3·0.5 = 5.5 → [4.5, 0.5, 0.5] / 5.5 = [9/11, 1/11, 1/11].
    const p = voteProbabilities([4, 0, 0]);
    expect(p[0]).toBeCloseTo(9 / 11, 15);
    expect(p[1]).toBeCloseTo(1 / 11, 15);
    expect(p[2]).toBeCloseTo(1 / 11, 15);
    // No votes at all: uniform.
    expect([...voteProbabilities(new Int32Array(4))]).toEqual([0.25, 0.25, 0.25, 0.25]);
    // α = 1 (Laplace): [4, 0, 0] → [5, 1, 1] / 7.
    expect([...voteProbabilities([4, 0, 0], 1)].map((v) => v * 7)).toEqual([5, 1, 1].map((v) => expect.closeTo(v, 12)));
  });

  it('rejects bad input', () => {
    expect(() => voteProbabilities([])).toThrow(/no classes/);
    expect(() => voteProbabilities([1, -1])).toThrow(/non-negative/);
    expect(() => voteProbabilities([1, 2], 0)).toThrow(/α must be a positive number/);
  });
});

describe('argmax and bins', () => {
  it('breaks ties towards the lowest index, as the hardware does', () => {
    expect(argmax([0, 0, 0])).toBe(0);
    expect(argmax([1, 3, 3])).toBe(1);
    expect(argmax(Int32Array.of(2, 5, 1, 5))).toBe(1);
    expect(argmax([0, 0, 7])).toBe(2);
  });

  it('uses 15 right-closed bins ((m−1)/15, m/15]', () => {
    expect(ECE_BINS).toBe(15);
    expect(confidenceBin(1 / 3)).toBe(4); // exactly 5/15: the upper edge of bin 4
    expect(confidenceBin(0.34)).toBe(5);
    expect(confidenceBin(0.6)).toBe(8); // 9/15
    expect(confidenceBin(0.2)).toBe(2); // 3/15
    // A value a rounding error above an edge stays in the lower bin: (0.1 + 0.2)·10 = 3.0000000000000004.
    expect((0.1 + 0.2) * 10).not.toBe(3);
    expect(confidenceBin(0.1 + 0.2, 10)).toBe(2);
    expect(confidenceBin(1)).toBe(14);
    expect(confidenceBin(0)).toBe(0);
    expect(confidenceBin(1e-6)).toBe(0);
  });
});

describe('evaluateVotes', () => {
  // Four inputs, C = 3, α = 0.5:
  //   A votes [4,0,0] label 0: p = [9,1,1]/11, pred 0 ✓, conf 9/11 ≈ 0.818 → bin 12 (0.800, 0.867]
  //   B votes [1,3,0] label 0: p = [3,7,1]/11, pred 1 ✗, conf 7/11 ≈ 0.636 → bin 9  (0.600, 0.667]
  //   C votes [0,0,0] label 2: p = [1,1,1]/3,  pred 0 ✗ (tie → lowest), conf 1/3 → bin 4 (0.267, 0.333]
  //   D votes [2,2,0] label 1: p = [5,5,1]/11, pred 0 ✗ (tie → lowest), conf 5/11 ≈ 0.455 → bin 6 (0.400, 0.467]
  const counts = [Int32Array.of(4, 0, 0), Int32Array.of(1, 3, 0), Int32Array.of(0, 0, 0), Int32Array.of(2, 2, 0)];
  const labels = Uint8Array.of(0, 0, 2, 1);
  const m = evaluateVotes(counts, labels);

  it('accuracy counts argmax ties as the lowest index', () => {
    expect(m.n).toBe(4);
    expect(m.classes).toBe(3);
    expect([...m.predictions]).toEqual([0, 1, 0, 0]);
    expect(m.accuracy).toBe(0.25); // only A
  });

  it('NLL is the mean of −ln p_label', () => {
    // A: −ln(9/11) = 0.2007; B: −ln(3/11) = 1.2993; C: −ln(1/3) = 1.0986; D: −ln(5/11) = 0.7885
    // mean = 3.3870 / 4 = 0.8468
    const expected = (ln(11 / 9) + ln(11 / 3) + ln(3) + ln(11 / 5)) / 4;
    expect(expected).toBeCloseTo(0.846756, 5);
    expect(m.nll).toBeCloseTo(expected, 12);
  });

  it('entropy is the mean of −Σ p ln p, in nats', () => {
    // A: 9/11·ln(11/9) + 2·(1/11)·ln 11          = 0.1642 + 0.4360 = 0.6002
    // B: 3/11·ln(11/3) + 7/11·ln(11/7) + 1/11·ln 11 = 0.3544 + 0.2876 + 0.2180 = 0.8600
    // C: ln 3                                       = 1.0986
    // D: 2·(5/11)·ln(11/5) + 1/11·ln 11             = 0.7168 + 0.2180 = 0.9348
    // mean = 3.4935 / 4 = 0.8734
    const hA = (9 / 11) * ln(11 / 9) + (2 / 11) * ln(11);
    const hB = (3 / 11) * ln(11 / 3) + (7 / 11) * ln(11 / 7) + (1 / 11) * ln(11);
    const hC = ln(3);
    const hD = (10 / 11) * ln(11 / 5) + (1 / 11) * ln(11);
    expect((hA + hB + hC + hD) / 4).toBeCloseTo(0.8734, 4);
    expect(m.entropy).toBeCloseTo((hA + hB + hC + hD) / 4, 12);
  });

  it('ECE weighs |accuracy − confidence| per bin (one input per bin here)', () => {
    // (1/4)·(|1 − 9/11| + |0 − 7/11| + |0 − 1/3| + |0 − 5/11|) = (1/4)·(14/11 + 1/3) = 53/132 ≈ 0.4015
    expect(m.ece).toBeCloseTo(53 / 132, 12);
    expect(m.confidence).toBeCloseTo((9 / 11 + 7 / 11 + 1 / 3 + 5 / 11) / 4, 12);
    const used = m.reliability.map((b, i) => [i, b.count] as const).filter(([, k]) => k > 0);
    expect(used).toEqual([[4, 1], [6, 1], [9, 1], [12, 1]]);
    expect(m.reliability[12]).toEqual({ lo: 12 / 15, hi: 13 / 15, count: 1, confidence: expect.closeTo(9 / 11, 12), accuracy: 1 });
    expect(m.reliability[4].accuracy).toBe(0);
    expect(m.reliability[0].count).toBe(0);
    expect(m.reliability[0].confidence).toBeNaN();
    expect(m.reliability.length).toBe(15);
  });

  it('averages within a bin before taking the gap', () => {
    // C = 2. Votes [9,0] → p = 9.5/10 = 0.95 (bin 14), votes [7,0] → 7.5/8 = 0.9375 (bin 14).
    // Bin 14: mean conf (0.95 + 0.9375)/2 = 0.94375, accuracy 1/2 (labels 0 then 1) → ECE = |0.5 − 0.94375| = 0.44375.
    const r = evaluateVotes([[9, 0], [7, 0]], [0, 1]);
    expect(r.reliability[14].count).toBe(2);
    expect(r.reliability[14].confidence).toBeCloseTo(0.94375, 12);
    expect(r.reliability[14].accuracy).toBe(0.5);
    expect(r.ece).toBeCloseTo(0.44375, 12);
    // NLL: (−ln 0.95 − ln(0.5/8)) / 2 = (0.05129 + 2.77259)/2 = 1.41194
    expect(r.nll).toBeCloseTo((-ln(0.95) - ln(0.5 / 8)) / 2, 12);
  });

  it('perfect calibration gives ECE 0', () => {
    // Ten inputs with votes [3,1] → p = [3.5, 1.5]/5 = [0.7, 0.3], 7 of them labelled 0: accuracy 0.7 = confidence.
    // Two inputs with no votes → p = [0.5, 0.5], predicted 0 (tie), labels 0 and 1: accuracy 0.5 = confidence.
    const counts = [...Array.from({ length: 10 }, () => [3, 1]), [0, 0], [0, 0]];
    const labels = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 1];
    const r = evaluateVotes(counts, labels);
    expect(r.ece).toBeCloseTo(0, 12);
    expect(r.reliability[10]).toMatchObject({ count: 10, confidence: expect.closeTo(0.7, 12), accuracy: expect.closeTo(0.7, 12) });
    expect(r.reliability[7]).toMatchObject({ count: 2, confidence: 0.5, accuracy: 0.5 });
    expect(r.accuracy).toBeCloseTo(8 / 12, 12);
  });

  it('zero votes for the true class give a finite NLL', () => {
    // [10, 0], label 1: p_1 = 0.5/11 → NLL = ln 22 = 3.0910 (finite, unlike the raw vote fraction 0).
    const r = evaluateVotes([[10, 0]], [1]);
    expect(r.nll).toBeCloseTo(ln(22), 12);
    expect(r.ece).toBeCloseTo(10.5 / 11, 12); // one wrong prediction with confidence 10.5/11
  });

  it('respects α and the number of bins', () => {
    // α = 1, [4,0,0] label 0: p = [5,1,1]/7, NLL = ln(7/5) = 0.3365; 10 bins: conf 5/7 ≈ 0.714 → bin 7 (0.7, 0.8].
    const r = evaluateVotes([[4, 0, 0]], [0], { alpha: 1, bins: 10 });
    expect(r.alpha).toBe(1);
    expect(r.nll).toBeCloseTo(ln(7 / 5), 12);
    expect(r.reliability.length).toBe(10);
    expect(r.reliability[7].count).toBe(1);
    expect(r.ece).toBeCloseTo(2 / 7, 12);
  });

  it('rejects inconsistent input', () => {
    expect(() => evaluateVotes([[1, 2]], [0, 1])).toThrow(/1 vote vectors but 2 labels/);
    expect(() => evaluateVotes([], [])).toThrow(/no inputs/);
    expect(() => evaluateVotes([[1, 2], [1, 2, 3]], [0, 0])).toThrow(/vote vector 1 has 3 classes, the first has 2/);
    expect(() => evaluateVotes([[1, 2]], [2])).toThrow(/label 2 of input 0 is not a class 0\.\.1/);
    expect(() => evaluateVotes([[1, 2]], [0], { bins: 0 })).toThrow(/bins must be a positive integer/);
  });
});
