/**
 * bcrypt password verification (EksBlowfish, Provos and Mazières 1999) in plain TypeScript,
 * for the `basic_auth_users` hashes of a web config. Verification only needs the hashing
 * function, which is also exported so tests can build hashes without an outside tool.
 *
 * bcrypt is slow by design (cost 10 ≈ a million Blowfish encryptions). Running it in one go
 * would stall every other request on the event loop, so the expensive loop yields to it
 * regularly; callers additionally serialise and cache verifications.
 * @module
 */

/** Thrown for a string that is not a well-formed bcrypt hash. */
export class BcryptFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BcryptFormatError';
  }
}

/** The parts of a bcrypt hash `$2b$10$<22 salt chars><31 hash chars>`. */
export interface BcryptHash {
  /** `a`, `b` or `y`: all three compute the same value for passwords up to 72 bytes. */
  readonly minor: string;
  readonly cost: number;
  readonly salt: Uint8Array;
  readonly digest: Uint8Array;
}

const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const INDEX = new Map([...ALPHABET].map((ch, i) => [ch, i]));
const HASH_RE = /^\$2([aby])\$(\d\d)\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/;

/**
 * Splits a hash into its parts; throws {@link BcryptFormatError} (whose message never quotes
 * the hash) when it is malformed or its cost is outside 4..31.
 */
export function parseBcryptHash(hash: string): BcryptHash {
  const m = HASH_RE.exec(hash);
  if (!m) {
    throw new BcryptFormatError(
      hash.startsWith('$2')
        ? 'malformed bcrypt hash'
        : 'not a bcrypt hash (expected $2a$, $2b$ or $2y$)',
    );
  }
  const cost = Number(m[2]);
  if (cost < 4 || cost > 31) throw new BcryptFormatError(`bcrypt cost ${cost} is outside 4..31`);
  return { minor: m[1], cost, salt: decode64(m[3], 16), digest: decode64(m[4], 23) };
}

/** The bcrypt cost of a hash (throws {@link BcryptFormatError} when malformed). */
export function bcryptCost(hash: string): number {
  return parseBcryptHash(hash).cost;
}

/**
 * Whether `password` (text, or raw bytes as sent) matches `hash`. Malformed hashes throw {@link BcryptFormatError}; the
 * comparison of the digests takes the same time wherever they differ.
 */
export async function bcryptVerify(
  password: string | Uint8Array,
  hash: string,
): Promise<boolean> {
  const h = parseBcryptHash(hash);
  const bytes = typeof password === 'string' ? new TextEncoder().encode(password) : password;
  const digest = await eksDigest(bytes, h.salt, h.cost);
  return constantTimeEqual(digest, h.digest);
}

/** Hashes `password` with a 16-byte `salt` at `cost` (4..31) into `$2<minor>$…` form. */
export async function bcryptHash(
  password: string,
  salt: Uint8Array,
  cost: number,
  minor: 'a' | 'b' | 'y' = 'b',
): Promise<string> {
  if (salt.length !== 16) throw new RangeError('bcrypt salt must be 16 bytes');
  if (!Number.isInteger(cost) || cost < 4 || cost > 31) {
    throw new RangeError('bcrypt cost must be 4..31');
  }
  const digest = await eksDigest(new TextEncoder().encode(password), salt, cost);
  const c = String(cost).padStart(2, '0');
  return `$2${minor}$${c}$${encode64(salt, 22)}${encode64(digest, 31)}`;
}

/** Byte arrays equal, in time that depends only on their lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

// ---- Blowfish state ------------------------------------------------------------------------

const P_WORDS = 18;
const S_WORDS = 4 * 256;
let initialState: Uint32Array | undefined;

/**
 * Blowfish's initial P-array and S-boxes are the fractional hex digits of π, in order.
 * They are computed once (Machin's formula over BigInt, tens of milliseconds) instead of
 * being pasted in as a 1042-word table.
 */
function piWords(): Uint32Array {
  if (initialState) return initialState;
  const words = P_WORDS + S_WORDS;
  const guard = 64n;
  const bits = BigInt(words * 32) + guard;
  const one = 1n << bits;
  const arctanInv = (x: bigint): bigint => {
    const x2 = x * x;
    let power = one / x;
    let sum = power;
    for (let k = 1n;; k++) {
      power /= x2;
      const term = power / (2n * k + 1n);
      if (term === 0n) break;
      sum += k % 2n ? -term : term;
    }
    return sum;
  };
  const pi = 16n * arctanInv(5n) - 4n * arctanInv(239n);
  let frac = (pi - (3n << bits)) >> guard;
  const out = new Uint32Array(words);
  for (let i = words - 1; i >= 0; i--) {
    out[i] = Number(frac & 0xffffffffn);
    frac >>= 32n;
  }
  initialState = out;
  return out;
}

/** One Blowfish state: P in `s[0..17]`, S-box k in `s[18 + 256k ..]`. */
class Blowfish {
  readonly s = piWords().slice();
  /** The last block {@link encrypt} produced, so the hot loop allocates nothing. */
  readonly out = new Int32Array(2);

