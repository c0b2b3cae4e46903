/**
 * Zynq-7000 part names as Vivado spells them: device, package, speed grade, e.g. xc7z020clg400-1.
 * Only the shape is checked here; whether that device comes in that package is for Vivado to say
 * (build.tcl stops with a clear message when get_parts does not know the part).
 */

/** Every Zynq-7000 device. */
export const ZYNQ7000_DEVICES = ['xc7z007s', 'xc7z010', 'xc7z012s', 'xc7z014s', 'xc7z015', 'xc7z020', 'xc7z030', 'xc7z035', 'xc7z045', 'xc7z100'] as const;

export interface ZynqPart {
  /** The whole name, lower case. */
  part: string;
  device: (typeof ZYNQ7000_DEVICES)[number];
  /** Package and pin count, e.g. clg400. */
  pkg: string;
  /** Speed grade, e.g. 1, 2, 2l. */
  speed: string;
}

const PART_RE = new RegExp(`^(${ZYNQ7000_DEVICES.join('|')})([a-z]{3}\\d{3,4})-([123][a-z]?)$`);

/** The part, or undefined when `name` is not a Zynq-7000 part name. */
export function parseZynqPart(name: string): ZynqPart | undefined {
  const s = name.trim().toLowerCase();
  const m = PART_RE.exec(s);
  if (!m) return undefined;
  return { part: s, device: m[1] as ZynqPart['device'], pkg: m[2], speed: m[3] };
}
