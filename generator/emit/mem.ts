/** `$readmemh` images: one word per line, lane j's value in bits [width·j, width·(j+1)). */

const HEX = '0123456789abcdef';

/**
 * Pack `count` values of `width` bits each (two's complement for negatives) into one hex word, most
 * significant digit first.
 */
export function packWord(values: ArrayLike<number>, offset: number, count: number, width: number): string {
  const bits = count * width;
  const digits = Math.ceil(bits / 4);
  let out = '';
  for (let d = digits - 1; d >= 0; d--) {
    let nib = 0;
    for (let b = 3; b >= 0; b--) {
      const bit = d * 4 + b;
      if (bit >= bits) continue;
      const lane = Math.floor(bit / width);
      const v = values[offset + lane];
      // Two's complement bit of v at position (bit mod width); JS shifts are 32-bit, widths here are ≤ 24.
      nib |= ((v >> (bit - lane * width)) & 1) << b;
    }
    out += HEX[nib];
  }
  return out;
}

/** A whole memory: `rows` words of `count` values each, from a flat row-major array. */
export function memImage(values: ArrayLike<number>, rows: number, count: number, width: number): string {
  const lines = new Array<string>(rows);
  for (let r = 0; r < rows; r++) lines[r] = packWord(values, r * count, count, width);
  return lines.join('\n') + '\n';
}
