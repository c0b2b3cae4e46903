/**
 * Give the worker's event loop a turn after every test. Many tests here block in spawnSync (simulators, the
 * CLI); back-to-back synchronous tests only yield microtasks, so vitest's RPC replies can wait in the queue
 * for longer than its fixed 60 s and the run fails with 'Timeout calling "onTaskUpdate"' although every test
 * passed (seen with tests/cli.test.ts, about 2 minutes of synchronous CLI runs).
 */
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
