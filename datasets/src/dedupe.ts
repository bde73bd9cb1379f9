export interface DedupeResult {
  /** The kept rows, compacted at the front of the input's buffer (a view, no copy). */
  readonly data: Float32Array;
  readonly n: number;
  /** For each kept row, its index in the input. */
  readonly kept: Int32Array;
  readonly duplicates: number;
  readonly zeros: number;
}

/**
 * Removes exact duplicate rows (keeping the first) and, if asked, all-zero rows, IN PLACE.
 * Duplicates would make nearest neighbours ambiguous; zero rows have no direction under cosine.
 * Uses an open-addressing hash of the rows' bits; values compare with ===, so -0 equals 0 and NaN never matches.
 */
export function dedupeRows(data: Float32Array, dim: number, opts?: { dropZero?: boolean }): DedupeResult {
  const n = Math.floor(data.length / dim);
  const bits = new Uint32Array(data.buffer, data.byteOffset, n * dim);
  const cap = nextPow2(Math.max(16, n * 2));
  const table = new Int32Array(cap).fill(-1); // slot → kept row index (in the compacted output)
  const kept = new Int32Array(n);
  let out = 0;
  let zeros = 0;
  let duplicates = 0;
  for (let r = 0; r < n; r++) {
    const o = r * dim;
    let h = 0x811c9dc5;
    let nonZero = false;
    for (let i = 0; i < dim; i++) {
      const b = bits[o + i]! === 0x80000000 ? 0 : bits[o + i]!; // -0 hashes like 0
      if (b !== 0) nonZero = true;
      h = Math.imul(h ^ b, 0x01000193);
      h ^= h >>> 15;
    }
    if (!nonZero && opts?.dropZero) {
      zeros++;
      continue;
    }
    let slot = h & (cap - 1);
    let dup = false;
    for (; table[slot] !== -1; slot = (slot + 1) & (cap - 1)) {
      if (rowsEqual(data, table[slot]! * dim, o, dim)) {
        dup = true;
        break;
      }
    }
    if (dup) {
      duplicates++;
      continue;
    }
    if (out !== r) data.copyWithin(out * dim, o, o + dim);
    table[slot] = out;
    kept[out++] = r;
  }
  return { data: data.subarray(0, out * dim), n: out, kept: kept.slice(0, out), duplicates, zeros };
}

function rowsEqual(data: Float32Array, a: number, b: number, dim: number): boolean {
  for (let i = 0; i < dim; i++) if (data[a + i] !== data[b + i]) return false;
  return true;
}

function nextPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}
