import { describe, expect, it } from 'vitest';
import { trainConfig } from '../generator/cli/train.js';
import { TRAIN_DEFAULTS } from '../generator/train/run.js';

const errorOf = (f: () => unknown): Error => {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
};

describe('bsnn train options', () => {
  it('takes the data set\'s defaults, the shift included', () => {
    const c = trainConfig({ dataset: 'mnist', out: 'm.json', restart: false });
    expect(c.shift).toBe(TRAIN_DEFAULTS.mnist.shift);
    expect(c.epochs).toBe(TRAIN_DEFAULTS.mnist.epochs);
    // the settings behind examples/mnist.json (examples/README.md)
    expect([c.shift, c.epochs, c.hidden, c.timesteps, c.seed]).toEqual([1, 40, [512], 8, 1]);
    expect(c.lanes).toEqual([32, 10]);
    expect(trainConfig({ dataset: 'yinyang', out: 'y.json', restart: false }).shift).toBe(0);
    expect(trainConfig({ dataset: 'mnist', out: 'm.json', restart: false, shift: 0 }).shift).toBe(0);
  });

  it('names the flag of a bad value', () => {
    expect(errorOf(() => trainConfig({ dataset: 'mnist', out: 'm.json', restart: false, shift: -1 })).message).toBe('--shift: -1 is not an integer 0..8');
    expect(errorOf(() => trainConfig({ dataset: 'mnist', out: 'm.json', restart: false, shift: 1.5 })).message).toMatch(/^--shift: 1.5/);
    expect(errorOf(() => trainConfig({ dataset: 'mnist', out: 'm.json', restart: false, epochs: 0 })).message).toMatch(/^--epochs: 0/);
    expect(errorOf(() => trainConfig({ dataset: 'mnist', out: 'm.json', restart: false, hidden: '512,x' })).message).toMatch(/^--hidden:/);
    expect(errorOf(() => trainConfig({ dataset: 'mnist', out: 'm.json', restart: false, lanes: '32' })).message).toMatch(/^--lanes: gives 1 values/);
  });

  it('takes the training semantics: mode, samples, leak, reset, noise; defaults leave the config as before', () => {
    const plain = trainConfig({ dataset: 'yinyang', out: 'y.json', restart: false });
    // No semantics keys on a default run: checkpoints and models of earlier runs keep their keys.
    expect(['mode', 'samples', 'neuron'].filter((k) => k in plain)).toEqual([]);
    const c = trainConfig({ dataset: 'yinyang', out: 'y.json', restart: false, mode: 'per-sample', samples: 3, leak: 2, reset: 'zero', noise: 'uniform', noiseBits: 5, noiseStd: 0.2 });
    expect([c.mode, c.samples, c.neuron]).toEqual(['per-sample', 3, { leak: 2, reset: 'zero', noise: 'uniform', noiseBits: 5, noiseStd: 0.2 }]);
    expect(trainConfig({ dataset: 'yinyang', out: 'y.json', restart: false, mode: 'deterministic', samples: 3 }).samples).toBeUndefined();
  });

  it('names the semantics flag of a bad value', () => {
    const bad = (a: object) => errorOf(() => trainConfig({ dataset: 'yinyang', out: 'y.json', restart: false, ...a })).message;
    expect(bad({ mode: 'ensemble' })).toMatch(/^--mode: "ensemble" is not one of time-ensemble, per-sample, deterministic/);
    expect(bad({ leak: 17 })).toMatch(/^--leak: 17/);
    expect(bad({ reset: 'hard' })).toMatch(/^--reset: "hard"/);
    expect(bad({ noise: 'gaussian' })).toMatch(/^--noise: "gaussian"/);
    expect(bad({ noise: 'logistic', noiseBits: 9 })).toMatch(/^--noise-bits: 9/);
    expect(bad({ noise: 'logistic', noiseStd: 0 })).toMatch(/^--noise-std: 0/);
    expect(bad({ mode: 'per-sample', samples: 0 })).toMatch(/^--samples: 0/);
  });
});
