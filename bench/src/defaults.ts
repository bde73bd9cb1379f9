import type { PeerComparison } from './report.js';

/** The dataset the README's main command uses: GloVe built from an npm package, no other download. */
export const DEFAULT_DATASET = 'glove-100-angular-wink-100k';

/** Every family at sensible parameters, plus the native peers when installed. */
export function defaultIndexes(quick: boolean): string[] {
  void quick;
  return ['flat', 'hnswlib-bf'];
}

export const PEER_PAIRS: readonly PeerComparison[] = [{ ours: 'annkit-flat Flat', peer: 'hnswlib-node BruteforceSearch' }];
