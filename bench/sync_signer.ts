/**
 * 3. A synchronous path, measured: the same signature computed with a pure-JavaScript SHA-256 and
 * HMAC (@noble/hashes), against our Web Crypto signer and the vendor-style Python signer. Nothing
 * is switched here; the figures are for deciding later.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { hmac } from "@noble/hashes/hmac.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { signRequest } from "../src/signer.ts";
import { measure } from "../scripts/sizes.ts";
import { perSecond, type Row, row, throughput } from "./measure.ts";

const encoder = new TextEncoder();
const host = "open.chinanetcenter.com";
const path = "/live/channelManage/createChannel";

/** CNC-HMAC-SHA256 with @noble/hashes: the same algorithm as src/signer.ts, synchronously. */
const signSync = (body: string, secret: Uint8Array, timestamp: string) => {
  const canonical = [
    "POST",
    path,
    "",
    `content-type:application/json\nhost:${host}\n`,
    "content-type;host",
    bytesToHex(sha256(encoder.encode(body))),
  ].join("\n");
  const toSign = `CNC-HMAC-SHA256\n${timestamp}\n${bytesToHex(sha256(encoder.encode(canonical)))}`;
  return bytesToHex(hmac(sha256, secret, encoder.encode(toSign)));
};

/** Runs section 3. */
export async function benchSyncSigner(): Promise<Row[]> {
  const rows: Row[] = [];
  const secretText = "SK_BENCH_secret_value";
  const secret = encoder.encode(secretText);
  for (const size of [200, 10_240]) {
    const body = `{"channelName":"${"x".repeat(size - 18)}"}`;
    const label = size >= 1024 ? "10 KB" : "200 B";
    // Same result as the Web Crypto signer, or the comparison means nothing.
    const web = await signRequest(
      { method: "POST", url: `https://${host}${path}`, body },
      { accessKey: "AK", secretKey: secretText },
      { timestamp: 1764000000 },
    );
    const sync = signSync(body, secret, "1764000000");
    if (!web.get("authorization")!.endsWith(`Signature=${sync}`)) {
      throw new Error("signatures differ");
    }
    const count = size > 1000 ? 4000 : 20000;
    let noble = 0;
    for (let round = 0; round < 3; round++) {
      const started = performance.now();
      for (let i = 0; i < count; i++) signSync(body, secret, "1764000000");
      noble = Math.max(noble, count / ((performance.now() - started) / 1000));
    }
    let webCrypto = 0;
    for (let round = 0; round < 3; round++) {
      webCrypto = Math.max(
        webCrypto,
        await throughput(
          () =>
            signRequest({ method: "POST", url: `https://${host}${path}`, body }, {
              accessKey: "AK",
              secretKey: secretText,
            }),
          count / 5,
        ),
      );
    }
    const script = new URL("./vendor_signer.py", import.meta.url).pathname;
    const python = await new Deno.Command("python3", {
      args: [script, String(size), String(count)],
    })
      .output();
    const pythonOps = Number(new TextDecoder().decode(python.stdout).trim());
    rows.push(
      row(
        `sync (noble) vs Web Crypto signer, ${label}, sequential`,
        perSecond(noble),
        perSecond(webCrypto),
        noble / webCrypto,
      ),
    );
    rows.push(
      row(
        `sync (noble) vs vendor Python signer, ${label}`,
        perSecond(noble),
        perSecond(pythonOps),
        noble / pythonOps,
      ),
    );
    rows.push(
      row(
        `Web Crypto signer vs vendor Python signer, ${label}`,
        perSecond(webCrypto),
        perSecond(pythonOps),
        webCrypto / pythonOps,
      ),
    );
  }
  const nobleSize = await measure(
    "noble sha256 + hmac",
    `export { sha256 } from "@noble/hashes/sha2.js"; export { hmac } from "@noble/hashes/hmac.js";`,
  );
  rows.push(
    row(
      "bytes a noble signer would add (min+gzip)",
      `${nobleSize.gzipped} B`,
      "0 B (Web Crypto)",
      nobleSize.gzipped,
    ),
  );
  return rows;
}
