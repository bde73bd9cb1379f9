/** Stable error codes: match on `err.code`, never on the message. */
export type AnnkitErrorCode =
  | 'DIMENSION_MISMATCH'
  | 'INVALID_VECTOR'
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_ID'
  | 'DUPLICATE_ID'
  | 'NOT_TRAINED'
  | 'INVALID_STATE'
  | 'CORRUPT_DATA'
  | 'UNSUPPORTED_VERSION'
  | 'UNSUPPORTED_FEATURE'
  | 'ABORTED';

export class AnnkitError extends Error {
  readonly code: AnnkitErrorCode;
  constructor(code: AnnkitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AnnkitError';
    this.code = code;
  }
}

export function isAnnkitError(err: unknown, code?: AnnkitErrorCode): err is AnnkitError {
  return err instanceof AnnkitError && (code === undefined || err.code === code);
}

export function corrupt(what: string): AnnkitError {
  return new AnnkitError('CORRUPT_DATA', `Corrupt or truncated data: ${what}. The bytes were not produced by a matching serialize() or were damaged.`);
}
