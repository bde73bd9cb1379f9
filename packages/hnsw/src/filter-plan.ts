import { LIVE } from './graph.js';
import type { HnswGraph } from './graph.js';

/** Live slots probed to estimate how selective a predicate filter is. */
const SAMPLE = 128;
/**
 * A filtered graph walk explores about (unfiltered cost) / selectivity nodes, since only that share of what
 * it meets can fill the beam; unfiltered cost is about ef·m distance computations (measured on GloVe).
 * Exact search costs one distance per allowed vector plus one filter call per vector.
 */
const PREDICATE_CALL_COST = 0.1;

/**
 * Chooses between the filtered graph walk and an exact scan of the allowed vectors, by the estimated
 * number of distance computations of each. Estimated selectivity comes from the allow-list size, or from
 * a fixed, evenly spaced sample of live slots for a predicate (deterministic, ≤ 128 filter calls).
 */
export function preferExact(graph: HnswGraph, ids: Float64Array, filter: (id: number) => boolean, allowListSize: number | null, ef: number): boolean {
  const live = graph.liveCount;
  if (live === 0) return true;
  let allowed: number;
  let filterCalls: number;
  if (allowListSize !== null) {
    allowed = Math.min(allowListSize, live);
    filterCalls = 0;
  } else {
    allowed = estimateAllowed(graph, ids, filter);
    filterCalls = live;
  }
  const selectivity = Math.max(allowed, 1) / live;
  const graphCost = (ef * graph.m) / selectivity;
  const exactCost = allowed + filterCalls * PREDICATE_CALL_COST;
  return exactCost <= graphCost;
}

function estimateAllowed(graph: HnswGraph, ids: Float64Array, filter: (id: number) => boolean): number {
  const live = graph.liveCount;
  const slots = graph.slotCount;
  const state = graph.state;
  if (live <= SAMPLE) {
    let pass = 0;
    for (let s = 0; s < slots; s++) if (state[s] === LIVE && filter(ids[s]!)) pass++;
    return pass;
  }
  let probed = 0;
  let pass = 0;
  const step = slots / SAMPLE;
  for (let i = 0; i < SAMPLE; i++) {
    // The first live slot at or after each evenly spaced position.
    let s = Math.floor(i * step);
    while (s < slots && state[s] !== LIVE) s++;
    if (s >= slots) break;
    probed++;
    if (filter(ids[s]!)) pass++;
  }
  return probed === 0 ? live : (pass / probed) * live;
}
