/**
 * Bounded max-heap keeping the k smallest (distance, label) pairs. Ties on distance are broken by the
 * smaller label so results are deterministic. Preallocated; reset() reuses it across searches.
 */
export class TopK {
  private dist: Float32Array;
  private label: Int32Array;
  private n = 0;
  private k = 0;

  constructor(capacity = 16) {
    this.dist = new Float32Array(Math.max(1, capacity));
    this.label = new Int32Array(Math.max(1, capacity));
  }

  reset(k: number): void {
    if (k > this.dist.length) {
      this.dist = new Float32Array(k);
      this.label = new Int32Array(k);
    }
    this.k = k;
    this.n = 0;
  }

  get size(): number {
    return this.n;
  }

  get full(): boolean {
    return this.n === this.k;
  }

  /** Distance a candidate must beat to enter (Infinity until full). */
  get threshold(): number {
    return this.n < this.k ? Infinity : this.dist[0]!;
  }

  /** Offers a pair; returns whether it was kept. */
  push(d: number, label: number): boolean {
    const dist = this.dist;
    const lab = this.label;
    if (this.n < this.k) {
      // Sift up from the new leaf.
      let i = this.n++;
      const df = Math.fround(d);
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(df, label, dist[p]!, lab[p]!)) break;
        dist[i] = dist[p]!;
        lab[i] = lab[p]!;
        i = p;
      }
      dist[i] = df;
      lab[i] = label;
      return true;
    }
    const df = Math.fround(d);
    if (!worse(dist[0]!, lab[0]!, df, label)) return false;
    this.siftDown(df, label, this.n);
    return true;
  }

  private siftDown(d: number, label: number, n: number): void {
    const dist = this.dist;
    const lab = this.label;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      const r = l + 1;
      if (r < n && worse(dist[r]!, lab[r]!, dist[l]!, lab[l]!)) c = r;
      if (!worse(dist[c]!, lab[c]!, d, label)) break;
      dist[i] = dist[c]!;
      lab[i] = lab[c]!;
      i = c;
    }
    dist[i] = d;
    lab[i] = label;
  }

  /** Empties the heap into `dists`/`labels` sorted closest first; returns the count. */
  drainSorted(dists: Float32Array, labels: Int32Array): number {
    const count = this.n;
    for (let out = count - 1; out >= 0; out--) {
      dists[out] = this.dist[0]!;
      labels[out] = this.label[0]!;
      const last = --this.n;
      if (last > 0) this.siftDown(this.dist[last]!, this.label[last]!, last);
    }
    return count;
  }
}

/** Whether (da, la) ranks after (db, lb). */
function worse(da: number, la: number, db: number, lb: number): boolean {
  return da > db || (da === db && la > lb);
}
