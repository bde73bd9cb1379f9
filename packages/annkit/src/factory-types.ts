import type { BaseIndexOptions, IndexFamily, VectorIndex } from '@annkit/core';
import type { BUILTIN_FAMILIES } from './families.js';

/**
 * Families added with registerFamily(), by any name, for the types of their factory strings:
 *
 * ```ts
 * declare module 'annkit' {
 *   interface RegisteredFamilies { reverse: typeof reverseScanFamily }
 * }
 * ```
 */
export interface RegisteredFamilies {}

/** Every family the types know: annkit's own and the registered ones. */
export type KnownFamily = (typeof BUILTIN_FAMILIES)[number] | RegisteredFamilies[keyof RegisteredFamilies];

/** The family whose head starts the factory string S (any case), or never; for a union, each member's. */
export type FamilyOf<S extends string> = S extends unknown ? MatchingFamily<Uppercase<S>, KnownFamily> : never;

/** The registered family whose factory-string head starts the (upper-cased) spec. */
export type MatchingFamily<U extends string, F> = F extends IndexFamily<infer _I, infer _O, infer H, infer _K> ? (U extends `${H}${string}` ? F : never) : never;

/** Options of createIndex when the spec is only known as a string at compile time. */
export interface AnyCreateIndexOptions extends BaseIndexOptions {
  /** Further family options (e.g. efConstruction for HNSW), passed to the constructor as they are. */
  [option: string]: unknown;
}

/** Marks a factory string no known family starts: the options argument then cannot type-check. */
export interface UnknownFactoryString<S extends string> {
  'a factory string starts with a family head (Flat, SQ, PQ, IVF, HNSW, Annoy, or a registered one)': S;
}

/**
 * The options createIndex(S, …) takes: the family's constructor options minus those the string sets
 * (so "HNSW32" takes efConstruction but not m, and a misspelt option does not compile).
 */
export type CreateIndexOptions<S extends string = string> = string extends S
  ? AnyCreateIndexOptions
  : S extends unknown
    ? [FamilyOf<S>] extends [never]
      ? UnknownFactoryString<S>
      : FamilyOf<S> extends IndexFamily<infer _I, infer O, infer _H, infer K>
        ? Omit<O, K>
        : never
    : never;

/** The index createIndex(S, …) returns: HnswIndex for "HNSW32", IvfIndex for "IVF64,SQ8", VectorIndex for a plain string. */
export type IndexOf<S extends string> = string extends S ? VectorIndex : FamilyOf<S> extends IndexFamily<infer I, infer _O, infer _H, infer _K> ? I : never;
