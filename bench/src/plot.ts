import type { ResultRow } from './job.js';
import { groupByIndex, paretoFrontier } from './report.js';

const WIDTH = 900;
const HEIGHT = 560;
const MARGIN = { left: 80, right: 260, top: 40, bottom: 60 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f', '#000000', '#aec7e8', '#ff9896', '#98df8a', '#c5b0d5', '#c49c94'];

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Recall (x) against QPS on a log scale (y), one line per index through its search-parameter sweep,
 * as ann-benchmarks draws it. A standalone SVG with no scripts or external resources.
 */
export function recallQpsSvg(rows: readonly ResultRow[], title: string): string {
  const groups = [...groupByIndex(rows.filter((r) => !r.error && r.qps > 0 && Number.isFinite(r.qps)))];
  const all = groups.flatMap(([, rs]) => rs);
  const minRecall = all.length ? Math.max(0, Math.floor(Math.min(...all.map((r) => r.recall)) * 10) / 10) : 0;
  const logMin = all.length ? Math.floor(Math.log10(Math.min(...all.map((r) => r.qps)))) : 0;
  const logMax = all.length ? Math.ceil(Math.log10(Math.max(...all.map((r) => r.qps)))) : 1;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (recall: number) => MARGIN.left + ((recall - minRecall) / (1 - minRecall || 1)) * plotW;
  const y = (qps: number) => MARGIN.top + plotH - ((Math.log10(qps) - logMin) / (logMax - logMin || 1)) * plotH;

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="100%" height="100%" fill="white"/>`);
  parts.push(`<text x="${WIDTH / 2 - MARGIN.right / 2}" y="22" text-anchor="middle" font-size="15">${escape(title)}</text>`);
  // Grid and axes: a line per power of ten of QPS, and every 0.1 (or 0.05) of recall.
  for (let p = logMin; p <= logMax; p++) {
    const yy = y(10 ** p);
    parts.push(`<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${yy + 4}" text-anchor="end">${(10 ** p).toLocaleString('en-US')}</text>`);
  }
  const step = 1 - minRecall > 0.35 ? 0.1 : 0.05;
  for (let r = minRecall; r <= 1.0001; r += step) {
    const xx = x(r);
    parts.push(`<line x1="${xx}" x2="${xx}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`);
    parts.push(`<text x="${xx}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${r.toFixed(2)}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 16}" text-anchor="middle">recall@k</text>`);
  parts.push(`<text transform="translate(20 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">queries per second (log scale, one thread)</text>`);

  groups.forEach(([name, rs], i) => {
    const color = COLORS[i % COLORS.length];
    const pts = [...rs].sort((a, b) => a.recall - b.recall);
    // As ann-benchmarks draws it: the line follows the index's own Pareto frontier; every point is a dot.
    const frontier = [...paretoFrontier(rs)].sort((a, b) => a.recall - b.recall);
    const d = frontier.map((r, j) => `${j === 0 ? 'M' : 'L'}${x(r.recall).toFixed(1)},${y(r.qps).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const r of pts) {
      const tip = `${name} ${Object.entries(r.searchParams).map(([k, v]) => `${k}=${v}`).join(' ')}: recall ${r.recall.toFixed(4)}, ${Math.round(r.qps)} QPS`;
      parts.push(`<circle cx="${x(r.recall).toFixed(1)}" cy="${y(r.qps).toFixed(1)}" r="3.5" fill="${color}"><title>${escape(tip)}</title></circle>`);
    }
    const ly = MARGIN.top + 10 + i * 20;
    parts.push(`<line x1="${WIDTH - MARGIN.right + 16}" x2="${WIDTH - MARGIN.right + 40}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/>`);
    parts.push(`<text x="${WIDTH - MARGIN.right + 46}" y="${ly + 4}">${escape(name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
