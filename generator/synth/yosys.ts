/**
 * Synthesis with Yosys `synth_xilinx` for 7-series: cell counts per type, and which memories became block
 * RAM. These are pre-place-and-route figures (no open P&R exists for xc7 here).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BsnnError } from '../util/errors.js';

export interface SynthResult {
  /** Cell counts by type (LUT1..LUT6, FDRE, RAMB18E1, DSP48E1, ...). */
  cells: Record<string, number>;
  /** Cells of the block-RAM, DSP and latch types, by hierarchical name. */
  special: string[];
  log: string;
}

/** Run the native `yosys` (Debian) on a generated design folder (with rtl/ and mem/). */
export function synthXilinxNative(designDir: string, top: string, rtlFiles: string[]): SynthResult {
  const script = [
    `read_verilog ${rtlFiles.join(' ')}`,
    `synth_xilinx -family xc7 -flatten -noiopad -top ${top}`,
    'tee -q -o ../stat.txt stat -tech xilinx',
    'tee -q -o ../special.txt select -list t:RAMB18E1 t:RAMB36E1 t:DSP48E1 t:LDCE t:LDPE',
  ].join('; ');
  const r = spawnSync('yosys', ['-q', '-p', script], { cwd: join(designDir, 'mem'), encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) throw new BsnnError((r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'yosys is not installed (Debian: apt-get install yosys)' : r.error.message);
  const log = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new BsnnError(`yosys failed (exit ${r.status}):\n${log.trim().split('\n').slice(-20).join('\n')}`);
  const cells: Record<string, number> = {};
  for (const m of readFileSync(join(designDir, 'stat.txt'), 'utf8').matchAll(/^\s+([A-Z][A-Z0-9_]*)\s+(\d+)\s*$/gm)) cells[m[1]] = Number(m[2]);
  const special = readFileSync(join(designDir, 'special.txt'), 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);
  return { cells, special, log };
}
