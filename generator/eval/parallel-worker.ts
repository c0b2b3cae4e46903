/**
 * The golden model over chunks of inputs, in a worker thread or in the calling one (eval/parallel.ts).
 * Workers take chunks from a shared counter, so a busy core takes fewer; every result goes to the slot of
 * its input and every sum is of integers, so the answer does not depend on who ran what.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { GoldenModel } from '../golden/infer.js';
import type { PlannedModel } from '../ir/types.js';

/** Control words in `Job.control`. */
export const CTRL = { nextChunk: 0, doneInputs: 1, finished: 2, failed: 3, signal: 4 } as const;
export const CTRL_WORDS = 5;

export interface Job {
  plan: PlannedModel;
  /** n × size input bytes. */
  inputs: Uint8Array;
  n: number;
  chunk: number;
  /** n × C final votes. */
  counts: Int32Array;
  /** n × (S·T) × C votes after every timestep, or null. */
  votesAt: Int32Array | null;
  /** Per chunk: spikes of each layer, then synaptic events (integers, so their sum is exact in any order). */
  sums: Float64Array;
  control: Int32Array;
}

/** Run chunks until none is left. */
export function runChunks(job: Job): void {
  const { plan, inputs, n, chunk, counts, votesAt, sums, control } = job;
  const golden = new GoldenModel(plan);
  const size = plan.input.size;
  const C = plan.outputs;
  const nL = plan.layers.length;
  const steps = plan.samples * plan.timesteps * C;
  for (let c = Atomics.add(control, CTRL.nextChunk, 1); c * chunk < n; c = Atomics.add(control, CTRL.nextChunk, 1)) {
    const end = Math.min(n, (c + 1) * chunk);
    for (let i = c * chunk; i < end; i++) {
      const r = golden.infer(inputs.subarray(i * size, (i + 1) * size), { votesAt: votesAt !== null });
      counts.set(r.counts, i * C);
      if (votesAt) votesAt.set(r.votesAt!, i * steps);
      for (let l = 0; l < nL; l++) sums[c * (nL + 1) + l] += r.spikesPerLayer[l];
      sums[c * (nL + 1) + nL] += r.synapticEvents;
    }
    Atomics.add(control, CTRL.doneInputs, end - c * chunk);
    Atomics.add(control, CTRL.signal, 1);
    Atomics.notify(control, CTRL.signal);
  }
}

/** A worker: runs each job it is sent, then says it has finished (or failed, with the message on its port). */
function serve(port: MessagePort): void {
  port.on('message', (job: Job) => {
    try {
      runChunks(job);
    } catch (e) {
      port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      Atomics.store(job.control, CTRL.failed, 1);
    }
    Atomics.add(job.control, CTRL.finished, 1);
    Atomics.add(job.control, CTRL.signal, 1);
    Atomics.notify(job.control, CTRL.signal);
  });
}

const data = workerData as { bsnnGolden?: MessagePort; ready?: Int32Array } | null;
if (!isMainThread && parentPort && data?.bsnnGolden && data.ready) {
  serve(data.bsnnGolden);
  Atomics.store(data.ready, 0, 1);
  Atomics.notify(data.ready, 0);
}
