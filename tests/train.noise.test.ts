import { describe, expect, it } from 'vitest';
import { inverseNormalCdf, normalNoise, quantileTable } from '../generator/train/noise.js';

describe('the trainer\'s Gaussian noise', () => {
  it('inverts the normal CDF at known points', () => {
    expect(inverseNormalCdf(0.5)).toBeCloseTo(0, 9);
    expect(inverseNormalCdf(0.975)).toBeCloseTo(1.959963985, 7);
    expect(inverseNormalCdf(0.841344746)).toBeCloseTo(1, 6);
    expect(inverseNormalCdf(0.001)).toBeCloseTo(-3.090232306, 6); // lower tail branch
    expect(inverseNormalCdf(0.999)).toBeCloseTo(3.090232306, 6); // upper tail branch
  });

  it('the quantile table is symmetric with unit variance', () => {
    const t = quantileTable();
    for (let i = 0; i < t.length; i++) expect(t[i]).toBeCloseTo(-t[t.length - 1 - i], 5);
    expect(t.reduce((s, v) => s + v * v, 0) / t.length).toBeCloseTo(1, 5);
    // the extremes: Φ⁻¹(½ / 2^14) ≈ −4.0, scaled by the (slightly above 1) rescale to unit variance
    expect(t[0]).toBeCloseTo(-4.01, 1);
    expect(t[t.length - 1]).toBeCloseTo(4.01, 1);
  });

  it('draws mean 0, variance 1, normal tails and kurtosis, and no lag-1 correlation; seeded', () => {
    const n = 1 << 20;
    const x = normalNoise(n, 12345);
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    let lag = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      m1 += x[i];
      m2 += x[i] * x[i];
      m4 += x[i] ** 4;
      if (i > 0) lag += x[i] * x[i - 1];
      if (Math.abs(x[i]) > 2) beyond2++;
    }
    expect(Math.abs(m1 / n)).toBeLessThan(0.005);
    expect(m2 / n).toBeCloseTo(1, 2);
    expect(m4 / n).toBeGreaterThan(2.9); // N(0,1): 3
    expect(m4 / n).toBeLessThan(3.1);
    expect(Math.abs(lag / n)).toBeLessThan(0.005);
    expect(beyond2 / n).toBeCloseTo(0.0455, 2); // P(|z| > 2)
    expect(normalNoise(1001, 7)).toEqual(normalNoise(1001, 7));
    expect(normalNoise(1001, 7)).not.toEqual(normalNoise(1001, 8));
  });
});
