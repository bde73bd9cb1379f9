import { corrupt, toBytes } from '@annkit/core';
import type { BytesInput, LoadOptions, VectorIndex } from '@annkit/core';
import { chosenKernels } from './defaults.js';
import { familyOfFourcc } from './registry.js';

const MAGIC = [0x41, 0x4e, 0x4e, 0x4b]; // "ANNK"

/**
 * Loads any .annk bytes (a Uint8Array, Node Buffer or ArrayBuffer) by the kind in their header, with
 * the registered family's deserialize. Kernels: the given ones, else init()'s, else the default ('auto').
 */
export function load(bytes: BytesInput, options?: LoadOptions): VectorIndex {
  const data = toBytes(bytes);
  if (data.length < 8 || MAGIC.some((b, i) => data[i] !== b)) throw corrupt('the bytes do not start with the "ANNK" magic');
  const fourcc = String.fromCharCode(data[4]!, data[5]!, data[6]!, data[7]!);
  const family = familyOfFourcc(fourcc);
  // An unknown kind may be a damaged header: the family readers check the CRC, so report corruption.
  if (family === undefined) throw corrupt(`unknown index kind "${fourcc}"`);
  const kernels = options?.kernels ?? chosenKernels();
  return family.deserialize(data, kernels === undefined ? options : { ...options, kernels });
}
