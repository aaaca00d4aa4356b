// Item 18 (first half): in verifyRequest an unknown access key and a known key with a bad
// signature do the same work (read and hash the whole body, sign, compare), so the time taken
// does not tell which access keys exist. The reasons stay distinct in VerifyResult.
import assert from "node:assert/strict";
import { verifyRequest } from "../../src/verifier.ts";

/** A secret no entropy check refuses: 32 random hex digits after a label. */
const randomSecret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;

const NOW = 1_764_000_000;
const known = { accessKey: "AK_KNOWN", secretKey: randomSecret("SK_KNOWN") };
const lookup = (accessKey: string) => accessKey == known.accessKey ? known.secretKey : undefined;
const URL_ = "https://open.chinanetcenter.com/live/channelManage/createChannel";

/** A request whose body is a stream that counts the bytes read from it. */
const counted = (accessKey: string, size: number, timestamp = NOW) => {
  const chunk = new TextEncoder().encode("x".repeat(1024));
  let sent = 0;
  const read = { bytes: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) return controller.close();
      controller.enqueue(chunk);
      sent += chunk.length;
      read.bytes += chunk.length;
    },
  });
  const request = new Request(URL_, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-cnc-timestamp": String(timestamp),
      authorization: `CNC-HMAC-SHA256 Credential=${accessKey}, SignedHeaders=content-type;host, ` +
        `Signature=${"ab".repeat(32)}`,
    },
    body,
  });
  return { request, read };
};

Deno.test("an unknown key reads and hashes the whole body, as a bad signature does", async () => {
  const size = 64 * 1024;
  const unknown = counted("AK_NOBODY", size);
  const bad = counted(known.accessKey, size);
  const unknownResult = await verifyRequest(unknown.request, lookup, { now: NOW });
  const badResult = await verifyRequest(bad.request, lookup, { now: NOW });
  assert.equal(!unknownResult.ok && unknownResult.reason, "unknown-key");
  assert.equal(!badResult.ok && badResult.reason, "bad-signature");
  assert.equal(bad.read.bytes, size, "a bad signature is checked over the whole body");
  assert.equal(unknown.read.bytes, bad.read.bytes, "an unknown key reads as much body");
});

Deno.test("a timestamp outside the window is refused before the body, for any key alike", async () => {
  const unknown = counted("AK_NOBODY", 4096, NOW - 3600);
  const skewed = counted(known.accessKey, 4096, NOW - 3600);
  const unknownResult = await verifyRequest(unknown.request, lookup, { now: NOW });
  const skewedResult = await verifyRequest(skewed.request, lookup, { now: NOW });
  assert.equal(!unknownResult.ok && unknownResult.reason, "skew");
  assert.equal(!skewedResult.ok && skewedResult.reason, "skew");
  assert.equal(unknown.read.bytes, skewed.read.bytes);
});

Deno.test("an unknown key and a bad signature take about as long (coarse, 1 MB body)", async () => {
  // Work is what the test above compares; this only catches a gross difference (before the fix,
  // an unknown key took well under a hundredth of a bad signature's time).
  const body = new Uint8Array(1 << 20).fill(120);
  const time = async (accessKey: string) => {
    const request = counted(accessKey, 0).request;
    const started = performance.now();
    await verifyRequest(request, lookup, { now: NOW, body });
    return performance.now() - started;
  };
  const unknown: number[] = [], bad: number[] = [];
  await time("AK_NOBODY"), await time(known.accessKey); // warm up
  for (let i = 0; i < 9; i++) {
    unknown.push(await time("AK_NOBODY"));
    bad.push(await time(known.accessKey));
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1];
  const ratio = median(unknown) / median(bad);
  assert.ok(ratio > 1 / 3 && ratio < 3, `unknown key / bad signature time: ${ratio.toFixed(3)}`);
});
