/**
 * The Zynq-7000 parts, one table for every command: names as Vivado spells them (device, package, speed
 * grade, e.g. xc7z020clg400-1), capacities (DS190) and typical PL static power. Only the shape of a full name
 * is checked here; whether that device comes in that package is for Vivado to say (build.tcl stops with a
 * clear message when get_parts does not know the part).
 */
import type { PartInfo } from '../estimate/types.js';

/** Every Zynq-7000 device. */
export const ZYNQ7000_DEVICES = ['xc7z007s', 'xc7z010', 'xc7z012s', 'xc7z014s', 'xc7z015', 'xc7z020', 'xc7z030', 'xc7z035', 'xc7z045', 'xc7z100'] as const;


export type ZynqDevice = (typeof ZYNQ7000_DEVICES)[number];

export interface ZynqPart {
  /** The whole name, lower case. */
  part: string;
  device: ZynqDevice;
  /** Package and pin count, e.g. clg400. */
  pkg: string;
  /** Speed grade, e.g. 1, 2, 2l. */
  speed: string;
}

/**
 * The one parser of part names. Three spellings of a Zynq-7000 part: Vivado's (device, package, speed grade:
 * xc7z020clg400-1), the ordering code (XC7Z020-1CLG400C: speed grade, package, temperature) and the bare device
 * (xc7z020); the "xc" may be left off. Anything else (another family, a digit or letter too many) is not a part.
 */
const NAME_RE = new RegExp(
  `^(?:xc)?(${ZYNQ7000_DEVICES.map((d) => d.slice(2)).join('|')})` +
    '(?:([a-z]{3}\\d{3,4})-([123][a-z]?)|-([123][a-z]?)(?:([a-z]{3}\\d{3,4})[a-z]?)?)?$',
);

interface PartName extends ZynqPart {
  /** Which spelling: Vivado's full name, an ordering code, or the device alone (pkg and speed then empty). */
  form: 'vivado' | 'ordering' | 'device';
}

function parsePartName(name: string): PartName | undefined {
  const s = name.trim().toLowerCase();
  const m = NAME_RE.exec(s);
  if (!m) return undefined;
  const device = `xc${m[1]}` as ZynqDevice;
  const part = s.startsWith('xc') ? s : `xc${s}`;
  if (m[2] !== undefined) return { part, device, pkg: m[2], speed: m[3], form: 'vivado' };
  if (m[4] !== undefined) return { part, device, pkg: m[5] ?? '', speed: m[4], form: 'ordering' };
  return { part, device, pkg: '', speed: '', form: 'device' };
}

/** The part as Vivado spells it (what build.tcl and the manifest carry), or undefined for any other spelling. */
export function parseZynqPart(name: string): ZynqPart | undefined {
  const p = parsePartName(name);
  if (!p || p.form !== 'vivado' || !name.trim().toLowerCase().startsWith('xc')) return undefined;
  return { part: p.part, device: p.device, pkg: p.pkg, speed: p.speed };
}

/** The device and spelling of any name parsePartName takes (for a message that says what is missing), or undefined. */
export function deviceOf(name: string): { device: ZynqDevice; form: PartName['form'] } | undefined {
  const p = parsePartName(name);
  return p && { device: p.device, form: p.form };
}

/**
 * PL static power model (docs/estimation.md "Static power"): staticMW ≈ STATIC_FIXED_MW + STATIC_PER_KLC_MW ×
 * (logic cells / 1000), a straight line through two public Vivado report_power results (typical process,
 * VCCINT + VCCAUX + VCCBRAM static, junction 28.2–28.5 °C): xc7z020 33.8 mW, xc7z045 132.0 mW.
 */
export const STATIC_FIXED_MW = 2.3;
export const STATIC_PER_KLC_MW = 0.3706;

/**
 * DS190 Table 1 figures (logic cells in thousands, LUTs, flip-flops, 36 Kb block RAMs, DSP48E1 slices), one
 * row per device: a device without its row does not compile.
 */
const DS190: Readonly<Record<ZynqDevice, { kLC: number; lut: number; ff: number; bram36: number; dsp: number }>> = {
  xc7z007s: { kLC: 23, lut: 14_400, ff: 28_800, bram36: 50, dsp: 66 },
  xc7z010: { kLC: 28, lut: 17_600, ff: 35_200, bram36: 60, dsp: 80 },
  xc7z012s: { kLC: 55, lut: 34_400, ff: 68_800, bram36: 72, dsp: 120 },
  xc7z014s: { kLC: 65, lut: 40_600, ff: 81_200, bram36: 107, dsp: 170 },
  xc7z015: { kLC: 74, lut: 46_200, ff: 92_400, bram36: 95, dsp: 160 },
  xc7z020: { kLC: 85, lut: 53_200, ff: 106_400, bram36: 140, dsp: 220 },
  xc7z030: { kLC: 125, lut: 78_600, ff: 157_200, bram36: 265, dsp: 400 },
  xc7z035: { kLC: 275, lut: 171_900, ff: 343_800, bram36: 500, dsp: 900 },
  xc7z045: { kLC: 350, lut: 218_600, ff: 437_200, bram36: 545, dsp: 900 },
  xc7z100: { kLC: 444, lut: 277_400, ff: 554_800, bram36: 755, dsp: 2020 },
};

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Zynq-7000 parts: capacities from DS190, typical PL static power at ~25 °C junction (an estimate, see doc). */
export const PART_TABLE: PartInfo[] = ZYNQ7000_DEVICES.map((part) => {
  const { kLC, lut, ff, bram36, dsp } = DS190[part];
  return { part, lut, ff, bram36, dsp, staticMW: round1(STATIC_FIXED_MW + STATIC_PER_KLC_MW * kLC) };
});

/**
 * The table entry for a part name in any spelling parsePartName takes ("xc7z020", "xc7z020clg400-1",
 * "XC7Z020-1CLG400C", "7z020"). Returns a copy whose `part` is the name as given (lower case, trimmed, with
 * "xc"); undefined for anything else.
 */
export function findPart(name: string): PartInfo | undefined {
  const p = parsePartName(name);
  const entry = p && PART_TABLE.find((e) => e.part === p.device);
  return entry ? { ...entry, part: p.part } : undefined;
}
