import { annkitAdapter } from './annkit.js';
import type { BenchAdapter } from './types.js';

export function flatAdapter(): BenchAdapter {
  return annkitAdapter({ spec: 'Flat', grid: [{}] });
}
