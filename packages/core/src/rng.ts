/**
 * Seeded generator (xoshiro128**, seeded through splitmix32). Every randomised step of annkit takes one,
 * so the same seed and inputs give the same index. Its state serialises as four uint32s.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareGaussian = NaN;

  constructor(seed = 0x2545f491) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Uniform uint32. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of randomness. */
  float(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n) for n ≤ 2^32 (rejection sampling, no modulo bias). */
  int(n: number): number {
    if (n <= 1) return 0;
    const limit = 4294967296 - (4294967296 % n);
    let x = this.nextU32();
    while (x >= limit) x = this.nextU32();
    return x % n;
  }

  /** Standard normal (Box–Muller, caching the second value). */
  gaussian(): number {
    if (this.spareGaussian === this.spareGaussian) {
      const v = this.spareGaussian;
      this.spareGaussian = NaN;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareGaussian = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }

  /** `count` distinct integers from [0, n) (partial shuffle when dense, rejection when sparse). */
  sample(n: number, count: number): Int32Array {
    const m = Math.min(n, count);
    const out = new Int32Array(m);
    if (m * 4 > n) {
      const all = new Int32Array(n);
      for (let i = 0; i < n; i++) all[i] = i;
      for (let i = 0; i < m; i++) {
        const j = i + this.int(n - i);
        const t = all[i]!;
        all[i] = all[j]!;
        all[j] = t;
        out[i] = all[i]!;
      }
      return out;
    }
    const seen = new Set<number>();
    for (let i = 0; i < m; ) {
      const x = this.int(n);
      if (!seen.has(x)) {
        seen.add(x);
        out[i++] = x;
      }
    }
    return out;
  }

  getState(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  setState(state: ArrayLike<number>): void {
    this.s0 = state[0]! >>> 0;
    this.s1 = state[1]! >>> 0;
    this.s2 = state[2]! >>> 0;
    this.s3 = state[3]! >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareGaussian = NaN;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
