// What the README samples use without defining it: the data a reader brings. Declared once here (a global
// script, so a sample's own declaration of the same name shadows it) by scripts/check-readme-samples.mjs.
declare const dim: number;
declare const metric: import('@annkit/core').Metric;
declare const seed: number;
declare const kernels: import('@annkit/core').Kernels;
/** Your ids, one per row. */
declare const ids: number[];
declare const id: number;
declare const allowed: number[];
/** Row-major n × dim. */
declare const vectors: Float32Array;
declare const samples: Float32Array;
declare const query: Float32Array;
declare const q: Float32Array;
declare const v: Float32Array;
declare const newVector: Float32Array;
declare const bytes: Uint8Array;
declare const signal: AbortSignal;
declare function onProgress(e: import('@annkit/core').ProgressEvent): void;
declare const vector: Float32Array;
// Buffers and offsets of the low-level codec samples (sq, pq): n rows, row offsets, codes, output.
declare const n: number;
declare const a: number;
declare const b: number;
declare const off: number;
declare const aOff: number;
declare const bOff: number;
declare const qOff: number;
declare const srcOff: number;
declare const outOff: number;
declare const codeOff: number;
declare const codesOff: number;
declare const stride: number;
declare const src: Float32Array;
declare const table: Float32Array;
declare const codes: Uint8Array;
declare const slots: Int32Array;
/** An output buffer: codes (Uint8Array) for encode calls, floats (Float32Array) for decode and distances. */
declare const out: Uint8Array & Float32Array;
declare const store: import('@annkit/core').CodeStore;
