/**
 * The PL clock, one rule for every command (docs/zynq.md §1 "The clock"): the core runs on the PS7's
 * FCLK_CLK0, which divides the IO PLL by two 6-bit dividers, so only IO PLL ÷ (d0·d1) exists. gen-rtl and
 * estimate resolve `--clock-mhz` here and nowhere else: a number becomes the fastest FCLK at or below it,
 * `auto` the fastest FCLK at or below the design's estimated Fmax, and nothing at all DEFAULT_CLOCK_MHZ.
 */
import { BsnnError } from '../util/errors.js';

/** FCLK_CLK0 when --clock-mhz is not given (PYNQ-Z2's usual fabric clock, 1000 MHz ÷ 10). */
export const DEFAULT_CLOCK_MHZ = 100;
/** The PS7's PL clocks go up to 250 MHz. */
export const MAX_FCLK_MHZ = 250;
/**
 * The IO PLL that feeds FCLK_CLK0: 1000 MHz on the boards bsnn knows (PYNQ-Z2: 50 MHz crystal × 20, Xilinx's
 * pynqz2.tcl PCW_IOPLL_CTRL_FBDIV 20, PCW_IO_IO_PLL_FREQMHZ 1000; ZedBoard and Zybo Z7: 33.333 MHz × 30 in public
 * PS7 configurations), assumed for a bare --part too. build.tcl reads back what the PS7 made and stops if it is
 * faster than planned, so a wrong assumption fails loudly.
 */
export const IO_PLL_MHZ = 1000;
/** PCW_FCLK0_PERIPHERAL_DIVISOR0 and DIVISOR1 are 6 bits each. */
const MAX_DIVISOR = 63;

/** Every divider product d0·d1 ≥ the 250 MHz limit's, ascending (so frequencies descending). */
const PRODUCTS: readonly number[] = (() => {
  const s = new Set<number>();
  for (let a = 1; a <= MAX_DIVISOR; a++) for (let b = 1; b <= MAX_DIVISOR; b++) if (IO_PLL_MHZ / (a * b) <= MAX_FCLK_MHZ) s.add(a * b);
  return [...s].sort((x, y) => x - y);
})();

/** The slowest FCLK the PS7 makes (IO PLL ÷ 63·63). */
export const MIN_FCLK_MHZ = IO_PLL_MHZ / PRODUCTS[PRODUCTS.length - 1];

