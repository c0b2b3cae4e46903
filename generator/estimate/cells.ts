/** Xilinx 7-series cell counts → Resources (LUT, FF, CARRY4, MUXF7/8, block RAM, DSP). */
import type { Resources } from './types.js';

/** LUTs occupied by each distributed-memory or shift-register primitive. */
const LUTS_AS_MEMORY: Record<string, number> = {
  RAM16X1S: 1, RAM32X1S: 1, RAM64X1S: 1, RAM128X1S: 2, RAM256X1S: 4,
  RAM16X1D: 2, RAM32X1D: 2, RAM64X1D: 2, RAM128X1D: 4,
  RAM32M: 4, RAM64M: 4, SRL16E: 1, SRLC32E: 1,
};

const FLIP_FLOPS = ['FDRE', 'FDSE', 'FDCE', 'FDPE'];

export function emptyResources(): Resources {
  return { lut: 0, lutBySize: {}, lutAsMemory: 0, ff: 0, carry4: 0, muxf7: 0, muxf8: 0, bram18: 0, bram36: 0, dsp: 0 };
}

export function resourcesFromCells(cells: Record<string, number>): Resources {
  const r = emptyResources();
  for (const [type, n] of Object.entries(cells)) {
    if (/^LUT[1-6]$/.test(type)) {
      r.lutBySize[type] = (r.lutBySize[type] ?? 0) + n;
      r.lut += n;
    } else if (type in LUTS_AS_MEMORY) {
      r.lutAsMemory += n * LUTS_AS_MEMORY[type];
      r.lut += n * LUTS_AS_MEMORY[type];
    } else if (FLIP_FLOPS.includes(type)) r.ff += n;
    else if (type === 'CARRY4') r.carry4 += n;
    else if (type === 'MUXF7') r.muxf7 += n;
    else if (type === 'MUXF8') r.muxf8 += n;
    else if (type === 'RAMB18E1') r.bram18 += n;
    else if (type === 'RAMB36E1') r.bram36 += n;
    else if (type === 'DSP48E1') r.dsp += n;
  }
  return r;
}

export function addResources(a: Resources, b: Resources, times = 1): Resources {
  const lutBySize = { ...a.lutBySize };
  for (const [k, v] of Object.entries(b.lutBySize)) lutBySize[k] = (lutBySize[k] ?? 0) + v * times;
  return {
    lut: a.lut + b.lut * times,
    lutBySize,
    lutAsMemory: a.lutAsMemory + b.lutAsMemory * times,
    ff: a.ff + b.ff * times,
    carry4: a.carry4 + b.carry4 * times,
    muxf7: a.muxf7 + b.muxf7 * times,
    muxf8: a.muxf8 + b.muxf8 * times,
    bram18: a.bram18 + b.bram18 * times,
    bram36: a.bram36 + b.bram36 * times,
    dsp: a.dsp + b.dsp * times,
  };
}
