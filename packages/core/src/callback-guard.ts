import { AnnkitError } from './errors.js';

/**
 * The public methods a user callback (a search `filter`, an `onProgress`) must not call on the index that
 * is running it: they change the index under the scan or batch in progress, or reuse the scratch (prepared
 * query, heaps, visited sets) of the search the callback is part of. Reads that touch no scratch — has(),
 * ids(), getVector(), size — stay allowed. Methods a family does not have are skipped.
 */
const GUARDED_METHODS = [
  'add',
  'addBatch',
  'upsert',
  'upsertBatch',
  'remove',
  'removeBatch',
  'train',
  'build',
  'rebuild',
  'compact',
  'search',
  'searchBatch',
  'serialize',
  'free',
] as const;

type AnyMethod = (...args: unknown[]) => unknown;

/**
 * Knows whether one of the index's user callbacks is running, and installs the guard on an index: each
 * guarded method throws INVALID_STATE while a callback runs, and the callbacks in its option arguments are
 * wrapped so the guard knows when they run. Only the callback's own frames are guarded, so a family's
 * methods may still call each other (upsertBatch → upsert) between callbacks.
 */
export class CallbackGuard {
  private depth = 0;

  /** Whether a user callback of this index is on the stack. */
  get inCallback(): boolean {
    return this.depth > 0;
  }

  /** Replaces each guarded method of `index` by one that checks the guard and wraps the callbacks it is given. */
  install(index: object, kindOf: () => string): void {
    const target = index as Record<string, unknown>;
    for (const name of GUARDED_METHODS) {
      const method = target[name];
      if (typeof method !== 'function') continue;
      const original = method as AnyMethod;
      Object.defineProperty(index, name, {
        configurable: true,
        writable: true,
        value: (...args: unknown[]): unknown => {
          if (this.depth > 0) {
            throw new AnnkitError('INVALID_STATE', `${name}() was called on this ${kindOf()} index from inside one of its own filter or onProgress callbacks; call it after the running operation returns.`);
          }
          return original.apply(index, args.map((arg) => this.wrapOptions(arg)));
        },
      });
    }
  }

  /** A copy of an options object whose function `filter` and `onProgress` mark the guard while they run. */
  private wrapOptions(arg: unknown): unknown {
    if (arg === null || typeof arg !== 'object' || ArrayBuffer.isView(arg) || Array.isArray(arg)) return arg;
    const opts = arg as { filter?: unknown; onProgress?: unknown };
    const filter = typeof opts.filter === 'function' ? this.wrap(opts.filter as AnyMethod) : opts.filter;
    const onProgress = typeof opts.onProgress === 'function' ? this.wrap(opts.onProgress as AnyMethod) : opts.onProgress;
    if (filter === opts.filter && onProgress === opts.onProgress) return arg;
    const copy: Record<string, unknown> = { ...opts };
    if (filter !== opts.filter) copy['filter'] = filter;
    if (onProgress !== opts.onProgress) copy['onProgress'] = onProgress;
    return copy;
  }

  private wrap(callback: AnyMethod): AnyMethod {
    return (...args: unknown[]): unknown => {
      this.depth++;
      try {
        return callback(...args);
      } finally {
        this.depth--;
      }
    };
  }
}
