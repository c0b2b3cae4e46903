/**
 * `node bin/bsnn.js ...args` as a child process, awaited, never spawnSync: a test that runs the CLI many times
 * would block its worker for minutes on a busy machine, and vitest's worker RPC times out after one.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BSNN_BIN = fileURLToPath(new URL('../../bin/bsnn.js', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in `cwd` (the callers' temporary folders); `timeout` kills it, as spawnSync's did. */
export function runBsnn(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): Promise<CliRun> {
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [BSNN_BIN, ...args], { cwd: opts.cwd, env: opts.env ?? process.env, timeout: opts.timeout });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    p.on('error', fail);
    p.on('close', (status) => done({ status, stdout, stderr }));
  });
}
