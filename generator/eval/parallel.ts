/**
 * The golden model over many inputs on every core (issue 16: the MNIST evaluate with its baselines in ≤ 90 s
 * on two cores). Worker threads take chunks of the inputs; the caller waits synchronously (Atomics.wait), so
 * `evaluate` stays a plain function. Results are identical for any number of workers: each input's votes go
 * to its own slot and the spike sums are sums of integers.
 *
 * The worker code is the compiled `parallel-worker.js` beside this file. Run from TypeScript sources (vitest),
 * where there is none, the inputs run in the calling thread, as they do with one worker.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { PlannedModel } from '../ir/types.js';
import { BsnnError } from '../util/errors.js';
import { CTRL, CTRL_WORDS, runChunks, type Job } from './parallel-worker.js';
import { timestepsPlan } from './variants.js';

export interface GoldenRuns {
  /** Final votes of each input. */
  counts: Int32Array[];
  /** Spikes of each layer, summed over the inputs. */
  spikesPerLayer: Float64Array;
  synapticEvents: number;
  /** With `votesAt`: per input, the votes after every (sample, timestep), [(s·T + t)·C + c]. */
  votesAt?: Int32Array[];
  /** Threads that ran it (1: the calling thread). */
  threads: number;
}

export interface GoldenRunOptions {
  /** Record the votes after every timestep (the timestep curve from one run). */
  votesAt?: boolean;
  /** Called with (done, total, stage) as inputs complete. */
  onProgress?: (done: number, total: number, stage: string) => void;
  stage?: string;
}

/** Inputs per chunk: small enough to balance two busy cores, large enough that the counter is not contended. */
const CHUNK = 50;
/** Below this many inputs a worker's start-up costs more than it saves. */
const MIN_PARALLEL = 2 * CHUNK;

let workers = defaultWorkers();

/** One worker per core the process may use. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Worker threads for the golden model (1: the calling thread only). */
export function setGoldenWorkers(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new BsnnError(`--workers: ${n} is not an integer 1..256`);
  workers = n;
}

export function goldenWorkers(): number {
  return workers;
}

const WORKER_FILE = fileURLToPath(new URL('./parallel-worker.js', import.meta.url));

interface PoolWorker {
  worker: Worker;
  port: MessagePort;
}

let pool: PoolWorker[] = [];
/** A worker that does not start within this time (its modules failing to load, say) means: run in this thread. */
const START_MS = 120_000;

/** `n` started workers, or null when they cannot start. */
function ensurePool(n: number): PoolWorker[] | null {
  while (pool.length < n) {
    const { port1, port2 } = new MessageChannel();
    const ready = sharedInts(1);
    // No inherited node flags: --input-type or a loader meant for the main script would stop the worker.
    const worker = new Worker(WORKER_FILE, { workerData: { bsnnGolden: port2, ready }, transferList: [port2], execArgv: [] });
    // Idle workers must not keep the process alive; an error of a worker that never started must not end it.
    worker.unref();
    worker.on('error', () => {});
    port1.unref();
    // The worker's 'error' event needs this thread's event loop, which a synchronous caller does not run:
    // wait for the flag the worker sets once its modules are loaded.
    if (Atomics.wait(ready, 0, 0, START_MS) === 'timed-out' && Atomics.load(ready, 0) === 0) {
      void worker.terminate();
      return null;
    }
    pool.push({ worker, port: port1 });
  }
  return pool.slice(0, n);
}

/** Stop the pool's threads (tests; the process exits without it). */
export async function closeGoldenWorkers(): Promise<void> {
  const old = pool;
  pool = [];
  await Promise.all(old.map((w) => w.worker.terminate()));
}

function sharedInts(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * Math.max(1, n)));
}

