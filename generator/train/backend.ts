/**
 * The tfjs backend for training: WebAssembly (XNNPACK, about 30× the pure-JS cpu backend on these machines),
 * falling back to cpu. It runs on one thread under Node: tfjs 4.22's WASM_HAS_MULTITHREAD_SUPPORT flag is false
 * there (tfjs issue 3830), so the thread count asked for below only matters where the flag is true.
 * `@tensorflow/tfjs-node` cannot be installed here (its install downloads a native library), so it is not used.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's Node bundle registers no gradients; the umbrella package's bundle registers them into the same core.
import '@tensorflow/tfjs';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { availableParallelism } from 'node:os';

export type BackendName = 'wasm' | 'cpu';

let ready: Promise<BackendName> | null = null;

export function useBackend(preferred: BackendName = 'wasm'): Promise<BackendName> {
  ready ??= (async () => {
    if (preferred === 'wasm') {
      try {
        setThreadsCount(Math.max(1, Math.min(4, availableParallelism())));
      } catch {
        // Thread count can only be set before the backend starts; a second call is harmless.
      }
      if (await tf.setBackend('wasm').catch(() => false)) {
        await tf.ready();
        return 'wasm';
      }
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return 'cpu';
  })();
  return ready;
}

export { tf };
