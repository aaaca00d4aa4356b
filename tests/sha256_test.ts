// The synchronous SHA-256 and HMAC-SHA256 against Web Crypto, on random inputs of every length
// around the block edges and beyond, and random keys (short, 64 bytes, longer than a block).
import assert from "node:assert/strict";
import fc from "fast-check";
import { hmacSha256, sha256, wordsToBytes, wordsToHex } from "../src/sha256.ts";

const hex = (bytes: ArrayBuffer | Uint8Array) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

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
      fc.uint8Array({ minLength: 1, maxLength: 150 }),
      fc.array(fc.uint8Array({ maxLength: 600 }), { minLength: 1, maxLength: 3 }),
      async (key, messages) => {
        const mac = hmacSha256(key);
        const reference = await crypto.subtle.importKey(
          "raw",
          key,
          { name: "HMAC", hash: "SHA-256" },
          false,
          ["sign"],
        );
        for (const message of messages) {
          assert.equal(
            wordsToHex(mac(message)),
            hex(await crypto.subtle.sign("HMAC", reference, message)),
          );
        }
      },
    ),
    { numRuns: 300 },
  );
});