export interface Fclk {
  /** IO PLL ÷ divisor, rounded to 6 decimals as the manifest and build.tcl carry it. */
  mhz: number;
  /** d0·d1. */
  divisor: number;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const fclk = (divisor: number): Fclk => ({ mhz: round6(IO_PLL_MHZ / divisor), divisor });

/** The fastest FCLK at or below `mhz` (which must be at least MIN_FCLK_MHZ). */
export function fclkAtOrBelow(mhz: number): Fclk {
  // 1e-6 of slack: 142.857143 (1000/7 as printed) is 1000/7, not the next FCLK down.
  const n = PRODUCTS.find((p) => IO_PLL_MHZ / p <= mhz + 1e-6);
  if (n === undefined) throw new RangeError(`no FCLK at or below ${mhz} MHz`);
  return fclk(n);
}

/** The next FCLK above `f`, or undefined at 250 MHz. */
export function fclkAbove(f: Fclk): Fclk | undefined {
  const i = PRODUCTS.indexOf(f.divisor);
  return i > 0 ? fclk(PRODUCTS[i - 1]) : undefined;
}

/** What --clock-mhz says: a number of MHz, `auto`, or nothing (the default). */
export type ClockRequest = { kind: 'default' } | { kind: 'mhz'; mhz: number } | { kind: 'auto' };

/**
 * The one check of --clock-mhz, for every command: a positive number of MHz up to 250 (at least the slowest
 * FCLK), or `auto`. yargs hands the option over as a string (it may be `auto`); library callers pass numbers.
 */
export function parseClock(v: string | number | undefined): ClockRequest {
  if (v === undefined) return { kind: 'default' };
  if (typeof v === 'string' && v.trim().toLowerCase() === 'auto') return { kind: 'auto' };
  const s = typeof v === 'string' ? v.trim() : String(v);
  const mhz = Number(s);
  if (s === '' || !Number.isFinite(mhz) || mhz <= 0) throw new BsnnError(`--clock-mhz: ${s === '' ? 'give a value' : `"${s}" is not a positive number of MHz`}, or auto (the fastest clock the design meets)`);
  if (mhz > MAX_FCLK_MHZ || mhz < MIN_FCLK_MHZ) {
    throw new BsnnError(`--clock-mhz: ${s} MHz is not a PL clock the Zynq PS can make (${MIN_FCLK_MHZ.toFixed(3)} to ${MAX_FCLK_MHZ} MHz)`);
  }
  return { kind: 'mhz', mhz };
}

/** The clock a design is built at, and where it came from (the manifest and every report say so). */
export interface BuildClock extends Fclk {
  /** In words: "the default", "--clock-mhz 95", "--clock-mhz auto: ...". */
  source: string;
}

/** "1000/11 = 90.909091 MHz". */
export const describeFclk = (f: Fclk): string => `${f.mhz} MHz (${IO_PLL_MHZ} MHz IO PLL ÷ ${f.divisor})`;

/**
 * The rule: the default is DEFAULT_CLOCK_MHZ; a number is the fastest FCLK at or below it; auto is the fastest
 * FCLK at or below `fmaxMHz` (the caller supplies the estimate; undefined there is a programming error).
 */
export function buildClock(req: ClockRequest, fmaxMHz?: number): BuildClock {
  if (req.kind === 'default') return { ...fclkAtOrBelow(DEFAULT_CLOCK_MHZ), source: 'the default' };
  if (req.kind === 'mhz') return { ...fclkAtOrBelow(req.mhz), source: `--clock-mhz ${req.mhz}` };
  if (fmaxMHz === undefined || !Number.isFinite(fmaxMHz)) throw new Error('buildClock: auto needs the estimated Fmax');
  const f = fclkAtOrBelow(Math.max(Math.min(fmaxMHz, MAX_FCLK_MHZ), MIN_FCLK_MHZ));
  return { ...f, source: `--clock-mhz auto: the fastest FCLK at or below the estimated Fmax ${fmaxMHz} MHz` };
}

/**
 * The clock a --target-us folding search plans for: the one that will be built, or the default under auto
 * (the lanes must be chosen before their design's Fmax can be estimated).
 */
export const foldingClockMHz = (req: ClockRequest): number => buildClock(req.kind === 'auto' ? { kind: 'default' } : req).mhz;

/** When --clock-mhz names a clock the PS cannot make exactly: a note saying what is built instead. */
export function roundingNote(req: ClockRequest, c: Fclk): string | undefined {
  if (req.kind !== 'mhz' || Math.abs(req.mhz - c.mhz) < 1e-6) return undefined;
  const above = fclkAbove(c);
  return `--clock-mhz ${req.mhz}: the PS7 cannot make ${req.mhz} MHz from its ${IO_PLL_MHZ} MHz IO PLL; building at ${describeFclk(c)}, the fastest FCLK at or below it` +
    (above ? ` (the next one up is ${above.mhz} MHz)` : '');
}

/**
 * How a clock stands against an estimated Fmax: met, or how much it misses by (period against path delay,
 * in ns and %), with the --clock-mhz that would meet it.
 */
export function clockVersusFmax(clockMHz: number, fmaxMHz: number): { meets: boolean; text: string } {
  const period = 1000 / clockMHz;
  const path = 1000 / fmaxMHz;
  const slack = period - path;
  if (slack >= 0) return { meets: true, text: `${clockMHz} MHz meets the estimated Fmax ${fmaxMHz} MHz (slack ${slack.toFixed(2)} ns of ${period.toFixed(2)} ns)` };
  const fix = fclkAtOrBelow(Math.max(fmaxMHz, MIN_FCLK_MHZ));
  return {
    meets: false,
    text:
      `${clockMHz} MHz is above the estimated Fmax ${fmaxMHz} MHz: the longest path (${path.toFixed(2)} ns) misses the ${period.toFixed(2)} ns period by ` +
      `${(-slack).toFixed(2)} ns (the clock is ${((clockMHz / fmaxMHz - 1) * 100).toFixed(1)} % too fast); --clock-mhz ${fix.mhz} (or auto) meets it`,
  };
}