/** The golden model (runtime seed 0) over every input, on `goldenWorkers()` threads. */
export function goldenRuns(plan: PlannedModel, inputs: readonly Uint8Array[], opts: GoldenRunOptions = {}): GoldenRuns {
  const n = inputs.length;
  const size = plan.input.size;
  const C = plan.outputs;
  const nL = plan.layers.length;
  const steps = plan.samples * plan.timesteps * C;
  const parallel = workers > 1 && n >= MIN_PARALLEL && existsSync(WORKER_FILE);
  const alloc = parallel ? sharedInts : (k: number) => new Int32Array(k);
  const chunks = Math.ceil(n / CHUNK);
  const flat = new Uint8Array(parallel ? new SharedArrayBuffer(Math.max(1, n * size)) : new ArrayBuffer(n * size));
  inputs.forEach((x, i) => flat.set(x, i * size));
  const job: Job = {
    plan,
    inputs: flat,
    n,
    chunk: CHUNK,
    counts: alloc(n * C),
    votesAt: opts.votesAt ? alloc(n * steps) : null,
    sums: new Float64Array(parallel ? new SharedArrayBuffer(8 * Math.max(1, chunks * (nL + 1))) : new ArrayBuffer(8 * chunks * (nL + 1))),
    control: alloc(CTRL_WORDS),
  };
  let threads = parallel ? Math.min(workers, chunks) : 1;
  if (threads === 1 || !runOnPool(job, threads, opts)) {
    threads = 1;
    runInThread(job, opts);
  }

  const spikesPerLayer = new Float64Array(nL);
  let synapticEvents = 0;
  for (let c = 0; c < chunks; c++) {
    for (let l = 0; l < nL; l++) spikesPerLayer[l] += job.sums[c * (nL + 1) + l];
    synapticEvents += job.sums[c * (nL + 1) + nL];
  }
  const counts = Array.from({ length: n }, (_, i) => job.counts.slice(i * C, (i + 1) * C));
  const votesAt = job.votesAt ? Array.from({ length: n }, (_, i) => job.votesAt!.slice(i * steps, (i + 1) * steps)) : undefined;
  return { counts, spikesPerLayer, synapticEvents, threads, ...(votesAt ? { votesAt } : {}) };
}

/** One chunk at a time in this thread, with progress between chunks. */
function runInThread(job: Job, opts: GoldenRunOptions): void {
  const chunks = Math.ceil(job.n / job.chunk);
  for (let c = 0; c < chunks; c++) {
    job.control[CTRL.nextChunk] = c;
    runChunks({ ...job, n: Math.min(job.n, (c + 1) * job.chunk) });
    opts.onProgress?.(Math.min(job.n, (c + 1) * job.chunk), job.n, opts.stage ?? 'model');
  }
}

/** Hand the job to `w` workers and wait for them, reporting progress as chunks complete; false if none start. */
function runOnPool(job: Job, w: number, opts: GoldenRunOptions): boolean {
  const ws = ensurePool(w);
  if (!ws) {
    console.error('bsnn: warning: worker threads did not start; running the golden model in one thread');
    return false;
  }
  for (const p of ws) p.port.postMessage(job);
  const ctrl = job.control;
  let reported = -1;
  for (;;) {
    const signal = Atomics.load(ctrl, CTRL.signal);
    const done = Atomics.load(ctrl, CTRL.doneInputs);
    if (opts.onProgress && done !== reported) opts.onProgress(done, job.n, opts.stage ?? 'model');
    reported = done;
    if (Atomics.load(ctrl, CTRL.finished) === w) break;
    Atomics.wait(ctrl, CTRL.signal, signal, 1000);
  }
  if (Atomics.load(ctrl, CTRL.failed)) {
    const errors = ws.map((p) => receiveMessageOnPort(p.port)?.message as { error?: string } | undefined).filter((m) => m?.error);
    throw new Error(`golden model worker failed: ${errors.map((m) => m!.error).join('\n') || 'no message'}`);
  }
  return true;
}

/**
 * The votes of every input had the model run T' = 1..T timesteps: [T' − 1][input]. With one sample, T' timesteps
 * are the first T' of a T-timestep run (every stream and state depends on earlier timesteps only), so one run
 * that records the votes after each timestep gives all of them. With S > 1 the samples start at different
 * points of the streams, so each T' is run on its own.
 */
export function votesPerTimestep(plan: PlannedModel, inputs: readonly Uint8Array[], onProgress?: GoldenRunOptions['onProgress']): Int32Array[][] {
  const T = plan.timesteps;
  const C = plan.outputs;
  if (plan.samples !== 1) {
    return Array.from({ length: T }, (_, t) => goldenRuns(timestepsPlan(plan, t + 1), inputs, { onProgress, stage: `T=${t + 1}` }).counts);
  }
  const run = goldenRuns(plan, inputs, { votesAt: true, onProgress, stage: `T=1..${T}` });
  return Array.from({ length: T }, (_, t) => run.votesAt!.map((v) => v.slice(t * C, (t + 1) * C)));
}
