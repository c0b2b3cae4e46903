/** Progress bars on a terminal (cli-progress), plain lines when output is not a TTY (CI logs stay readable). */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number, payload: Record<string, string>): void;
  stop(): void;
}

/** A bar on stderr when it is a TTY; otherwise nothing (callers print their own summary lines). */
export function progressBar(format: string): Progress {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: true, etaBuffer: 50 }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total, payload) {
      if (!started) {
        bar.start(total, done, payload);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, payload);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
