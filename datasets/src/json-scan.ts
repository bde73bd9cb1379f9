import { AnnkitError } from '@annkit/core';

/** Where the scanner is: the chain of open containers around the current value. */
export interface JsonPath {
  /** Number of open containers (0 for a top-level scalar). */
  readonly depth: number;
  /** Whether the container at `level` (0 = outermost) is an array. */
  isArray(level: number): boolean;
  /** Position of the current element in the container at `level` (array index, or member number in an object). */
  index(level: number): number;
  /** Key of the current member of the object at `level`; only captured for levels < keyDepth. */
  key(level: number): string | undefined;
}

export interface JsonNumberHandler {
  /** Every number, in document order. `path` is only valid during the call. */
  number(value: number, path: JsonPath): void;
  /** After a container closes; `path.depth` is already its parent's depth. */
  close?(path: JsonPath): void;
}

export interface JsonScanOptions {
  /** Decode object keys only at levels < keyDepth (default: all). Deeper keys are skipped unread. */
  keyDepth?: number;
}

// Scanner states.
const VALUE = 0;
const VALUE_OR_END = 1;
const KEY_OR_END = 2;
const KEY = 3;
const COLON = 4;
const AFTER = 5;
const DONE = 6;
const STR = 7;
const STR_ESC = 8;
const STR_HEX = 9;
const N_MINUS = 10;
const N_ZERO = 11;
const N_INT = 12;
const N_DOT = 13;
const N_FRAC = 14;
const N_EXP = 15;
const N_EXP_SIGN = 16;
const N_EXP_DIGITS = 17;
const LITERAL = 18;

const OBJ = 1;
const ARR = 2;

/** Powers of ten that are exact doubles: mantissa × or ÷ one of them rounds once, like a correct parser. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const TRUE = new Uint8Array([0x74, 0x72, 0x75, 0x65]);
const FALSE = new Uint8Array([0x66, 0x61, 0x6c, 0x73, 0x65]);
const NULL = new Uint8Array([0x6e, 0x75, 0x6c, 0x6c]);
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const EMPTY = new Uint8Array(0);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Streaming JSON scanner that validates the whole document but only materialises numbers (and shallow
 * keys): feed bytes in chunks of any size with write(), then end(). Strings are skipped without being
 * decoded, so a huge document costs no allocation per value. Numbers parse to the same double as
 * JSON.parse: up to 15 significant digits and |exponent| ≤ 22 take an exact fast path; others fall back
 * to Number() on the number's few bytes. Malformed input throws AnnkitError('CORRUPT_DATA').
 */
export class JsonNumberScanner implements JsonPath {
  private readonly handler: JsonNumberHandler;
  private readonly keyDepth: number;
  private state = VALUE;
  private d = 0;
  private kinds = new Uint8Array(16);
  private idx = new Int32Array(16);
  private keys: (string | undefined)[] = [];
  private offset = 0;
  // String state.
  private strIsKey = false;
  private strCapture = false;
  private strEscaped = false;
  private hexLeft = 0;
  private keyBuf = new Uint8Array(64);
  private keyLen = 0;
  // Number state.
  private neg = false;
  private mant = 0;
  private digits = 0;
  private frac = 0;
  private expNeg = false;
  private exp = 0;
  /** Bytes of a number that began in an earlier chunk (only needed for the slow path). */
  private numBuf = new Uint8Array(32);
  private numLen = 0;
  /** Where the current number's unsaved bytes start in the current chunk. */
  private numStart = 0;
  // Literal state.
  private lit = TRUE;
  private litPos = 0;

  constructor(handler: JsonNumberHandler, opts?: JsonScanOptions) {
    this.handler = handler;
    this.keyDepth = opts?.keyDepth ?? Infinity;
  }

  get depth(): number {
    return this.d;
  }

  isArray(level: number): boolean {
    return this.kinds[level] === ARR;
  }

  index(level: number): number {
    return this.idx[level]!;
  }

  key(level: number): string | undefined {
    return this.keys[level];
  }

  /** Bytes consumed so far. */
  get bytesScanned(): number {
    return this.offset;
  }

