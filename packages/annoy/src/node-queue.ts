/**
 * Max-priority queue of (priority, node) pairs in typed arrays, reused across searches: the nodes of
 * every tree still to explore, the most promising (largest margin bound) first.
 */
export class NodeQueue {
  private priority = new Float64Array(64);
  private node = new Int32Array(64);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  /** Priority of the top entry (only when size > 0). */
  get topPriority(): number {
    return this.priority[0]!;
  }

  push(p: number, node: number): void {
    if (this.size === this.node.length) this.grow();
    const pri = this.priority;
    const nodes = this.node;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(p, node, pri[parent]!, nodes[parent]!)) break;
      pri[i] = pri[parent]!;
      nodes[i] = nodes[parent]!;
      i = parent;
    }
    pri[i] = p;
    nodes[i] = node;
  }

  /** Removes the top entry and returns its node. */
  pop(): number {
    const pri = this.priority;
    const nodes = this.node;
    const top = nodes[0]!;
    const n = --this.size;
    if (n === 0) return top;
    const p = pri[n]!;
    const node = nodes[n]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(pri[r]!, nodes[r]!, pri[l]!, nodes[l]!) ? r : l;
      if (!before(pri[c]!, nodes[c]!, p, node)) break;
      pri[i] = pri[c]!;
      nodes[i] = nodes[c]!;
      i = c;
    }
    pri[i] = p;
    nodes[i] = node;
    return top;
  }

  private grow(): void {
    const pri = new Float64Array(this.priority.length * 2);
    pri.set(this.priority);
    const nodes = new Int32Array(this.node.length * 2);
    nodes.set(this.node);
    this.priority = pri;
    this.node = nodes;
  }
}

/** Whether (pa, na) comes out before (pb, nb): larger priority first, then the smaller node. */
function before(pa: number, na: number, pb: number, nb: number): boolean {
  return pa > pb || (pa === pb && na < nb);
}
