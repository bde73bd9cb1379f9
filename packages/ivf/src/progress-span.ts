import type { LongTaskOptions } from '@annkit/core';

/**
 * Maps the progress of one step of a multi-step task onto [from, to] of a single 'train' phase reported
 * to the caller in per-mille, so the caller sees one monotone sequence across steps.
 */
export function progressSpan(opts: LongTaskOptions | undefined, from: number, to: number): LongTaskOptions {
  const report = opts?.onProgress;
  return {
    signal: opts?.signal,
    onProgress:
      report === undefined
        ? undefined
        : (e) => {
            const frac = e.total > 0 ? e.done / e.total : 1;
            report({ phase: 'train', done: Math.round(from + (to - from) * frac), total: 1000 });
          },
  };
}
