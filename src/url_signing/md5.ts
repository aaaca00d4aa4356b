/**
 * MD5 (RFC 1321) over bytes or a string's UTF-8, synchronous and dependency-free: Web Crypto has
 * no MD5, and Wangsu's timestamp anti-leech signs URLs with it. MD5 is broken for collision
 * resistance; it is here only because the vendor's edge checks URLs with it.
 *
 * @module
 */

/** The per-step constants: the integer part of 2^32 × |sin(i + 1)|, written out (RFC 1321, 3.4). */
const K = new Int32Array([
  0xd76aa478,
  0xe8c7b756,
  0x242070db,
  0xc1bdceee,
  0xf57c0faf,
  0x4787c62a,
  0xa8304613,
  0xfd469501,
  0x698098d8,
  0x8b44f7af,
  0xffff5bb1,
  0x895cd7be,
  0x6b901122,
  0xfd987193,
  0xa679438e,
  0x49b40821,
  0xf61e2562,
  0xc040b340,
  0x265e5a51,
  0xe9b6c7aa,
  0xd62f105d,
  0x02441453,
  0xd8a1e681,
  0xe7d3fbc8,
  0x21e1cde6,
  0xc33707d6,
  0xf4d50d87,
  0x455a14ed,
  0xa9e3e905,
  0xfcefa3f8,
  0x676f02d9,
  0x8d2a4c8a,
  0xfffa3942,
  0x8771f681,
  0x6d9d6122,
  0xfde5380c,
  0xa4beea44,
  0x4bdecfa9,
  0xf6bb4b60,
  0xbebfbc70,
  0x289b7ec6,
  0xeaa127fa,
  0xd4ef3085,
  0x04881d05,
  0xd9d4d039,
  0xe6db99e5,
  0x1fa27cf8,
  0xc4ac5665,
  0xf4292244,
  0x432aff97,
  0xab9423a7,
  0xfc93a039,
  0x655b59c3,
  0x8f0ccc92,
  0xffeff47d,
  0x85845dd1,
  0x6fa87e4f,
  0xfe2ce6e0,
  0xa3014314,
  0x4e0811a1,
  0xf7537e82,
  0xbd3af235,
  0x2ad7d2bb,
  0xeb86d391,
]);
/** The left rotations, four per round. */
const S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
const encoder = new TextEncoder();
/** Inputs up to this size are padded in one reused buffer (wiped after each use). */
const SCRATCH_MAX = 4096;
let scratch = new Uint8Array(256);
const block = new Int32Array(16);
const state = new Int32Array(4);

/** Hashes `input` into {@link state}: the four words of the digest. */
function digest(input: string | Uint8Array): Int32Array {
  // Room for the message (a UTF-16 unit is at most 3 bytes of UTF-8), the 0x80 and the length.
  const room = (typeof input == "string" ? input.length * 3 : input.length) + 72;
  const buffer = room > SCRATCH_MAX
    ? new Uint8Array(room)
    : scratch.length >= room
    ? scratch
    : (scratch = new Uint8Array(room));
  let length: number;
  if (typeof input == "string") length = encoder.encodeInto(input, buffer).written;
  else {
    buffer.set(input);
    length = input.length;
  }
  // Padding: 0x80, zeros up to 8 bytes short of a block, then the length in bits (little-endian).
  const end = ((length + 8) & ~63) + 64;
  buffer.fill(0, length, end);
  buffer[length] = 0x80;
  const bits = length * 8;
  for (let i = 0; i < 8; i++) buffer[end - 8 + i] = Math.floor(bits / 2 ** (8 * i)) & 0xff;
  let a0 = 0x67452301, b0 = 0xefcdab89 | 0, c0 = 0x98badcfe | 0, d0 = 0x10325476;
  for (let offset = 0; offset < end; offset += 64) {
    for (let i = 0, j = offset; i < 16; i++, j += 4) {
      block[i] = buffer[j] | buffer[j + 1] << 8 | buffer[j + 2] << 16 | buffer[j + 3] << 24;
    }
    let a = a0, b = b0, c = c0, d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number, g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      const x = (a + f + K[i] + block[g]) | 0;
      const s = S[((i >> 4) << 2) | (i & 3)];
      a = d;
      d = c;
      c = b;
      b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  if (buffer == scratch) buffer.fill(0, 0, end); // no key left behind in the shared buffer
  block.fill(0);
  state[0] = a0;
  state[1] = b0;
  state[2] = c0;
  state[3] = d0;
  return state;
}

/**
 * The MD5 digest of `input` (a string is hashed as its UTF-8).
 *
 * @example
 * ```ts
 * import { md5 } from "@wangsu/sdk/url-signing";
 *
 * console.log(md5("abc").length); // 16
 * ```
 *
 * @param input Bytes, or a string to hash as UTF-8.
 * @returns The 16 bytes of the digest.
 */
export function md5(input: string | Uint8Array): Uint8Array {
  const words = digest(input);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = words[i >> 2] >>> (8 * (i & 3));
  return bytes;
}

/**
 * The MD5 digest of `input` as 32 lowercase hexadecimal digits (a string is hashed as its UTF-8).
 *
 * @example
 * ```ts
 * import { md5Hex } from "@wangsu/sdk/url-signing";
 *
 * console.log(md5Hex("abc")); // 900150983cd24fb0d6963f7d28e17f72
 * ```
 *
 * @param input Bytes, or a string to hash as UTF-8.
 * @returns The digest in lowercase hexadecimal.
 */
export function md5Hex(input: string | Uint8Array): string {
  const words = digest(input);
  let hex = "";
  for (let i = 0; i < 16; i++) hex += HEX[(words[i >> 2] >>> (8 * (i & 3))) & 0xff];
  return hex;
}
