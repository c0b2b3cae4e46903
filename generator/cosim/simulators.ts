/** Running the real simulators: Icarus Verilog (iverilog + vvp) and Verilator with a C++ harness. */
import { spawn, spawnSync } from 'node:child_process';
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

/** One external command of a simulation. `check` inspects its output (e.g. for errors vvp reports with exit 0). */
interface Step {
  cmd: string;
  args: string[];
  cwd: string;
  what: string;
  check?: (out: string) => void;
}

function spawnError(cmd: string, what: string, error: Error): BsnnError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' && DEBIAN_PACKAGE[cmd]) return new BsnnError(`${cmd} is not installed (Debian: apt-get install ${DEBIAN_PACKAGE[cmd]})`);
  return new BsnnError(`${what}: ${error.message}`);
}

function finish(step: Step, status: number | null, out: string): void {
  if (status !== 0) {
    const tail = out.trim().split('\n').slice(-30).join('\n');
    throw new BsnnError(`${step.what} failed (exit ${status}):\n${tail}`);
  }
  step.check?.(out);
}

function runSteps(steps: Step[]): void {
  for (const step of steps) {
    const r = spawnSync(step.cmd, step.args, { cwd: step.cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.error) throw spawnError(step.cmd, step.what, r.error);
    finish(step, r.status, `${r.stdout ?? ''}${r.stderr ?? ''}`);
  }
}

/** The same, without blocking the event loop (test workers must keep answering while a simulator runs). */
async function runStepsAsync(steps: Step[], onStep?: (what: string) => void): Promise<void> {
  for (const step of steps) {
    onStep?.(step.what);
    const { status, out } = await new Promise<{ status: number | null; out: string }>((resolve, reject) => {
      const p = spawn(step.cmd, step.args, { cwd: step.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      p.on('error', (e) => reject(spawnError(step.cmd, step.what, e)));
      p.on('close', (code) => resolve({ status: code, out }));
    });
    finish(step, status, out);
  }
}

function icarusSteps(s: SimRun): Step[] {
  const vvp = `${s.workDir}/sim.vvp`;
  const vcd = s.vcdFile ? [`+vcd=${s.vcdFile}`] : [];
  const seeds = s.seedsFile ? [`+seeds=${s.seedsFile}`] : [];
  return [
    { cmd: 'iverilog', args: ['-g2005', '-Wall', '-Wno-timescale', '-o', vvp, '-s', 'bsnn_tb', s.bench, ...s.rtlFiles], cwd: s.workDir, what: 'iverilog compile' },
    {
      cmd: 'vvp',
      args: ['-n', vvp, `+inputs=${s.inputsFile}`, ...seeds, `+trace=${s.traceFile}`, ...vcd],
      cwd: `${s.designDir}/mem`,
      what: 'vvp simulation',
      check: (out) => {
        if (/\bERROR\b|Unable to open/i.test(out)) throw new BsnnError(`vvp simulation reported an error:\n${out.trim()}`);
      },
    },
  ];
}

function verilatorSteps(s: SimRun): Step[] {
  const obj = `${s.workDir}/obj`;
  const seeds = s.seedsFile ? [`+seeds=${s.seedsFile}`] : [];
  return [
    {
      cmd: 'verilator',
      args: ['--cc', '--exe', '--build', '-j', '2', '-Wno-fatal', '-Wno-lint', '-Wno-style', '--top-module', s.top, '--Mdir', obj, '-CFLAGS', '-O1', '-o', 'sim', s.bench, ...s.rtlFiles],
      cwd: s.workDir,
      what: 'verilator build',
    },
    { cmd: `${obj}/sim`, args: [`+inputs=${s.inputsFile}`, ...seeds, `+trace=${s.traceFile}`], cwd: `${s.designDir}/mem`, what: 'verilator simulation' },
  ];
}

export const runIcarus = (s: SimRun): void => runSteps(icarusSteps(s));
export const runVerilator = (s: SimRun): void => runSteps(verilatorSteps(s));
export const runIcarusAsync = (s: SimRun, onStep?: (what: string) => void): Promise<void> => runStepsAsync(icarusSteps(s), onStep);
export const runVerilatorAsync = (s: SimRun, onStep?: (what: string) => void): Promise<void> => runStepsAsync(verilatorSteps(s), onStep);
