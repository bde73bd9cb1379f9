/** Percentile of sorted values (nearest rank). */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface LatencySummary {
  qps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** QPS from the summed per-query latencies (queries one at a time), and latency percentiles. */
export function summarizeLatencies(latenciesMs: Float64Array): LatencySummary {
  let total = 0;
  for (const t of latenciesMs) total += t;
  const sorted = Float64Array.from(latenciesMs).sort();
  return {
    qps: total > 0 ? (latenciesMs.length * 1000) / total : Infinity,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
  };
}
