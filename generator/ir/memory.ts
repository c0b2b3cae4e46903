/** The block-RAM rule, in one place: which memories the emitter marks for block RAM. */
import type { PlannedMemory } from './types.js';

/** Memories at or above this size go to block RAM; smaller ones are left to the tool (LUTs in practice). */
export const BRAM_THRESHOLD_BITS = 4096;

export function declareMemory(depth: number, width: number): PlannedMemory {
  return { depth, width, block: depth * width >= BRAM_THRESHOLD_BITS };
}
