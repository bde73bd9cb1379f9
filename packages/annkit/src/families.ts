import { annoyFamily } from '@annkit/annoy';
import { flatFamily } from '@annkit/flat';
import { hnswFamily } from '@annkit/hnsw';
import { ivfFamily } from '@annkit/ivf';
import { pqFamily } from '@annkit/pq';
import { sqFamily } from '@annkit/sq';

/**
 * Every index family annkit ships. createIndex, load, describe, the benchmark and the browser harness
 * iterate this list (plus any registerFamily() adds); a new family is its package and one line here.
 */
export const BUILTIN_FAMILIES = [flatFamily, sqFamily, pqFamily, ivfFamily, hnswFamily, annoyFamily] as const;
