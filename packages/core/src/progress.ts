import { AnnkitError } from './errors.js';

export type ProgressPhase = 'train' | 'add' | 'build' | 'encode' | 'serialize' | 'load' | 'groundtruth' | 'search';

export interface ProgressEvent {
  readonly phase: ProgressPhase;
  readonly done: number;
  readonly total: number;
}

export interface LongTaskOptions {
  /**
   * Called about a hundred times per phase, and always when the phase completes. It must not change the
   * index it reports on (that throws INVALID_STATE); reads such as has() and size are fine.
   */
  onProgress?: (event: ProgressEvent) => void;
  /** Aborting throws AnnkitError('ABORTED') at the next checkpoint. */
  signal?: AbortSignal;
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new AnnkitError('ABORTED', `The operation was aborted${signal.reason !== undefined ? `: ${String(signal.reason)}` : ''}.`, { cause: signal.reason });
  }
}

/** Throttled progress reporting plus abort checkpoints for one phase of a long task. */
export class ProgressTracker {
  private readonly onProgress: ((e: ProgressEvent) => void) | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly phase: ProgressPhase;
  private readonly total: number;
  private readonly step: number;
  private nextReport: number;
  private current = 0;

  constructor(opts: LongTaskOptions | undefined, phase: ProgressPhase, total: number) {
    this.onProgress = opts?.onProgress;
    this.signal = opts?.signal;
    this.phase = phase;
    this.total = total;
    this.step = Math.max(1, Math.floor(total / 100));
    this.nextReport = this.step;
    throwIfAborted(this.signal);
    this.onProgress?.({ phase, done: 0, total });
  }

  /** Advances by `n`; reports and checks for abort when a reporting step is crossed. */
  tick(n = 1): void {
    this.current += n;
    if (this.current >= this.nextReport && this.current < this.total) {
      this.nextReport = this.current + this.step;
      throwIfAborted(this.signal);
      this.onProgress?.({ phase: this.phase, done: this.current, total: this.total });
    }
  }

  /** Reports completion; an abort that arrived after the last checkpoint still counts (callers roll back). */
  finish(): void {
    throwIfAborted(this.signal);
    this.current = this.total;
    this.onProgress?.({ phase: this.phase, done: this.total, total: this.total });
  }
}
