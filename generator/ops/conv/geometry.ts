/** The sizes of a conv layer's engine (conv.v.hbs), in one place for the emitter, cycle and resource models. */
import type { ConvLayer } from '../../ir/types.js';

/**
 * Bits of a spike row in `spkmem`: one per lane, and above them whether any lane spiked (the pool scan's
 * control reads that bit, not a test of every lane after the block-RAM read).
 */
export const spikeRowBits = (lanes: number): number => lanes + 1;

export function convGeometryOf(L: ConvLayer) {
  const [kh, kw] = L.kernel;
  const { h: Ho, w: Wo } = L.convShape;
  const [qh, qw] = L.pool ? L.pool.size : [1, 1];
  return {
    P: L.lanes,
    F: L.passes,
    M: L.fanIn,
    /** kernel offsets per input event */
    KK: kh * kw,
    /** cycles an event's offsets take: one per offset, or per pair (kx, kx + 1) of a kernel row */
    eventCycles: L.offsetsPerCycle === 2 ? kh * Math.ceil(kw / 2) : kh * kw,
    Ho,
    Wo,
    /** output positions */
    HW: Ho * Wo,
    /** pooled positions (windows) the emission scans */
    Q: L.outShape.h * L.outShape.w,
    /** spike rows read per window */
    A: qh * qw,
    /** input events a timestep can hold: every input once */
    inputs: L.inShape.c * L.inShape.h * L.inShape.w,
  };
}
