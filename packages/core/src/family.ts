import type { BaseIndexOptions, BytesInput, LoadOptions, VectorIndex } from './types.js';

/**
 * A factory string split into its tokens, as a family's parser sees it: "IVF1024,PQ16,Rerank" has head
 * "IVF1024", rest ["PQ16"] and rerank 10. A trailing ",Rerank" (or ",Rerank<k>") is taken off before the
 * family sees the tokens.
 */
export interface SpecTokens {
  /** The whole string, as given. */
  readonly spec: string;
  /** The first token ("IVF1024"). */
  readonly head: string;
  /** What follows the family's head in the first token ("1024" of "IVF1024", "" of "Flat"). */
  readonly headArgument: string;
  /** The tokens after the head, without a trailing Rerank. */
  readonly rest: readonly string[];
  /** The default re-rank factor a trailing ",Rerank" (10) or ",Rerank<k>" (k) asks for; 0 without one. */
  readonly rerank: number;
  /** That trailing token as written ("Rerank4"), or '' without one. */
  readonly rerankToken: string;
  /** Throws INVALID_ARGUMENT naming the bad token, why, and every accepted form. */
  fail(token: string, why: string): never;
}

/**
 * What the umbrella (createIndex, load, describe), the benchmark and the browser harness know about an
 * index family. Each index package exports one; adding a family is that package plus one line in the
 * umbrella's list (docs/adding-a-family.md).
 *
 * Type parameters: I the index class, O its constructor options, H the head token in upper case (the
 * factory's type follows it: `createIndex('HNSW32', …)` is an HnswIndex), K the options a factory string
 * sets (they cannot also be passed to createIndex).
 */
export interface IndexFamily<I extends VectorIndex = VectorIndex, O extends BaseIndexOptions = BaseIndexOptions, H extends string = string, K extends string = string> {
  /** The index's `kind` ('hnsw'). */
  readonly kind: string;
  /** The kind in the .annk header ('HNSW'); load() picks the family by it. */
  readonly fourcc: string;
  /** The upper-case start of its factory strings ('HNSW' for "HNSW32,SQ8"); no head may start another. */
  readonly head: H;
  /** Its factory forms, for error messages and docs: 'HNSW<m>[,Flat|SQ8[,Rerank[<k>]]]'. */
  readonly forms: string;
  /** The constructor options a factory string decides. */
  readonly specKeys: readonly K[];
  /** Search options that trade speed for recall ('efSearch'); a benchmark sweeps these. */
  readonly searchKnobs: readonly string[];
  /** A small configuration a harness can build and search with no family-specific code. */
  readonly example: { readonly spec: string; readonly search: Readonly<Record<string, number>> };
  /** The constructor options the tokens ask for; calls spec.fail on a token it does not accept. */
  parse(spec: SpecTokens): Partial<O>;
  create(options: O): I;
  deserialize(bytes: BytesInput, options?: LoadOptions): I;
  /** The canonical factory string of an index of this family (the reverse of parse), or null for another family's index. */
  describe(index: VectorIndex): string | null;
}
