/**
 * SHA-256 and HMAC-SHA256 in plain, synchronous JavaScript (FIPS 180-4, RFC 2104), small enough
 * to ship in the signer. Digests come out as their eight 32-bit words; the HMAC keeps the hash
 * states after the key's inner and outer pads, so each signature costs only the message's own
 * blocks. Checked against Web Crypto on random inputs by a property test.
 *
 * @module
 */

const K = new Int32Array(64);
const INITIAL: number[] = [];
// The round constants and initial state: fractional parts of the cube and square roots of the
// first 64 primes, computed once rather than shipped as tables.
for (let n = 2, i = 0; i < 64; n++) {
  let d = 2;
  while (n % d) d++; // n's least divisor: n itself when n is prime
  if (d < n) continue;
  if (i < 8) INITIAL[i] = (Math.sqrt(n) % 1) * 2 ** 32 | 0;
  K[i++] = (Math.cbrt(n) % 1) * 2 ** 32 | 0;
}

const w = new Int32Array(64);
/** Rotates a 32-bit word right. */
const r = (x: number, n: number) => x >>> n | x << 32 - n;

/** Runs the compression function over the 64-byte blocks of `data`, up to `end`. */
const compress = (state: Int32Array, data: Uint8Array, end = data.length) => {
  for (let offset = 0; offset < end; offset += 64) {
    for (let t = 0, at = offset; t < 16; t++, at += 4) {
      w[t] = data[at] << 24 | data[at + 1] << 16 | data[at + 2] << 8 | data[at + 3];
    }
    for (let t = 16; t < 64; t++) {
      const a = w[t - 15], b = w[t - 2];
      w[t] = (r(a, 7) ^ r(a, 18) ^ a >>> 3) + w[t - 7] + (r(b, 17) ^ r(b, 19) ^ b >>> 10) +
          w[t - 16] | 0;
    }
    let a = state[0], b = state[1], c = state[2], d = state[3];
    let e = state[4], f = state[5], g = state[6], h = state[7];
    for (let t = 0; t < 64; t++) {
      const t1 = h + (r(e, 6) ^ r(e, 11) ^ r(e, 25)) + (e & f ^ ~e & g) + K[t] + w[t] | 0;
      const t2 = (r(a, 2) ^ r(a, 13) ^ r(a, 22)) + (a & b ^ a & c ^ b & c) | 0;
      h = g, g = f, f = e, e = d + t1 | 0, d = c, c = b, b = a, a = t1 + t2 | 0;
    }
    state[0] += a, state[1] += b, state[2] += c, state[3] += d;
    state[4] += e, state[5] += f, state[6] += g, state[7] += h;
  }
};

const encoder = new TextEncoder();
// Nothing is allocated per hash: allocating a typed array costs more than hashing a block (about
// a microsecond in Deno). The padded message is built in `scratch` (unless it holds more than 1,024
// characters or bytes) and the digest is written to `digest`, which every call returns.
const scratch = new Uint8Array(3144); // 3 bytes for each of 1,024 characters, and the padding
const digest = new Int32Array(8);

/**
 * SHA-256 of `data`, continuing from `state` after `done` bytes (a fresh hash by default).
 *
 * @param data The bytes to hash, or a string to hash as UTF-8.
 * @param state A state to continue from (not changed).
 * @param done How many bytes `state` already covers (a multiple of 64).
 * @returns The digest as eight 32-bit words (see {@link wordsToBytes}, {@link wordsToHex}), in an
 *   array that the next call reuses: read or copy it first.
 */
export function sha256(
  data: Uint8Array | string,
  state: ArrayLike<number> = INITIAL,
  done = 0,
): Int32Array {
  // The data, the 0x80 marker and the length in bits, big-endian, ending the last block (the high
  // word of the length is 0 below 512 MiB). Room for a string's UTF-8: 3 bytes a UTF-16 unit.
  let length = data.length;
  const padded = length > 1024 ? new Uint8Array(length * 3 + 72) : scratch;
  if (typeof data == "string") length = encoder.encodeInto(data, padded).written;
  else padded.set(data);
  const end = (length + 72) & ~63;
  padded.fill(0, length, end)[length] = 0x80;
  for (let i = 1, bits = (length + done) * 8; i < 5; i++, bits >>>= 8) padded[end - i] = bits;
  digest.set(state);
  compress(digest, padded, end);
  return digest;
}

/** The bytes of a digest, big-endian, written to `into` (a new array by default). */
export const wordsToBytes = (words: Int32Array, into = new Uint8Array(32)): Uint8Array => {
  for (let i = 0; i < 32; i++) into[i] = words[i >> 2] >>> 24 - (i & 3) * 8;
  return into;
};

const HEX = Array.from({ length: 256 }, (_, byte) => (byte | 256).toString(16).slice(1));

/** The lower-case hex of a digest. */
export const wordsToHex = (words: Int32Array): string => {
  let hex = "";
  for (const word of words) {
    hex += HEX[word >>> 24] + HEX[word >>> 16 & 255] + HEX[word >>> 8 & 255] + HEX[word & 255];
  }
  return hex;
};

/**
 * An HMAC-SHA256 function for one key, with the key's padded blocks hashed once.
 *
 * @param key The key, taken as UTF-8 (the SDK's secrets are all strings).
 * @returns HMAC of a message under that key, as eight 32-bit words in the array {@link sha256}
 *   reuses.
 */
export function hmacSha256(key: string): (message: Uint8Array | string) => Int32Array {
  const bytes = encoder.encode(key);
  const block = new Uint8Array(64);
  block.set(bytes.length > 64 ? wordsToBytes(sha256(bytes)) : bytes);
  const padded = (pad: number) => {
    const state = new Int32Array(INITIAL);
    compress(state, block.map((byte) => byte ^ pad));
    return state;
  };
  const inner = padded(0x36), outer = padded(0x5c);
  const innerDigest = new Uint8Array(32);
  return (message) => sha256(wordsToBytes(sha256(message, inner, 64), innerDigest), outer, 64);
}
