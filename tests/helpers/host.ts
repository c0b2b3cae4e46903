/** Shared by the host-driver tests: the models and register maps they generate drivers for, and file helpers. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { AXI_REGISTERS, type AxiRegister } from '../../generator/emit/axi.js';
import { WRAPPER_REGISTER_MAP, type HostRegisterMap } from '../../generator/host/index.js';
import { planModel } from '../../generator/ir/plan.js';
import type { PlannedModel } from '../../generator/ir/types.js';
import { loadModel } from '../../generator/model/load.js';
import { PACKAGE_ROOT } from '../../generator/util/paths.js';
import { plannedRandom } from './designs.js';

/**
 * Both sides of the runtime-seed change, built from AXI_REGISTERS so that they stay valid whichever side the
 * wrapper is on: `seedWritable` false gives a read-only SEED and no MODEL_SEED (the first wrapper), true a
 * read-write SEED and a read-only MODEL_SEED after the last register.
 */
export function seedMap(seedWritable: boolean): HostRegisterMap {
  const registers: AxiRegister[] = AXI_REGISTERS.filter((r) => seedWritable || r.name !== 'MODEL_SEED').map((r) =>
    r.name === 'SEED' ? { ...r, access: seedWritable ? 'RW' : 'RO', description: seedWritable ? 'seed of the next inference' : 'master seed of the model' } : r,
  );
  if (seedWritable && !registers.some((r) => r.name === 'MODEL_SEED')) {
    registers.push({ name: 'MODEL_SEED', offset: Math.max(...registers.map((r) => r.offset)) + 4, access: 'RO', description: 'master seed of the model' });
  }
  return { ...WRAPPER_REGISTER_MAP, registers };
}

export interface HostCase {
  label: string;
  plan: PlannedModel;
  map: HostRegisterMap;
}

/** The bundled example, a random spiking model and a random potential-readout model; the example on both seed maps. */
export function hostCases(): HostCase[] {
  const yinyang = planModel(loadModel(join(PACKAGE_ROOT, 'examples/yinyang.json')));
  return [
    { label: 'yinyang', plan: yinyang, map: WRAPPER_REGISTER_MAP },
    {
      label: 'random spikes',
      plan: plannedRandom({ seed: 301, name: 'Rand_301', inputs: 10, layers: [12, 5], lanes: [4, 5], mode: 'per-sample', samples: 3, timesteps: 5 }),
      map: WRAPPER_REGISTER_MAP,
    },
    {
      label: 'random potential readout',
      plan: plannedRandom({ seed: 302, inputs: 6, layers: [8, 4], lanes: [4, 4], readout: 'potential', bias: true, encoding: 'direct' }),
      map: WRAPPER_REGISTER_MAP,
    },
    { label: 'yinyang, read-only SEED', plan: yinyang, map: seedMap(false) },
    { label: 'yinyang, read-write SEED and MODEL_SEED', plan: yinyang, map: seedMap(true) },
  ];
}

export { writeFiles } from '../../generator/util/atomic.js';

export interface RunResult {
  code: number | null;
  out: string;
}

/** Runs a program to completion without blocking the worker (vitest RPC stays responsive). */
export function run(cmd: string, args: string[], cwd?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', (e) => reject(new Error(`${cmd} could not be run (is it installed?): ${e.message}`)));
    p.on('close', (code) => resolve({ code, out }));
  });
}
