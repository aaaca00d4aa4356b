/**
 * Comparing presented secrets (bearer tokens, the callback path token) without timing leaks: both
 * sides are hashed to SHA-256 (synchronously: no Web Crypto round trip on every request), then
 * compared in constant time.
 *
 * @module
 */

import { sha256, wordsToBytes } from "../sha256.ts";

/** SHA-256 of a secret. */
export const digest = (text: string): Uint8Array => wordsToBytes(sha256(text));

/** Whether two digests are equal, looking at every byte whatever the first difference. */
export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i % b.length];
  return difference == 0;
};
