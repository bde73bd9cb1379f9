/** Shared description of the three TEXMEX formats: each row is an int32 LE dim, then dim values (LE). */
export type VecsArray = Float32Array | Int32Array | Uint8Array;

export interface VecsKind<T extends VecsArray> {
  readonly name: 'fvecs' | 'ivecs' | 'bvecs';
  readonly elemBytes: 1 | 4;
  alloc(length: number): T;
  view(buffer: ArrayBufferLike, byteOffset: number, length: number): T;
}

export const FVECS: VecsKind<Float32Array> = {
  name: 'fvecs',
  elemBytes: 4,
  alloc: (length) => new Float32Array(length),
  view: (buffer, byteOffset, length) => new Float32Array(buffer, byteOffset, length),
};

export const IVECS: VecsKind<Int32Array> = {
  name: 'ivecs',
  elemBytes: 4,
  alloc: (length) => new Int32Array(length),
  view: (buffer, byteOffset, length) => new Int32Array(buffer, byteOffset, length),
};

export const BVECS: VecsKind<Uint8Array> = {
  name: 'bvecs',
  elemBytes: 1,
  alloc: (length) => new Uint8Array(length),
  view: (buffer, byteOffset, length) => new Uint8Array(buffer, byteOffset, length),
};

/** Typed-array views read the host's byte order; the formats are little-endian. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
