/**
 * Synthesis with Yosys `synth_xilinx` for 7-series, natively (Debian `yosys`) or in WebAssembly
 * (`@yowasp/yosys` from npm, no system install). Pre-place-and-route figures: no open P&R exists for xc7.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BsnnError } from '../util/errors.js';

export type SynthEngine = 'native' | 'yowasp';

export interface SynthInput {
  top: string;
  /** Design files by path relative to the design folder: rtl/*.v and mem/*.mem. */
  files: { path: string; content: string }[];
}

export interface SynthOutput {
  /** Text of `stat -tech xilinx`. */
  stat: string;
  /** Netlist as `write_json`, when asked for. */
  netlist?: string;
  engine: SynthEngine;
  seconds: number;
}

export interface SynthOptions {
  engine?: SynthEngine;
  /** Called with the name of each Yosys pass as it starts (for a progress display). */
  onPass?: (pass: string) => void;
  /** Flatten the hierarchy (one total) or keep it (per-module figures). Default: keep. */
  flatten?: boolean;
  netlist?: boolean;
}

export function nativeYosysAvailable(): boolean {
  const r = spawnSync('yosys', ['-V'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

function script(input: SynthInput, vfiles: string[], opts: SynthOptions): string {
  return [
    `read_verilog ${vfiles.join(' ')}`,
    `synth_xilinx -family xc7 -noiopad${opts.flatten ? ' -flatten' : ''} -top ${input.top}`,
    'tee -q -o stat.txt stat -tech xilinx',
    // Timing wants one flat netlist; the statistics above keep the per-module figures.
    ...(opts.netlist ? ['flatten', 'write_json netlist.json'] : []),
  ].join('; ');
}

/** Report each "Executing X pass" line of a Yosys log as it streams by. */
function passWatcher(onPass: ((pass: string) => void) | undefined): (chunk: string) => void {
  let rest = '';
  return (chunk) => {
    if (!onPass) return;
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) {
      const m = /Executing ([A-Z0-9_]+) pass/.exec(l);
      if (m) onPass(m[1].toLowerCase());
    }
  };
}

/**
 * Run the native yosys without blocking the event loop (tests and the CLI stay responsive during long runs).
 * `onText` sees the log as it streams; a failure becomes a BsnnError with the log's last lines.
 */
export function runYosysNative(args: string[], cwd: string, onText?: (text: string) => void): Promise<string> {
  return new Promise((done, fail) => {
    const p = spawn('yosys', args, { cwd });
    const log: string[] = [];
    const take = (b: Buffer) => {
      const text = b.toString('utf8');
      onText?.(text);
      log.push(text);
      if (log.length > 400) log.splice(0, log.length - 400);
    };
    p.stdout.on('data', take);
    p.stderr.on('data', take);
    p.on('error', (e: NodeJS.ErrnoException) =>
      fail(new BsnnError(e.code === 'ENOENT' ? 'yosys is not installed (Debian: apt-get install yosys), or use the npm build: --synth yowasp' : e.message)),
    );
    p.on('close', (code) => {
      const text = log.join('');
      if (code === 0) done(text);
      else fail(new BsnnError(`yosys failed (exit ${code}):\n${text.trim().split('\n').slice(-20).join('\n')}`));
    });
  });
}

/** Synthesise with the native yosys; all files flat in one working folder ($readmemh names are bare). */
async function runNative(input: SynthInput, opts: SynthOptions): Promise<SynthOutput> {
  const work = mkdtempSync(join(tmpdir(), 'bsnn-synth-'));
  const t0 = performance.now();
  try {
    const names = input.files.map((f) => f.path.split('/').pop()!);
    input.files.forEach((f, i) => writeFileSync(join(work, names[i]), f.content));
    const vfiles = names.filter((n) => n.endsWith('.v'));
    await runYosysNative(['-p', script(input, vfiles, opts)], work, passWatcher(opts.onPass));
    return {
      stat: readFileSync(join(work, 'stat.txt'), 'utf8'),
      netlist: opts.netlist ? readFileSync(join(work, 'netlist.json'), 'utf8') : undefined,
      engine: 'native',
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Synthesise with @yowasp/yosys (WebAssembly): the files live in its in-memory tree. */
async function runYowasp(input: SynthInput, opts: SynthOptions): Promise<SynthOutput> {
  const { runYosys } = await import('@yowasp/yosys');
  const tree: Record<string, string> = {};
  for (const f of input.files) tree[f.path.split('/').pop()!] = f.content;
  const vfiles = Object.keys(tree).filter((n) => n.endsWith('.v'));
  const t0 = performance.now();
  let out: Record<string, unknown> | undefined;
  const log: string[] = [];
  const watch = passWatcher(opts.onPass);
  const sink = (bytes: Uint8Array | null) => {
    if (!bytes) return;
    const text = new TextDecoder().decode(bytes);
    watch(text);
    log.push(text);
  };
  try {
    out = (await runYosys(['-p', script(input, vfiles, opts)], tree, { stdout: sink, stderr: sink })) as Record<string, unknown> | undefined;
  } catch (e) {
    throw new BsnnError(`yosys (npm build) failed: ${(e as Error).message}\n${log.join('').trim().split('\n').slice(-20).join('\n')}`);
  }
  const text = (x: unknown) => (typeof x === 'string' ? x : x instanceof Uint8Array ? new TextDecoder().decode(x) : '');
  if (!out || out['stat.txt'] === undefined) throw new BsnnError(`yosys (npm build) produced no statistics:\n${log.join('').trim()}`);
  return { stat: text(out['stat.txt']), netlist: opts.netlist ? text(out['netlist.json']) : undefined, engine: 'yowasp', seconds: (performance.now() - t0) / 1000 };
}

export async function synthesise(input: SynthInput, opts: SynthOptions = {}): Promise<SynthOutput> {
  const engine = opts.engine ?? (nativeYosysAvailable() ? 'native' : 'yowasp');
  return engine === 'native' ? runNative(input, opts) : runYowasp(input, opts);
}

/** `stat -tech xilinx` → cell counts per module (`=== name ===` sections), and the design total if given. */
export function parseStat(stat: string): { modules: Map<string, Record<string, number>>; total: Record<string, number> | undefined } {
  const modules = new Map<string, Record<string, number>>();
  let total: Record<string, number> | undefined;
  let current: Record<string, number> | undefined;
  for (const line of stat.split('\n')) {
    const head = /^=== (.+) ===\s*$/.exec(line);
    if (head) {
      current = {};
      if (head[1] === 'design hierarchy') total = current;
      else modules.set(head[1], current);
      continue;
    }
    const cell = /^\s+([A-Z][A-Z0-9_]*)\s+(\d+)\s*$/.exec(line);
    if (cell && current) current[cell[1]] = (current[cell[1]] ?? 0) + Number(cell[2]);
  }
  return { modules, total };
}

export interface FlatSynthResult {
  /** Cell counts by type (LUT1..LUT6, FDRE, RAMB18E1, DSP48E1, ...). */
  cells: Record<string, number>;
  /** Cells of the block-RAM, DSP and latch types, by hierarchical name. */
  special: string[];
  log: string;
}

/** The native-yosys design folder run used by the RTL tests (flattened; names of block-RAM cells kept). */
export async function synthXilinxNative(designDir: string, top: string, rtlFiles: string[]): Promise<FlatSynthResult> {
  const lines = [
    `read_verilog ${rtlFiles.join(' ')}`,
    `synth_xilinx -family xc7 -flatten -noiopad -top ${top}`,
    'tee -q -o ../stat.txt stat -tech xilinx',
    'tee -q -o ../special.txt select -list t:RAMB18E1 t:RAMB36E1 t:DSP48E1 t:LDCE t:LDPE',
  ].join('; ');
  mkdirSync(join(designDir, 'mem'), { recursive: true });
  const log = await runYosysNative(['-q', '-p', lines], join(designDir, 'mem'));
  const cells: Record<string, number> = parseStat(readFileSync(join(designDir, 'stat.txt'), 'utf8')).modules.values().next().value ?? {};
  const special = readFileSync(join(designDir, 'special.txt'), 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
  return { cells, special, log };
}
