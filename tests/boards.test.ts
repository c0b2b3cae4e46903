/** The board table, Zynq-7000 part names, and the errors --board and --part give. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOARDS, boardXdcPath, DEFAULT_BOARD } from '../generator/board/boards.js';
import { buildClock, clockVersusFmax, fclkAbove, fclkAtOrBelow, MIN_FCLK_MHZ, parseClock, roundingNote } from '../generator/board/clock.js';
import { parseZynqPart, ZYNQ7000_DEVICES } from '../generator/board/part.js';
import { resolveTarget } from '../generator/board/target.js';
import { generateDesign } from '../generator/emit/design.js';
import { planModel } from '../generator/ir/plan.js';
import { loadModel } from '../generator/model/load.js';
import { PACKAGE_ROOT } from '../generator/util/paths.js';
import { errorOf } from './helpers/errors.js';

describe('the PL clock rule (board/clock.ts)', () => {
  it('builds only FCLKs the PS7 makes: 1000 MHz ÷ d0·d1, the fastest at or below what is asked', () => {
    expect([250, 200, 150, 142.857143, 142, 120, 100, 95, 91, 90.9, 76.923077].map((f) => fclkAtOrBelow(f).mhz))
      .toEqual([250, 200, 142.857143, 142.857143, 125, 111.111111, 100, 90.909091, 90.909091, 83.333333, 76.923077]);
    expect(fclkAtOrBelow(95).divisor).toBe(11);
    // 67 is prime and above 63: no d0·d1 makes it, so below 1000/66 comes 1000/68.
    expect(fclkAtOrBelow(1000 / 66 - 0.001).divisor).toBe(68);
    expect(fclkAbove(fclkAtOrBelow(100))?.mhz).toBe(111.111111);
    expect(fclkAbove(fclkAtOrBelow(250))).toBeUndefined();
    expect(MIN_FCLK_MHZ).toBeCloseTo(1000 / 3969, 9);
  });

  it('one check of --clock-mhz for every command: a number in range, or auto', () => {
    expect(parseClock(undefined)).toEqual({ kind: 'default' });
    expect(parseClock(' AUTO ')).toEqual({ kind: 'auto' });
    expect(parseClock('95')).toEqual({ kind: 'mhz', mhz: 95 });
    expect(parseClock(95)).toEqual({ kind: 'mhz', mhz: 95 });
    for (const bad of ['0', '-5', 'fast', '', 'NaN', 300, 0.1]) expect(errorOf(() => parseClock(bad)).message, String(bad)).toMatch(/^--clock-mhz: /);
  });

  it('default 100 MHz; a number rounds down with a note; auto follows the Fmax', () => {
    expect(buildClock({ kind: 'default' })).toEqual({ mhz: 100, divisor: 10, source: 'the default' });
    const c = buildClock({ kind: 'mhz', mhz: 95 });
    expect(c.mhz).toBe(90.909091);
    expect(roundingNote({ kind: 'mhz', mhz: 95 }, c)).toMatch(/cannot make 95 MHz .* building at 90\.909091 MHz \(1000 MHz IO PLL ÷ 11\).*next one up is 100 MHz/);
    expect(roundingNote({ kind: 'mhz', mhz: 100 }, buildClock({ kind: 'mhz', mhz: 100 }))).toBeUndefined();
    expect(buildClock({ kind: 'auto' }, 119.3).mhz).toBe(111.111111);
    expect(buildClock({ kind: 'auto' }, 82.5).mhz).toBe(76.923077);
    expect(buildClock({ kind: 'auto' }, 400).mhz).toBe(250);
  });

  it('says by how much a clock misses the Fmax, and which clock meets it', () => {
    expect(clockVersusFmax(100, 119.3)).toEqual({ meets: true, text: '100 MHz meets the estimated Fmax 119.3 MHz (slack 1.62 ns of 10.00 ns)' });
    const miss = clockVersusFmax(100, 82.5);
    expect(miss.meets).toBe(false);
    expect(miss.text).toBe(
      '100 MHz is above the estimated Fmax 82.5 MHz: the longest path (12.12 ns) misses the 10.00 ns period by 2.12 ns (the clock is 21.2 % too fast); --clock-mhz 76.923077 (or auto) meets it',
    );
  });
});

describe('boards', () => {
  it('are the four of issue 4, with their parts', () => {
    expect(Object.fromEntries(BOARDS.map((b) => [b.name, b.part]))).toEqual({
      'pynq-z2': 'xc7z020clg400-1',
      zedboard: 'xc7z020clg484-1',
      'zybo-z7-20': 'xc7z020clg400-1',
      'zybo-z7-10': 'xc7z010clg400-1',
    });
    expect(DEFAULT_BOARD).toBe('pynq-z2');
  });

  it('pynq-z2: the PS7 DDR settings of Xilinx\'s own PYNQ-Z2 design (boards.ts names the file), trace delays included', () => {
    const ps7 = new Map(BOARDS.find((b) => b.name === 'pynq-z2')!.ps7Fallback);
    expect([ps7.get('PCW_UIPARAM_DDR_MEMORY_TYPE'), ps7.get('PCW_UIPARAM_DDR_PARTNO'), ps7.get('PCW_UIPARAM_DDR_BUS_WIDTH'), ps7.get('PCW_UIPARAM_DDR_FREQ_MHZ')])
      .toEqual(['DDR 3', 'MT41J256M16 RE-125', '16 Bit', '525']);
    expect([0, 1, 2, 3].map((i) => ps7.get(`PCW_UIPARAM_DDR_BOARD_DELAY${i}`))).toEqual(['0.223', '0.212', '0.085', '0.092']);
    expect([0, 1, 2, 3].map((i) => ps7.get(`PCW_UIPARAM_DDR_DQS_TO_CLK_DELAY_${i}`))).toEqual(['0.040', '0.058', '-0.009', '-0.033']);
    expect(ps7.get('PCW_CRYSTAL_PERIPHERAL_FREQMHZ')).toBe('50');
  });

  for (const b of BOARDS) {
    it(`${b.name}: a valid part, board files named for the board, an XDC in constraints/`, () => {
      expect(parseZynqPart(b.part)?.part).toBe(b.part);
      expect(b.boardParts.length).toBeGreaterThan(0);
      for (const bp of b.boardParts) expect(bp).toMatch(new RegExp(`^[a-z.]+:${b.name}:part0:\\d+\\.\\d+$`));
      expect(b.boardPartGlob).toBe(`*:${b.name}:part0:*`);
      // The PS7 fallback sets DDR (or a whole built-in preset) and never the PL clock, which build.tcl owns.
      const keys = b.ps7Fallback.map(([k]) => k);
      expect(keys.includes('preset') || keys.includes('PCW_UIPARAM_DDR_PARTNO')).toBe(true);
      expect(keys).not.toContain('PCW_FPGA0_PERIPHERAL_FREQMHZ');
      const xdc = join(PACKAGE_ROOT, boardXdcPath(b));
      expect(existsSync(xdc), xdc).toBe(true);
      expect(readFileSync(xdc, 'utf8')).toContain(b.part);
      expect(readFileSync(join(PACKAGE_ROOT, 'constraints', 'README.md'), 'utf8')).toContain(`\`${b.name}.xdc\``);
    });
  }
});

describe('Zynq-7000 part names', () => {
  it('takes device + package + speed grade for every Zynq-7000 device', () => {
    for (const d of ZYNQ7000_DEVICES) expect(parseZynqPart(`${d}clg400-1`)?.device).toBe(d);
    expect(parseZynqPart('XC7Z045FFG900-2')).toEqual({ part: 'xc7z045ffg900-2', device: 'xc7z045', pkg: 'ffg900', speed: '2' });
    expect(parseZynqPart('xc7z100ffg1156-2')?.pkg).toBe('ffg1156');
  });

  it('refuses other families, missing packages or speed grades, and non-parts', () => {
    for (const bad of ['xc7a35tcpg236-1', 'xc7z020', 'xc7z020clg400', 'xc7z020-1', 'xc7z0200clg400-1', 'xczu3eg-sbva484-1-e', 'xc7z020clg400-4', 'pynq-z2', '']) {
      expect(parseZynqPart(bad), bad).toBeUndefined();
    }
  });
});

describe('--board and --part', () => {
  it('no flag: the default board and its part', () => {
    const t = resolveTarget();
    expect(t.board?.name).toBe('pynq-z2');
    expect(t.part).toBe('xc7z020clg400-1');
  });

  it('--board sets the part; --part alone has no board', () => {
    expect(resolveTarget({ board: 'ZedBoard' }).part).toBe('xc7z020clg484-1');
    expect(resolveTarget({ part: 'xc7z030sbg485-1' })).toEqual({ board: null, part: 'xc7z030sbg485-1' });
    expect(resolveTarget({ board: 'zybo-z7-10', part: 'xc7z010clg400-1' }).board?.name).toBe('zybo-z7-10');
  });

  it('an unknown board names the flag and lists the boards', () => {
    const e = errorOf(() => resolveTarget({ board: 'pynq-z1' }));
    expect(e.message).toMatch(/^--board: "pynq-z1" is not a board/);
    for (const b of BOARDS) expect(e.message).toContain(b.name);
    expect(e.message).toContain('--part');
  });

  it('a bad part names the flag, shows the form and lists the boards', () => {
    const e = errorOf(() => resolveTarget({ part: 'xc7a35t' }));
    expect(e.message).toMatch(/^--part: "xc7a35t" is not a Zynq-7000 part name/);
    expect(e.message).toContain('xc7z020clg400-1');
    for (const d of ZYNQ7000_DEVICES) expect(e.message).toContain(d);
    for (const b of BOARDS) expect(e.message).toContain(b.name);
  });

  it('a part that is not the board\'s is an error, not a silent choice', () => {
    const e = errorOf(() => resolveTarget({ board: 'pynq-z2', part: 'xc7z010clg400-1' }));
    expect(e.message).toMatch(/^--part: xc7z010clg400-1 is not the part on --board pynq-z2 \(xc7z020clg400-1\)/);
  });

  it('a PL clock the PS cannot make names --clock-mhz', () => {
    const plan = planModel(loadModel(join(PACKAGE_ROOT, 'examples', 'yinyang.json')));
    for (const bad of [0, -5, 300, Number.NaN]) expect(errorOf(() => generateDesign(plan, { clockMHz: bad })).message).toMatch(/^--clock-mhz: /);
  });

  it('the manifest records the board and the actual part', () => {
    const plan = planModel(loadModel(join(PACKAGE_ROOT, 'examples', 'yinyang.json')));
    const manifest = (o: Parameters<typeof generateDesign>[1]) =>
      JSON.parse(generateDesign(plan, o).files.find((f) => f.path === 'manifest.json')!.content) as { board: string | null; part: string; clockMHz: number };
    expect(manifest({})).toMatchObject({ board: 'pynq-z2', part: 'xc7z020clg400-1', clockMHz: 100 });
    expect(manifest({ board: 'zybo-z7-10' })).toMatchObject({ board: 'zybo-z7-10', part: 'xc7z010clg400-1' });
    expect(manifest({ part: 'xc7z045ffg900-2', clockMHz: 125 })).toMatchObject({ board: null, part: 'xc7z045ffg900-2', clockMHz: 125 });
    // 150 MHz is no IO PLL ÷ d0·d1: the fastest FCLK below it is built, and the manifest says where it came from.
    expect(manifest({ clockMHz: 150 })).toMatchObject({ clockMHz: 142.857143, clock: { source: '--clock-mhz 150', ioPllMHz: 1000, divisor: 7 } });
    expect(manifest({})).toMatchObject({ clock: { source: 'the default', ioPllMHz: 1000, divisor: 10 } });
    const files = generateDesign(plan, { part: 'xc7z045ffg900-2' }).files.map((f) => f.path);
    expect(files.some((f) => f.startsWith('constraints/'))).toBe(false);
  });
});
