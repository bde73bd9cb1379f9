import type { ProgressEvent, ProgressPhase } from '@annkit/core';

/** Steps of preparing a dataset, reported through `onProgress` (and the stderr bar). */
export type DatasetStage = 'download' | 'extract' | 'groundtruth';

export interface DatasetProgressEvent extends ProgressEvent {
  readonly stage: DatasetStage;
}

export interface ReporterOptions {
  quiet?: boolean;
  onProgress?: (event: DatasetProgressEvent) => void;
}

const PHASE: Record<DatasetStage, ProgressPhase> = { download: 'load', extract: 'load', groundtruth: 'groundtruth' };

/**
 * One stage's progress: forwards about a hundred events to `onProgress` and draws a bar on stderr
 * (redrawn in place on a terminal, one line per 10% otherwise) unless `quiet`.
 */
export class StageReporter {
  private readonly stage: DatasetStage;
  private readonly label: string;
  private readonly unit: 'bytes' | string;
  private readonly opts: ReporterOptions;
  private readonly started = performance.now();
  private readonly tty = Boolean(process.stderr.isTTY);
  private nextEvent = 0;
  private lastDraw = 0;
  private nextDecile = 0;
  private done = 0;
  private total = 0;

  /** `unit` is 'bytes' (shown in MB) or the name of the counted items, e.g. 'queries'. */
  constructor(stage: DatasetStage, label: string, unit: 'bytes' | string, opts: ReporterOptions) {
    this.stage = stage;
    this.label = label;
    this.unit = unit;
    this.opts = opts;
  }

  update(done: number, total: number): void {
    this.done = done;
    this.total = total;
    if (done >= this.nextEvent || done === total) {
      this.nextEvent = done + Math.max(1, Math.floor(total / 100));
      this.opts.onProgress?.({ phase: PHASE[this.stage], stage: this.stage, done, total });
    }
    if (this.opts.quiet) return;
    const now = performance.now();
    if (this.tty) {
      if (now - this.lastDraw >= 100 || done === total) {
        this.lastDraw = now;
        process.stderr.write(`\r${this.line()}\x1b[K`);
      }
    } else if (total > 0 && done < total && done / total >= this.nextDecile / 10) {
      // Logs (not a terminal): one line per 10%; finish() prints the last one.
      this.nextDecile = Math.floor((done / total) * 10) + 1;
      process.stderr.write(`${this.line()}\n`);
    }
  }

  /** Marks the stage complete and ends the bar's line with the elapsed time. */
  finish(note = ''): void {
    if (this.done !== this.total || this.nextEvent <= this.total) {
      this.done = this.total;
      this.opts.onProgress?.({ phase: PHASE[this.stage], stage: this.stage, done: this.total, total: this.total });
    }
    if (this.opts.quiet) return;
    const secs = ((performance.now() - this.started) / 1000).toFixed(1);
    const text = `${this.line()}  done in ${secs}s${note ? `  ${note}` : ''}`;
    process.stderr.write(this.tty ? `\r${text}\x1b[K\n` : `${text}\n`);
  }

  /** Reports an event without drawing (e.g. the start of a step whose size is not known yet). */
  event(done: number, total: number): void {
    this.opts.onProgress?.({ phase: PHASE[this.stage], stage: this.stage, done, total });
  }

  /** A message on its own line, e.g. while waiting for a step that reports no progress. */
  note(message: string): void {
    if (!this.opts.quiet) process.stderr.write(`${this.label}: ${message}\n`);
  }

  private line(): string {
    const { done, total } = this;
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const secs = Math.max(1e-3, (performance.now() - this.started) / 1000);
    const rate = done / secs;
    const eta = rate > 0 && done < total ? `  ETA ${Math.ceil((total - done) / rate)}s` : '';
    const fmt = this.unit === 'bytes' ? (x: number) => (x / 1e6).toFixed(1) : (x: number) => String(Math.round(x));
    const unit = this.unit === 'bytes' ? 'MB' : this.unit;
    const rateText = this.unit === 'bytes' ? `${(rate / 1e6).toFixed(1)} MB/s` : `${rate.toFixed(rate < 10 ? 1 : 0)} ${unit}/s`;
    return `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(1).padStart(5)}%  ${fmt(done)}/${fmt(total)} ${unit}  ${rateText}${eta}`;
  }
}
