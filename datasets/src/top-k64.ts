/**
 * Bounded max-heap of the k smallest (distance, id) pairs in float64, ties ordered by the smaller id.
 * (core's TopK stores float32 distances, which would merge neighbours that differ only in float64.)
 */
export class TopK64 {
  readonly k: number;
  private readonly dist: Float64Array;
  private readonly ids: Int32Array;
  private n = 0;

  constructor(k: number) {
    this.k = k;
    this.dist = new Float64Array(k);
    this.ids = new Int32Array(k);
  }

  reset(): void {
    this.n = 0;
  }

  /** Distance a candidate must beat (strictly, when ids arrive in increasing order); Infinity until full. */
  get bound(): number {
    return this.n < this.k ? Infinity : this.dist[0]!;
  }

  push(d: number, id: number): void {
    const dist = this.dist;
    const ids = this.ids;
    if (this.n < this.k) {
      let i = this.n++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(d, id, dist[p]!, ids[p]!)) break;
        dist[i] = dist[p]!;
        ids[i] = ids[p]!;
        i = p;
      }
      dist[i] = d;
      ids[i] = id;
      return;
    }
    if (!worse(dist[0]!, ids[0]!, d, id)) return;
    this.siftDown(d, id, this.n);
  }

  /** Writes the pairs closest first at `offset` and empties the heap; returns the count. */
  drain(outDist: Float64Array, outIds: Int32Array, offset: number): number {
    const count = this.n;
    for (let o = count - 1; o >= 0; o--) {
      outDist[offset + o] = this.dist[0]!;
      outIds[offset + o] = this.ids[0]!;
      const last = --this.n;
      if (last > 0) this.siftDown(this.dist[last]!, this.ids[last]!, last);
    }
    return count;
  }

  private siftDown(d: number, id: number, n: number): void {
    const dist = this.dist;
    const ids = this.ids;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      if (l + 1 < n && worse(dist[l + 1]!, ids[l + 1]!, dist[l]!, ids[l]!)) c = l + 1;
      if (!worse(dist[c]!, ids[c]!, d, id)) break;
      dist[i] = dist[c]!;
      ids[i] = ids[c]!;
      i = c;
    }
    dist[i] = d;
    ids[i] = id;
  }
}

/** Whether (da, ia) ranks after (db, ib). */
function worse(da: number, ia: number, db: number, ib: number): boolean {
  return da > db || (da === db && ia > ib);
}
