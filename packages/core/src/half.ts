/*
 * IEEE 754 half precision <-> float32, round to nearest even. Values beyond the half range are clamped
 * to ±65504 (the largest finite half) so an encoded vector always decodes to finite numbers.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Half bits (0..65535) of a finite float. */
export function floatToHalf(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7bff; // only reached for non-finite input: clamp
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7bff;
  if (e <= 0) {
    // Subnormal half (or zero): shift the implicit leading one in and round to nearest even.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = mant & ((1 << shift) - 1);
    let m = mant >>> shift;
    if (rest > half || (rest === half && (m & 1) === 1)) m++;
    return sign | m;
  }
  let bits = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (bits & 1) === 1)) bits++;
  // Rounding up may carry into the exponent; past the largest finite half, clamp.
  if (bits >= 0x7c00) return sign | 0x7bff;
  return sign | bits;
}

/** Float value of half bits (computed once into a 64K-entry table). */
export function halfToFloat(bits: number): number {
  return halfTable()[bits & 0xffff]!;
}

let table: Float32Array | null = null;

/** The half → float lookup table (256 KB, built on first use). */
export function halfTable(): Float32Array {
  if (table !== null) return table;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) t[h] = sign * mant * 2 ** -24;
    else if (exp === 0x1f) t[h] = mant === 0 ? sign * Infinity : NaN;
    else t[h] = sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }
  table = t;
  return t;
}
