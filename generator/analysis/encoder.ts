/**
 * The encoder's share of the cycle model (docs/semantics.md §7), from the planned IR and the input alone: an
 * analysis pass, like cycles.ts. Rate coding scans one input per cycle; direct input holds the intensities as
 * 64-bit words of 8 and scans a word in max(1, its nonzero bytes) cycles (templates/encoder.v.hbs).
 */
import type { PlannedModel } from '../ir/types.js';

/** Inputs per word of the direct-input encoder. */
export const ENCODER_WORD = 8;

/** The words that hold M intensities. */
export const encoderWords = (M: number) => ({ words: Math.ceil(M / ENCODER_WORD) });

/** Nonzero intensities in each word of x (the last word may be partial). */
export function nonzeroPerWord(x: ArrayLike<number>): number[] {
  const n = new Array<number>(Math.ceil(x.length / ENCODER_WORD)).fill(0);
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) n[Math.floor(i / ENCODER_WORD)]++;
  return n;
}

/**
 * Busy cycles of one encoder run on input x: rate coding M + 2 (one input per cycle, two pipeline cycles);
 * direct input 2 + Σ_words max(1, nonzero bytes) (the first word's read, then one cycle per event or per
 * all-zero word, and the cycle that finds no word left).
 */
export function encoderBusy(plan: PlannedModel, x: ArrayLike<number>): number {
  const M = plan.input.size;
  if (x.length !== M) throw new RangeError(`input has ${x.length} values, the model expects ${M}`);
  if (plan.input.encoding === 'rate') return M + 2;
  return 2 + nonzeroPerWord(x).reduce((a, n) => a + Math.max(1, n), 0);
}

/**
 * Words (direct input) or inputs (rate coding) the encoder reads per inference: every input at every timestep
 * for rate coding; every word once for direct input, whose event list layer 0 replays.
 */
export const encoderReads = (plan: PlannedModel): number =>
  plan.input.encoding === 'direct' ? encoderWords(plan.input.size).words : plan.samples * plan.timesteps * plan.input.size;
