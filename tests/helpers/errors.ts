import { expect } from 'vitest';
import { BsnnError } from '../../generator/util/errors.js';

/** The BsnnError `fn` throws (fails the test if it throws nothing or something else). */
export function errorOf(fn: () => unknown): BsnnError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BsnnError);
    return e as BsnnError;
  }
  throw new Error('expected a BsnnError, but nothing was thrown');
}
