import type { ProgressEvent } from '@annkit/core';

/**
 * A progress bar on stderr. On a terminal it redraws one line; in logs (CI, pipes) it prints a line
 * every 25% so the output stays readable.
 */
export class ProgressBar {
  private readonly tty = Boolean(process.stderr.isTTY);
  private lastBucket = -1;
  private started = performance.now();
  private label = '';

  start(label: string): void {
    this.label = label;
    this.started = performance.now();
    this.lastBucket = -1;
  }

  update(e: ProgressEvent): void {
    const frac = e.total > 0 ? Math.min(1, e.done / e.total) : 1;
    const secs = (performance.now() - this.started) / 1000;
    const text = `${this.label} ${e.phase} ${e.done}/${e.total} ${(frac * 100).toFixed(0)}% ${secs.toFixed(1)}s`;
    if (this.tty) {
      const width = 24;
      const filled = Math.round(frac * width);
      process.stderr.write(`\r[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${text}\x1b[K`);
      if (frac >= 1) process.stderr.write('\n');
      return;
    }
    const bucket = Math.floor(frac * 4);
    if (bucket !== this.lastBucket) {
      this.lastBucket = bucket;
      process.stderr.write(`${text}\n`);
    }
  }

  note(text: string): void {
    if (this.tty) process.stderr.write(`\r\x1b[K`);
    process.stderr.write(`${text}\n`);
  }
}
