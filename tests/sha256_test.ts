// The synchronous SHA-256 and HMAC-SHA256 against Web Crypto, on random inputs of every length
// around the block edges and beyond, and random string keys (short, 64 bytes, longer than a block).
import assert from "node:assert/strict";
import fc from "fast-check";
import { hmacSha256, sha256, wordsToBytes, wordsToHex } from "../src/sha256.ts";

const hex = (bytes: ArrayBuffer | Uint8Array) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** HMAC-SHA256 on Web Crypto under `key`, as hex: the reference. */
const webCryptoHmac = async (key: Uint8Array<ArrayBuffer>) => {
  const reference = await crypto.subtle.importKey(
    "raw",
    key,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return async (message: Uint8Array<ArrayBuffer>) =>
    hex(await crypto.subtle.sign("HMAC", reference, message));
};

Deno.test("sha256 matches Web Crypto on random inputs", async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (data) => {
      const reference = hex(await crypto.subtle.digest("SHA-256", data));
      assert.equal(wordsToHex(sha256(data)), reference);
      assert.equal(hex(wordsToBytes(sha256(data))), reference);
    }),
    { numRuns: 500 },
  );
  for (let length = 0; length <= 200; length++) {
    const data = new Uint8Array(length).map((_, i) => i * 13 + length);
    assert.equal(
      wordsToHex(sha256(data)),
      hex(await crypto.subtle.digest("SHA-256", data)),
      `${length} B`,
    );
  }
});

Deno.test("hmacSha256 matches Web Crypto on random keys and messages, reused keys included", async () => {
  await fc.assert(
    fc.asyncProperty(
      // Any UTF-16, lone surrogates included: from 1 to 600 bytes of UTF-8.
      fc.string({ unit: "binary", minLength: 1, maxLength: 150 }),
      fc.array(fc.uint8Array({ maxLength: 600 }), { minLength: 1, maxLength: 3 }),
      async (key, messages) => {
        const mac = hmacSha256(key);
        const reference = await webCryptoHmac(new TextEncoder().encode(key));
        for (const message of messages) {
          assert.equal(wordsToHex(mac(message)), await reference(message));
        }
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("sha256 of a string is the SHA-256 of its UTF-8, surrogates and all, whatever came before", async () => {
  const encoder = new TextEncoder();
  await fc.assert(
    fc.asyncProperty(
      // Full Unicode, lone surrogates included (UTF-8 writes them as U+FFFD), around block edges.
      fc.array(
        fc.oneof(
          fc.string({ unit: "grapheme", maxLength: 300 }),
          fc.string({ unit: "binary", maxLength: 300 }),
        ),
      ),
      async (texts) => {
        for (const text of texts) {
          const bytes = encoder.encode(text);
          const reference = hex(await crypto.subtle.digest("SHA-256", bytes));
          assert.equal(wordsToHex(sha256(text)), reference);
          assert.equal(wordsToHex(sha256(bytes)), reference);
        }
      },
    ),
    { numRuns: 200 },
  );
  // The padding is built in one buffer, reused up to 1,024 characters: long messages (built
  // elsewhere), then ones that fill it, then short ones must leave nothing behind.
  for (const length of [70_000, 1_025, 1_024, 1_000, 3, 0, 64, 55, 56, 119, 20_000, 1]) {
    const text = "é".repeat(length >> 1) + "a".repeat(length & 1);
    const reference = hex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
    assert.equal(wordsToHex(sha256(text)), reference, `${length} characters`);
  }
});

Deno.test("hmacSha256 takes a string key and message as their UTF-8", async () => {
  const encoder = new TextEncoder();
  const key = "SK_example_secret_é";
  const reference = await webCryptoHmac(encoder.encode(key));
  const mac = hmacSha256(key);
  for (
    const message of ["", "CNC-HMAC-SHA256\n1764000000\nabc", "直播频道 ✓ 😀", "x".repeat(5000)]
  ) {
    assert.equal(wordsToHex(mac(message)), await reference(encoder.encode(message)));
  }
});
