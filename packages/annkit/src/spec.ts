import { AnnkitError, DEFAULT_RERANK, specCount } from '@annkit/core';
import type { SpecTokens } from '@annkit/core';
import { families, familyOfToken } from './registry.js';
import type { AnyIndexFamily } from './registry.js';

/** A parsed factory string: the family's kind and the constructor options the string sets. */
export interface IndexSpec {
  family: string;
  options: Readonly<Record<string, unknown>>;
}

/** Every factory form the registered families accept. */
export function acceptedForms(): string {
  return families()
    .map((f) => f.forms)
    .join(' | ');
}

function specError(spec: string, token: string, why: string): AnnkitError {
  return new AnnkitError('INVALID_ARGUMENT', `Bad index spec "${spec}": "${token}" ${why}. Accepted forms: ${acceptedForms()}.`);
}

/** Splits a factory string and takes a trailing ",Rerank" / ",Rerank<k>" off. */
function tokenize(spec: string): SpecTokens {
  const fail = (token: string, why: string): never => {
    throw specError(spec, token, why);
  };
  const tokens = spec.split(',').map((t) => t.trim());
  const last = tokens.length > 1 ? /^rerank(\d*)$/i.exec(tokens[tokens.length - 1]!) : null;
  const rerankToken = last ? tokens.pop()! : '';
  const tokenized: SpecTokens = { spec, head: tokens[0]!, headArgument: '', rest: tokens.slice(1), rerank: 0, rerankToken, fail };
  if (!last) return tokenized;
  return { ...tokenized, rerank: last[1] === '' ? DEFAULT_RERANK : specCount(tokenized, rerankToken, last[1], 're-rank factor') };
}

/** The family a factory string names and the constructor options it sets; INVALID_ARGUMENT for a bad string. */
export function resolveSpec(spec: string): { family: AnyIndexFamily; options: Record<string, unknown> } {
  if (typeof spec !== 'string') throw new AnnkitError('INVALID_ARGUMENT', `An index spec is a string such as "HNSW32"; accepted forms: ${acceptedForms()}.`);
  const tokens = tokenize(spec);
  const family = familyOfToken(tokens.head);
  if (family === undefined) return tokens.fail(tokens.head, 'is not a known index');
  const options = family.parse({ ...tokens, headArgument: tokens.head.slice(family.head.length) });
  return { family, options: options as Record<string, unknown> };
}

/** Parses a FAISS-style factory string such as "IVF1024,PQ16,Rerank" or "HNSW32" (throws INVALID_ARGUMENT naming the bad token). */
export function parseSpec(spec: string): IndexSpec {
  const { family, options } = resolveSpec(spec);
  return { family: family.kind, options };
}
