/** Running the real simulators: Icarus Verilog (iverilog + vvp) and Verilator with a C++ harness. */
import { spawnSync } from 'node:child_process';
import { BsnnError } from '../util/errors.js';

export type SimulatorName = 'iverilog' | 'verilator';

export interface SimRun {
  /** Folder with rtl/ and mem/ of the design; the simulators run with mem/ as working folder. */
  designDir: string;
  /** Folder for build products. */
  workDir: string;
  top: string;
  rtlFiles: string[];
  /** Testbench (Icarus) or harness (Verilator) source. */
  bench: string;
  inputsFile: string;
  /** One 32-bit hex runtime seed per inference (core testbench and harness only). */
  seedsFile?: string;
  traceFile: string;
  /** Icarus only: write the core's switching activity here. */
  vcdFile?: string;
}

const DEBIAN_PACKAGE: Record<string, string> = { iverilog: 'iverilog', vvp: 'iverilog', verilator: 'verilator g++ make' };

function run(cmd: string, args: string[], cwd: string, what: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && DEBIAN_PACKAGE[cmd]) throw new BsnnError(`${cmd} is not installed (Debian: apt-get install ${DEBIAN_PACKAGE[cmd]})`);
    throw new BsnnError(`${what}: ${r.error.message}`);
  }
  if (r.status !== 0) {
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new BsnnError(`${what} failed (exit ${r.status}):\n${out}`);
  }
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

export function runIcarus(s: SimRun): void {
  const vvp = `${s.workDir}/sim.vvp`;
  run('iverilog', ['-g2005', '-Wall', '-Wno-timescale', '-o', vvp, '-s', 'bsnn_tb', s.bench, ...s.rtlFiles], s.workDir, 'iverilog compile');
  const vcd = s.vcdFile ? [`+vcd=${s.vcdFile}`] : [];
  const seeds = s.seedsFile ? [`+seeds=${s.seedsFile}`] : [];
  const out = run('vvp', ['-n', vvp, `+inputs=${s.inputsFile}`, ...seeds, `+trace=${s.traceFile}`, ...vcd], `${s.designDir}/mem`, 'vvp simulation');
  if (/\bERROR\b|Unable to open/i.test(out)) throw new BsnnError(`vvp simulation reported an error:\n${out.trim()}`);
}

export function runVerilator(s: SimRun): void {
  const obj = `${s.workDir}/obj`;
  run(
    'verilator',
    ['--cc', '--exe', '--build', '-j', '2', '-Wno-fatal', '-Wno-lint', '-Wno-style', '--top-module', s.top, '--Mdir', obj, '-CFLAGS', '-O1', '-o', 'sim', s.bench, ...s.rtlFiles],
    s.workDir,
    'verilator build',
  );
  const seeds = s.seedsFile ? [`+seeds=${s.seedsFile}`] : [];
  run(`${obj}/sim`, [`+inputs=${s.inputsFile}`, ...seeds, `+trace=${s.traceFile}`], `${s.designDir}/mem`, 'verilator simulation');
}
