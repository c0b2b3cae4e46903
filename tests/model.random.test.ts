/**
 * Seeded random inputs have one home (generator/model/random.ts): the 8-bit vectors of estimate and cosim and
 * the intensities of `bsnn import --check`, each in the stream its recorded figures were made with.
 */
import { describe, expect, it } from 'vitest';
import { prng, randomInputs, randomIntensities } from '../generator/model/random.js';

describe('seeded random inputs', () => {
  it('8-bit vectors: the stream recorded before the generators were merged', () => {
    expect(randomInputs(1, 2, 3).map((x) => Array.from(x))).toEqual([
      [90, 189, 76],
      [138, 151, 132],
    ]);
  });

  it('intensities for the NIR agreement: prng(seed) itself, as bsnn import --check drew them (docs/nir.md)', () => {
    expect(randomIntensities(1, 2, 3)).toEqual([
      [0.6270739405881613, 0.002735721180215478, 0.5274470399599522],
      [0.9810509674716741, 0.9683778982143849, 0.281103502959013],
    ]);
    const r = prng(7);
    expect(randomIntensities(7, 4, 5).flat()).toEqual(Array.from({ length: 20 }, () => r()));
  });

  it('both are the same generator: the bytes are ⌊256·u⌋ of the salted stream', () => {
    const u = randomIntensities(3 ^ 0x5bd1e995, 2, 6);
    expect(randomInputs(3, 2, 6).map((x) => Array.from(x))).toEqual(u.map((v) => v.map((x) => Math.floor(x * 256))));
  });
});