  write(chunk: Uint8Array): void {
    const len = chunk.length;
    let i = 0;
    while (i < len) {
      const c = chunk[i]!;
      switch (this.state) {
        case VALUE:
        case VALUE_OR_END:
          if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
          else if (c === 0x5d && this.state === VALUE_OR_END) {
            i++;
            this.pop(ARR, i);
          } else {
            this.startValue(c, i);
            i++;
          }
          break;
        case KEY_OR_END:
        case KEY:
          if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
          else if (c === 0x22) {
            this.startString(true);
            i++;
          } else if (c === 0x7d && this.state === KEY_OR_END) {
            i++;
            this.pop(OBJ, i);
          } else throw this.unexpected(c, i, 'an object key');
          break;
        case COLON:
          if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
          else if (c === 0x3a) {
            this.state = VALUE;
            i++;
          } else throw this.unexpected(c, i, "':'");
          break;
        case AFTER:
          if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
          else if (c === 0x2c) {
            const top = this.d - 1;
            this.idx[top]!++;
            this.state = this.kinds[top] === ARR ? VALUE : KEY;
            i++;
          } else if (c === 0x5d || c === 0x7d) {
            i++;
            this.pop(c === 0x5d ? ARR : OBJ, i);
          } else throw this.unexpected(c, i, "',' or a closing bracket");
          break;
        case DONE:
          if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
          else throw this.unexpected(c, i, 'the end of the document');
          break;
        case STR: {
          // Hot loop: skip ordinary string bytes in bulk.
          let j = i;
          while (j < len) {
            const b = chunk[j]!;
            if (b === 0x22 || b === 0x5c || b < 0x20) break;
            j++;
          }
          if (this.strCapture && j > i) this.keyAppend(chunk, i, j);
          i = j;
          if (i === len) break;
          const b = chunk[i]!;
          if (b === 0x22) {
            i++;
            this.endString();
          } else if (b === 0x5c) {
            if (this.strCapture) this.keyAppend(chunk, i, i + 1);
            this.strEscaped = true;
            this.state = STR_ESC;
            i++;
          } else throw this.unexpected(b, i, 'an escaped control character inside a string');
          break;
        }
        case STR_ESC:
          if (c === 0x75) {
            this.hexLeft = 4;
            this.state = STR_HEX;
          } else if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) {
            this.state = STR;
          } else throw this.unexpected(c, i, 'a valid escape');
          if (this.strCapture) this.keyAppend(chunk, i, i + 1);
          i++;
          break;
        case STR_HEX:
          if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))) throw this.unexpected(c, i, 'a hex digit');
          if (this.strCapture) this.keyAppend(chunk, i, i + 1);
          if (--this.hexLeft === 0) this.state = STR;
          i++;
          break;
        case N_MINUS:
          if (c === 0x30) this.state = N_ZERO;
          else if (c > 0x30 && c <= 0x39) {
            this.mant = c - 0x30;
            this.digits = 1;
            this.state = N_INT;
          } else throw this.unexpected(c, i, 'a digit');
          i++;
          break;
        case N_ZERO:
          if (c === 0x2e) this.state = N_DOT;
          else if (c === 0x65 || c === 0x45) this.state = N_EXP;
          else {
            this.finishNumber(chunk, i);
            break; // re-read c in the new state
          }
          i++;
          break;
        case N_INT:
        case N_FRAC: {
          // Hot loop: digits of the integer or fraction part.
          let mant = this.mant;
          let digits = this.digits;
          let frac = this.frac;
          const inFrac = this.state === N_FRAC;
          let j = i;
          while (j < len) {
            const b = chunk[j]!;
            if (b < 0x30 || b > 0x39) break;
            const dg = b - 0x30;
            if (mant !== 0 || dg !== 0) digits++;
            mant = mant * 10 + dg;
            if (inFrac) frac++;
            j++;
          }
          this.mant = mant;
          this.digits = digits;
          this.frac = frac;
          i = j;
          if (i === len) break;
          const b = chunk[i]!;
          if (b === 0x2e && !inFrac) {
            this.state = N_DOT;
            i++;
          } else if (b === 0x65 || b === 0x45) {
            this.state = N_EXP;
            i++;
          } else this.finishNumber(chunk, i);
          break;
        }
        case N_DOT:
          if (c < 0x30 || c > 0x39) throw this.unexpected(c, i, 'a digit after the decimal point');
          this.state = N_FRAC; // the digit is consumed by the N_FRAC loop
          break;
        case N_EXP:
          if (c === 0x2b || c === 0x2d) {
            this.expNeg = c === 0x2d;
            this.state = N_EXP_SIGN;
            i++;
          } else if (c >= 0x30 && c <= 0x39) this.state = N_EXP_DIGITS;
          else throw this.unexpected(c, i, 'an exponent');
          break;
        case N_EXP_SIGN:
          if (c < 0x30 || c > 0x39) throw this.unexpected(c, i, 'an exponent digit');
          this.state = N_EXP_DIGITS;
          break;
        case N_EXP_DIGITS:
          if (c >= 0x30 && c <= 0x39) {
            // Clamp: any exponent this large already leaves the fast path.
            this.exp = Math.min(this.exp * 10 + (c - 0x30), 1e9);
            i++;
          } else this.finishNumber(chunk, i);
          break;
        case LITERAL:
          if (c !== this.lit[this.litPos]) throw this.unexpected(c, i, `the literal '${String.fromCharCode(...this.lit)}'`);
          i++;
          if (++this.litPos === this.lit.length) this.afterValue();
          break;
      }
    }
    // A number cut by the chunk boundary: keep its bytes for a possible slow-path Number().
    if (this.state >= N_MINUS && this.state <= N_EXP_DIGITS) {
      this.numSave(chunk, this.numStart, len);
      this.numStart = 0;
    }
    this.offset += len;
  }

  /** Declares the input complete; throws CORRUPT_DATA if the document is unfinished. */
  end(): void {
    const s = this.state;
    if (s === N_ZERO || s === N_INT || s === N_FRAC || s === N_EXP_DIGITS) this.finishNumber(EMPTY, 0);
    if (this.state !== DONE) {
      throw new AnnkitError('CORRUPT_DATA', `Invalid JSON: the input ended early at byte ${this.offset} (${this.d} container(s) still open). The file is truncated or not JSON.`);
    }
  }

  private startValue(c: number, i: number): void {
    if (c === 0x7b) this.push(OBJ, KEY_OR_END);
    else if (c === 0x5b) this.push(ARR, VALUE_OR_END);
    else if (c === 0x22) this.startString(false);
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.neg = c === 0x2d;
      this.mant = 0;
      this.digits = 0;
      this.frac = 0;
      this.expNeg = false;
      this.exp = 0;
      this.numLen = 0;
      this.numStart = i;
      if (c === 0x2d) this.state = N_MINUS;
      else if (c === 0x30) this.state = N_ZERO;
      else {
        this.mant = c - 0x30;
        this.digits = 1;
        this.state = N_INT;
      }
    } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
      this.lit = c === 0x74 ? TRUE : c === 0x66 ? FALSE : NULL;
      this.litPos = 1;
      this.state = LITERAL;
    } else throw this.unexpected(c, i, 'a value');
  }

  private push(kind: number, next: number): void {
    if (this.d === this.kinds.length) {
      const kinds = new Uint8Array(this.d * 2);
      kinds.set(this.kinds);
      this.kinds = kinds;
      const idx = new Int32Array(this.d * 2);
      idx.set(this.idx);
      this.idx = idx;
    }
    this.kinds[this.d] = kind;
    this.idx[this.d] = 0;
    this.keys[this.d] = undefined;
    this.d++;
    this.state = next;
  }

  private pop(kind: number, i: number): void {
    if (this.kinds[this.d - 1] !== kind) throw this.unexpected(kind === ARR ? 0x5d : 0x7d, i - 1, 'a matching closing bracket');
    this.d--;
    this.handler.close?.(this);
    this.afterValue();
  }

  private afterValue(): void {
    this.state = this.d === 0 ? DONE : AFTER;
  }

  private startString(isKey: boolean): void {
    this.strIsKey = isKey;
    this.strCapture = isKey && this.d - 1 < this.keyDepth;
    this.strEscaped = false;
    this.keyLen = 0;
    this.state = STR;
  }

  private endString(): void {
    if (!this.strIsKey) {
      this.afterValue();
      return;
    }
    this.keys[this.d - 1] = this.strCapture ? this.decodeKey() : undefined;
    this.state = COLON;
  }

  private keyAppend(src: Uint8Array, from: number, to: number): void {
    const need = this.keyLen + (to - from);
    if (need > this.keyBuf.length) {
      const grown = new Uint8Array(Math.max(need, this.keyBuf.length * 2));
      grown.set(this.keyBuf.subarray(0, this.keyLen));
      this.keyBuf = grown;
    }
    this.keyBuf.set(src.subarray(from, to), this.keyLen);
    this.keyLen = need;
  }

  private decodeKey(): string {
    let s: string;
    try {
      s = utf8.decode(this.keyBuf.subarray(0, this.keyLen));
    } catch (cause) {
      throw new AnnkitError('CORRUPT_DATA', `Invalid JSON before byte ${this.offset}: an object key is not valid UTF-8.`, { cause });
    }
    if (!this.strEscaped) return s;
    return s.replace(/\\(?:u([0-9a-fA-F]{4})|(.))/g, (_m, hex: string | undefined, ch: string) => (hex ? String.fromCharCode(parseInt(hex, 16)) : ESCAPES[ch]!));
  }

  private numSave(src: Uint8Array, from: number, to: number): void {
    const need = this.numLen + (to - from);
    if (need > this.numBuf.length) {
      const grown = new Uint8Array(Math.max(need, this.numBuf.length * 2));
      grown.set(this.numBuf.subarray(0, this.numLen));
      this.numBuf = grown;
    }
    this.numBuf.set(src.subarray(from, to), this.numLen);
    this.numLen = need;
  }

  /** Emits the number that ends just before chunk[i]. */
  private finishNumber(chunk: Uint8Array, i: number): void {
    const e10 = (this.expNeg ? -this.exp : this.exp) - this.frac;
    let v: number;
    if (this.digits <= 15 && e10 >= -22 && e10 <= 22) {
      // Exact mantissa and exact power of ten: a single correctly rounded operation.
      v = e10 < 0 ? this.mant / POW10[-e10]! : this.mant * POW10[e10]!;
      if (this.neg) v = -v;
    } else {
      // Rare: too many digits or a large exponent; let the engine's correctly rounded parser decide.
      let s = '';
      for (let k = 0; k < this.numLen; k++) s += String.fromCharCode(this.numBuf[k]!);
      for (let k = this.numStart; k < i; k++) s += String.fromCharCode(chunk[k]!);
      v = Number(s);
    }
    this.afterValue();
    this.handler.number(v, this);
  }

  private unexpected(c: number, i: number, expected: string): AnnkitError {
    const what = c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
    return new AnnkitError('CORRUPT_DATA', `Invalid JSON at byte ${this.offset + i}: unexpected ${what}, expected ${expected}.`);
  }
}