  /** Encrypts the block (l, r) into {@link out}. */
  encrypt(l: number, r: number): void {
    const s = this.s;
    for (let i = 0; i < 16; i += 2) {
      l ^= s[i];
      r ^= ((s[18 + (l >>> 24)] + s[274 + ((l >>> 16) & 0xff)]) ^
        s[530 + ((l >>> 8) & 0xff)]) + s[786 + (l & 0xff)];
      r ^= s[i + 1];
      l ^= ((s[18 + (r >>> 24)] + s[274 + ((r >>> 16) & 0xff)]) ^
        s[530 + ((r >>> 8) & 0xff)]) + s[786 + (r & 0xff)];
    }
    this.out[0] = r ^ s[17];
    this.out[1] = l ^ s[16];
  }

  /**
   * The key schedule: XOR the key stream into P, then refill P and the S-boxes with
   * successive encryptions, each block first XORed with the salt stream when one is given.
   */
  expand(key: Uint8Array, salt?: Uint8Array): void {
    const s = this.s;
    const out = this.out;
    const k = { pos: 0 };
    for (let i = 0; i < P_WORDS; i++) s[i] ^= streamWord(key, k);
    const st = { pos: 0 };
    let l = 0;
    let r = 0;
    for (let i = 0; i < P_WORDS + S_WORDS; i += 2) {
      if (salt) {
        l ^= streamWord(salt, st);
        r ^= streamWord(salt, st);
      }
      this.encrypt(l, r);
      l = out[0];
      r = out[1];
      s[i] = l;
      s[i + 1] = r;
    }
  }
}

/** The next big-endian 32-bit word of `data`, read cyclically. */
function streamWord(data: Uint8Array, at: { pos: number }): number {
  let w = 0;
  for (let i = 0; i < 4; i++) {
    w = (w << 8) | data[at.pos];
    at.pos = (at.pos + 1) % data.length;
  }
  return w >>> 0;
}

// How long the expensive loop may hold the event loop before it lets other work run. Timer
// yields are not free (runtimes clamp nested timeouts), so slices are cut by time.
const SLICE_MS = 10;

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Runs the expensive key schedule from round `from` until `to` or until the time slice is
 * used up; returns the next round. Synchronous, so the hot loop stays optimised.
 */
function expensiveRounds(
  bf: Blowfish,
  key: Uint8Array,
  salt: Uint8Array,
  from: number,
  to: number,
): number {
  const start = performance.now();
  let i = from;
  while (i < to) {
    bf.expand(key);
    bf.expand(salt);
    i++;
    if ((i & 7) === 0 && performance.now() - start > SLICE_MS) break;
  }
  return i;
}

/** bcrypt's 23-byte digest of `password` (NUL-terminated, 72 bytes at most) at `cost`. */
async function eksDigest(
  password: Uint8Array,
  salt: Uint8Array,
  cost: number,
): Promise<Uint8Array> {
  // The key is the password with its terminating NUL, cut at 72 bytes (18 P-array words).
  const key = new Uint8Array(Math.min(password.length + 1, 72));
  key.set(password.subarray(0, key.length));
  const bf = new Blowfish();
  bf.expand(key, salt);
  const rounds = 2 ** cost;
  for (let done = 0; done < rounds;) {
    if (done > 0) await yieldToEventLoop();
    done = expensiveRounds(bf, key, salt, done, rounds);
  }
  const magic = new TextEncoder().encode('OrpheanBeholderScryDoubt');
  const words = new Uint32Array(6);
  const at = { pos: 0 };
  for (let i = 0; i < 6; i++) words[i] = streamWord(magic, at);
  for (let n = 0; n < 64; n++) {
    for (let i = 0; i < 6; i += 2) {
      bf.encrypt(words[i], words[i + 1]);
      words[i] = bf.out[0];
      words[i + 1] = bf.out[1];
    }
  }
  const out = new Uint8Array(24);
  for (let i = 0; i < 6; i++) {
    out[4 * i] = words[i] >>> 24;
    out[4 * i + 1] = words[i] >>> 16;
    out[4 * i + 2] = words[i] >>> 8;
    out[4 * i + 3] = words[i];
  }
  return out.subarray(0, 23);
}

// ---- bcrypt's own base64 (different alphabet, no padding) ----------------------------------

function decode64(text: string, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let acc = 0;
  let nbits = 0;
  let o = 0;
  for (const ch of text) {
    acc = (acc << 6) | INDEX.get(ch)!;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      if (o < bytes) out[o++] = (acc >>> nbits) & 0xff;
    }
  }
  return out;
}

function encode64(data: Uint8Array, chars: number): string {
  let out = '';
  let acc = 0;
  let nbits = 0;
  for (const b of data) {
    acc = ((acc << 8) | b) & 0xffff;
    nbits += 8;
    while (nbits >= 6) {
      nbits -= 6;
      out += ALPHABET[(acc >>> nbits) & 0x3f];
    }
  }
  if (nbits > 0) out += ALPHABET[(acc << (6 - nbits)) & 0x3f];
  return out.slice(0, chars);
}
