// The pure-TypeScript MD5 against RFC 1321's test suite and against node:crypto (an independent
// implementation) on random bytes and random strings, at every length around the block edges.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { md5, md5Hex } from "../../src/url_signing/md5.ts";

const reference = (data: string | Uint8Array) => createHash("md5").update(data).digest("hex");

Deno.test("md5 reproduces the RFC 1321 test suite (A.5)", () => {
  const suite: [string, string][] = [
    ["", "d41d8cd98f00b204e9800998ecf8427e"],
    ["a", "0cc175b9c0f1b6a831c399e269772661"],
    ["abc", "900150983cd24fb0d6963f7d28e17f72"],
    ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
    ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
    [
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
      "d174ab98d277d9f5a5611c2c9f419d9f",
    ],
    [
      "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
      "57edf4a22be3c955ac49da2e2107b67a",
    ],
  ];
  for (const [input, digest] of suite) {
    assert.equal(md5Hex(input), digest, JSON.stringify(input));
    assert.equal(md5Hex(new TextEncoder().encode(input)), digest, `${JSON.stringify(input)} bytes`);
  }
});

Deno.test("md5 matches node:crypto on random bytes and on every length around the block edges", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => {
      assert.equal(md5Hex(data), reference(data));
    }),
    { numRuns: 500 },
  );
  for (let length = 0; length <= 200; length++) {
    const data = new Uint8Array(length).map((_, i) => i * 31 + length);
    assert.equal(md5Hex(data), reference(data), `${length} B`);
  }
});

Deno.test("md5 hashes strings as UTF-8, as node:crypto does", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (text) => {
      assert.equal(md5Hex(text), reference(text));
    }),
    { numRuns: 500 },
  );
  assert.equal(md5Hex("é/直播/🎥"), reference("é/直播/🎥"));
});

Deno.test("md5 gives the 16 raw bytes, and md5Hex their lowercase hexadecimal", () => {
  const bytes = md5("abc");
  assert.ok(bytes instanceof Uint8Array);
  assert.equal(bytes.length, 16);
  assert.equal(
    [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join(""),
    reference("abc"),
  );
  assert.match(md5Hex("abc"), /^[0-9a-f]{32}$/);
});

Deno.test("md5 does not change its input, and a 1 MiB input hashes like node:crypto's", () => {
  const data = new Uint8Array(1 << 20).map((_, i) => (i * 7) & 0xff);
  const copy = data.slice();
  assert.equal(md5Hex(data), reference(data));
  assert.deepEqual(data, copy);
});
