import type { ResultRow } from './job.js';

/** Rows not dominated by another row of any index (higher-or-equal recall and QPS, one strictly). */
export function paretoFrontier(rows: readonly ResultRow[]): Set<ResultRow> {
  const ok = rows.filter((r) => !r.error);
  return new Set(ok.filter((r) => !ok.some((o) => o !== r && o.recall >= r.recall && o.qps >= r.qps && (o.recall > r.recall || o.qps > r.qps))));
}

/** Best QPS among an index's rows reaching `recall` (NaN when none does). */
export function qpsAtRecall(rows: readonly ResultRow[], recall: number): number {
  let best = NaN;
  for (const r of rows) if (!r.error && r.recall >= recall && !(r.qps <= best)) best = r.qps;
  return best;
}

export function groupByIndex(rows: readonly ResultRow[]): Map<string, ResultRow[]> {
  const groups = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const key = `${r.library} ${r.label}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return groups;
}

const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '–');
const params = (p: Record<string, number>) => Object.entries(p).map(([k, v]) => `${k}=${v}`).join(' ') || '–';

/** Markdown table of every row; Pareto-optimal rows are marked with ★. */
export function markdownTable(rows: readonly ResultRow[]): string {
  const frontier = paretoFrontier(rows);
  const head = '| index | search params | recall@k | QPS | p50 ms | p99 ms | build s | bytes/vec | backend | |\n|---|---|---:|---:|---:|---:|---:|---:|---|---|';
  const lines = rows.map((r) =>
    r.error
      ? `| ${r.library} ${r.label} | – | error | | | | | | | ${r.error.slice(0, 80)} |`
      : `| ${r.library} ${r.label} | ${params(r.searchParams)} | ${r.recall.toFixed(4)} | ${fmt(r.qps)} | ${fmt(r.p50Ms, 3)} | ${fmt(r.p99Ms, 3)} | ${fmt(r.buildSeconds, 2)} | ${fmt(r.bytesPerVector)} | ${r.backend} | ${frontier.has(r) ? '★' : ''} |`,
  );
  return [head, ...lines].join('\n');
}

/** One line per index: best QPS at recall 0.9 / 0.95 / 0.99, with build time and bytes per vector. */
export function summaryTable(rows: readonly ResultRow[]): string {
  const head = '| index | QPS @0.90 | QPS @0.95 | QPS @0.99 | max recall | build s | bytes/vec |\n|---|---:|---:|---:|---:|---:|---:|';
  const lines = [...groupByIndex(rows)].map(([key, rs]) => {
    const ok = rs.filter((r) => !r.error);
    if (ok.length === 0) return `| ${key} | error: ${rs[0]?.error?.slice(0, 60) ?? ''} | | | | | |`;
    const maxRecall = Math.max(...ok.map((r) => r.recall));
    return `| ${key} | ${fmt(qpsAtRecall(ok, 0.9))} | ${fmt(qpsAtRecall(ok, 0.95))} | ${fmt(qpsAtRecall(ok, 0.99))} | ${maxRecall.toFixed(4)} | ${fmt(ok[0]!.buildSeconds, 2)} | ${fmt(ok[0]!.bytesPerVector)} |`;
  });
  return [head, ...lines].join('\n');
}

/** Ratios of an annkit index to a peer measured in the same run (QPS at equal recall, build time, bytes). */
export interface PeerComparison {
  ours: string;
  peer: string;
}

export function comparisonLines(rows: readonly ResultRow[], pairs: readonly PeerComparison[]): string[] {
  const groups = groupByIndex(rows);
  const out: string[] = [];
  for (const { ours, peer } of pairs) {
    const a = groups.get(ours)?.filter((r) => !r.error);
    const b = groups.get(peer)?.filter((r) => !r.error);
    if (!a?.length || !b?.length) continue;
    const parts = [0.9, 0.95, 0.99]
      .map((t) => [t, qpsAtRecall(a, t) / qpsAtRecall(b, t)] as const)
      .filter(([, r]) => Number.isFinite(r))
      .map(([t, r]) => `QPS@${t} ×${r.toFixed(2)}`);
    parts.push(`build ×${(a[0]!.buildSeconds / b[0]!.buildSeconds).toFixed(2)}`, `bytes/vec ×${(a[0]!.bytesPerVector / b[0]!.bytesPerVector).toFixed(2)}`);
    out.push(`${ours} vs ${peer}: ${parts.join(', ')}`);
  }
  return out;
}
