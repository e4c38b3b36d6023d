import { SingleBar, Presets } from 'cli-progress';
import type { Progress } from '../pipeline/run-source.js';

export interface ProgressDisplay {
  update(progress: Progress): void;
  stop(): void;
}

const mb = (bytes: number) => (bytes / 1_048_576).toFixed(1);

/**
 * Progress of one run: a live bar (rows, rows/s, bytes) on a terminal; on a pipe or in CI a plain
 * line at most every five seconds, so logs stay readable; nothing with --json.
 */
export function progressDisplay(source: string, mode: 'tty' | 'plain' | 'none'): ProgressDisplay {
  const started = Date.now();
  const rate = (read: number) => Math.round(read / Math.max((Date.now() - started) / 1000, 0.001));
  if (mode === 'none') return { update: () => {}, stop: () => {} };
  if (mode === 'plain') {
    let last = 0;
    return {
      update: ({ read, bytes }) => {
        if (Date.now() - last < 5000) return;
        last = Date.now();
        process.stderr.write(`${source}: ${read} rows, ${rate(read)} rows/s, ${mb(bytes)} MB\n`);
      },
      stop: () => {},
    };
  }
  const bar = new SingleBar(
    { format: `${source} | {value} rows | {rate} rows/s | {mb} MB`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  bar.start(0, 0, { rate: 0, mb: '0.0' });
  return {
    update: ({ read, bytes }) => bar.update(read, { rate: rate(read), mb: mb(bytes) }),
    stop: () => bar.stop(),
  };
}
