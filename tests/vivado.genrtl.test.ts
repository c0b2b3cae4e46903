/**
 * `bsnn gen-rtl --board/--part` as users run it: the Vivado-ready tree, byte-identical twice, and clear
 * errors that write nothing.
 *
 * SAFETY: children run with cwd in a fresh temporary folder and --out inside it; `run` refuses anything that
 * resolves inside this repository before spawning.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOARDS } from '../generator/board/boards.js';
import { runBsnn, type CliRun } from './helpers/cli.js';

const REPO = realpathSync(fileURLToPath(new URL('..', import.meta.url)));
const EXAMPLE = join(REPO, 'examples', 'yinyang.json');
const inside = (p: string, dir: string) => p === dir || p.startsWith(dir + sep);

let TMP: string;

/** `node bin/bsnn.js ...args` in `cwd`, awaited (never spawnSync: a busy machine must not stall the worker). */
async function run(args: string[], cwd: string): Promise<CliRun> {
  const real = realpathSync(cwd);
  if (inside(real, REPO) || !inside(real, realpathSync(tmpdir()))) throw new Error(`test safety: cwd ${cwd}`);
  const i = args.indexOf('--out');
  if (i >= 0 && inside(resolve(cwd, args[i + 1]), REPO)) throw new Error(`test safety: --out ${args[i + 1]}`);
  if (!existsSync(join(REPO, 'dist', 'generator', 'cli', 'main.js'))) throw new Error('dist/ is missing: build first (npm test does)');
  return runBsnn(args, { cwd, timeout: 300_000 }); // a hang ceiling; both cores may be busy
}

function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

beforeAll(() => {
  TMP = mkdtempSync(join(tmpdir(), 'bsnn-genrtl-vivado-'));
});
afterAll(() => {
  if (TMP && !inside(realpathSync(TMP), REPO)) rmSync(TMP, { recursive: true, force: true });
});

describe('gen-rtl --board pynq-z2', () => {
  it('writes rtl/ mem/ constraints/pynq-z2.xdc vivado/build.tcl ip/component.xml manifest.json, the same bytes twice', async () => {
    const ws = mkdtempSync(join(TMP, 'pynq-'));
    const a = await run(['gen-rtl', EXAMPLE, '--board', 'pynq-z2', '--out', 'a'], ws);
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/wrote \d+ files for yinyang_top .*board pynq-z2, part xc7z020clg400-1/);
    const files = tree(join(ws, 'a'));
    const names = [...files.keys()];
    const top = new Set(names.map((n) => n.split('/')[0]));
    expect([...top].sort()).toEqual(['constraints', 'driver', 'ip', 'manifest.json', 'mem', 'rtl', 'vivado']);
    expect(names.filter((n) => n.startsWith('driver/')).sort()).toEqual(['driver/yinyang_driver.ts', 'driver/yinyang_example.c', 'driver/yinyang_pynq.py', 'driver/yinyang_regs.h', 'driver/yinyang_uio.dtso']);
    expect(names.filter((n) => n.startsWith('constraints/'))).toEqual(['constraints/pynq-z2.xdc']);
    expect(names.filter((n) => n.startsWith('vivado/'))).toEqual(['vivado/build.tcl']);
    expect(names.filter((n) => n.startsWith('ip/'))).toEqual(['ip/component.xml']);
    expect(names).toContain('rtl/yinyang_axi.v');
    expect(files.get('constraints/pynq-z2.xdc')!.equals(readFileSync(join(REPO, 'constraints', 'pynq-z2.xdc')))).toBe(true);
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { board: string; part: string; files: { path: string }[] };
    expect(manifest.board).toBe('pynq-z2');
    expect(manifest.part).toBe('xc7z020clg400-1');
    expect(manifest.files.map((f) => f.path).sort()).toEqual(names.filter((n) => n !== 'manifest.json').sort());

    const b = await run(['gen-rtl', EXAMPLE, '--board', 'pynq-z2', '--out', 'b'], ws);
    expect(b.status).toBe(0);
    const again = tree(join(ws, 'b'));
    expect([...again.keys()]).toEqual(names);
    for (const [k, v] of files) expect(again.get(k)!.equals(v), k).toBe(true);
    // No flag at all is the same board.
    const c = await run(['gen-rtl', EXAMPLE, '--out', 'c'], ws);
    expect(c.status).toBe(0);
    const dflt = tree(join(ws, 'c'));
    for (const [k, v] of files) expect(dflt.get(k)!.equals(v), k).toBe(true);
  });

  it('other boards and a bare --part change what they should', async () => {
    const ws = mkdtempSync(join(TMP, 'others-'));
    for (const b of BOARDS.filter((x) => x.name !== 'pynq-z2')) {
      const r = await run(['gen-rtl', EXAMPLE, '--board', b.name, '--out', b.name], ws);
      expect(r.status, r.stderr).toBe(0);
      const files = tree(join(ws, b.name));
      expect([...files.keys()].filter((n) => n.startsWith('constraints/'))).toEqual([`constraints/${b.name}.xdc`]);
      expect(files.get('vivado/build.tcl')!.toString('utf8')).toContain(`set part       ${b.part}\n`);
    }
    const r = await run(['gen-rtl', EXAMPLE, '--part', 'xc7z030sbg485-1', '--clock-mhz', '125', '--out', 'bare'], ws);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/part xc7z030sbg485-1, no board/);
    const files = tree(join(ws, 'bare'));
    expect([...files.keys()].some((n) => n.startsWith('constraints/'))).toBe(false);
    const tcl = files.get('vivado/build.tcl')!.toString('utf8');
    expect(tcl).toContain('set board      ""');
    expect(tcl).toContain('CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ 125');
  });
});

describe('gen-rtl --board/--part errors', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown board', ['--board', 'arty-z7'], /^bsnn: --board: "arty-z7" is not a board bsnn knows; the boards are pynq-z2, zedboard, zybo-z7-20, zybo-z7-10/],
    ['a part that is not Zynq-7000', ['--part', 'xc7a100tcsg324-1'], /^bsnn: --part: "xc7a100tcsg324-1" is not a Zynq-7000 part name.*pynq-z2, zedboard, zybo-z7-20, zybo-z7-10/],
    ['a part that is not the board\'s', ['--board', 'zedboard', '--part', 'xc7z020clg400-1'], /^bsnn: --part: xc7z020clg400-1 is not the part on --board zedboard/],
    ['a clock the PS cannot make', ['--clock-mhz', '400'], /^bsnn: --clock-mhz: 400 /],
  ];
  for (const [what, flags, message] of cases) {
    it(`${what}: exit 1, one clear line, nothing written`, async () => {
      const ws = mkdtempSync(join(TMP, 'err-'));
      const r = await run(['gen-rtl', EXAMPLE, ...flags, '--out', 'x'], ws);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/^ {4}at /m);
      expect(existsSync(join(ws, 'x'))).toBe(false);
      expect(readdirSync(ws)).toEqual([]);
    });
  }
});
