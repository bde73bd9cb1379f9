import type { Metric } from '@annkit/core';

/** What one configuration of a family did in the page. */
export interface VariantReport {
  variant: string;
  metric: Metric;
  /** Tie-tolerant recall@k against FlatIndex computed in the page (1 = exact). */
  recall: number;
  /** serialize() length. */
  bytes: number;
  buildMs: number;
  searchMs: number;
}

export type FamilyStatus = 'ok' | 'missing' | 'failed';

export interface FamilyReport {
  family: string;
  backend: string;
  status: FamilyStatus;
  /** Why it is missing or failed. */
  message?: string;
  variants: VariantReport[];
  ms: number;
}

/** One pass of every family with one kernel backend. */
export interface BackendReport {
  requested: 'auto' | 'js';
  backend: string;
  families: FamilyReport[];
}

/** What the harness page leaves on `window.__annkitHarness` for the test to read. */
export interface HarnessResult {
  done: boolean;
  userAgent: string;
  wasmSupport: { simd: boolean; reason?: string };
  runs: BackendReport[];
  /** Set when the harness itself crashed (not a family). */
  fatal?: string;
}
