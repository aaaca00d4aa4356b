/**
 * 3. The synchronous signer, measured: our signer (plain JavaScript SHA-256, HMAC states cached
 * per secret) against the same algorithm on Web Crypto (what the signer was until the switch,
 * kept here as the reference), @noble/hashes, and the vendor-style Python signer, alternating
 * (A B C D E, E D C B A, ...; one warm-up pass of each), the best of 3 rounds each.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { hmac } from "@noble/hashes/hmac.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { signRequest, signRequestSync } from "../src/signer.ts";
import { alternateRuns, perSecond, type Row, row, throughput } from "./measure.ts";

const encoder = new TextEncoder();
const host = "open.chinanetcenter.com";
const path = "/live/channelManage/createChannel";
const url = `https://${host}${path}`;
const canonicalOf = (bodyHash: string) =>
  ["POST", path, "", `content-type:application/json\nhost:${host}\n`, "content-type;host", bodyHash]
    .join("\n");

/** The same algorithm with @noble/hashes, synchronously. */
const signNoble = (body: string, secret: Uint8Array, timestamp: string) => {
  const canonical = canonicalOf(bytesToHex(sha256(encoder.encode(body))));
  const toSign = `CNC-HMAC-SHA256\n${timestamp}\n${bytesToHex(sha256(encoder.encode(canonical)))}`;
  return bytesToHex(hmac(sha256, secret, encoder.encode(toSign)));
};

/** The same algorithm on Web Crypto, key imported once: the signer before the switch. */
const webCryptoSigner = async (secret: string) => {
  const subtle = crypto.subtle;
  const key = await subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const hex = (buffer: ArrayBuffer) =>
    Array.from(new Uint8Array(buffer), (b) => (b | 256).toString(16).slice(1)).join("");
  return async (body: string, timestamp: string) => {
    // Headers built as the signer builds them, so that only the hashing differs.
    const headers = new Headers({ "content-type": "application/json", accept: "application/json" });
    headers.set("x-cnc-timestamp", timestamp);
    const canonical = canonicalOf(hex(await subtle.digest("SHA-256", encoder.encode(body))));
    const digest = hex(await subtle.digest("SHA-256", encoder.encode(canonical)));
    return hex(
      await subtle.sign("HMAC", key, encoder.encode(`CNC-HMAC-SHA256\n${timestamp}\n${digest}`)),
    );
  };
};

const loop = (count: number, once: () => unknown) => () => {
  const started = performance.now();
  for (let i = 0; i < count; i++) once();
  return Promise.resolve(count / ((performance.now() - started) / 1000));
};

/** Runs section 3. */
export async function benchSyncSigner(): Promise<Row[]> {
  const rows: Row[] = [];
  const secretText = "SK_BENCH_secret_value";
  const secret = encoder.encode(secretText);
  const credentials = { accessKey: "AK", secretKey: secretText };
  const web = await webCryptoSigner(secretText);
  const script = new URL("./vendor_signer.py", import.meta.url).pathname;
  for (const size of [200, 10_240]) {
    const body = `{"channelName":"${"x".repeat(size - 18)}"}`;
    const label = size >= 1024 ? "10 KB" : "200 B";
    const timestamp = 1764000000;
    // The same signature three ways, or the comparison means nothing.
    const ours = signRequestSync({ method: "POST", url, body }, credentials, { timestamp })
      .get("authorization")!;
    for (const other of [signNoble(body, secret, "1764000000"), await web(body, "1764000000")]) {
      if (!ours.endsWith(`Signature=${other}`)) throw new Error("signatures differ");
    }
    const count = size > 1000 ? 2000 : 10000;
    // The vendor-style signer times one round of `count` in its own process (after its warm-up).
    const python = async () => {
      const { code, stdout, stderr } = await new Deno.Command("python3", {
        args: [script, String(size), String(count), "1"],
      }).output();
      if (code != 0) throw new Error(`vendor_signer.py: ${new TextDecoder().decode(stderr)}`);
      return Number(new TextDecoder().decode(stdout).trim());
    };
    const [oursOps, oursAsync, nobleOps, webOps, pythonOps] = await alternateRuns([
      loop(count, () => signRequestSync({ method: "POST", url, body }, credentials)),
      () => throughput(() => signRequest({ method: "POST", url, body }, credentials), count / 5),
      loop(count, () => signNoble(body, secret, "1764000000")),
      () => throughput(() => web(body, "1764000000"), count / 5),
      python,
    ], 3);
    rows.push(
      row(
        `our signer (sync JS) vs the Web Crypto signer, ${label}, sequential`,
        perSecond(oursOps),
        perSecond(webOps),
        oursOps / webOps,
        size < 1024 ? { min: 4 } : {},
      ),
      row(
        `our signRequest (promise) vs the Web Crypto signer, ${label}`,
        perSecond(oursAsync),
        perSecond(webOps),
        oursAsync / webOps,
      ),
      row(
        `our signer vs @noble/hashes, ${label}`,
        perSecond(oursOps),
        perSecond(nobleOps),
        oursOps / nobleOps,
      ),
      row(
        `our signer vs the vendor's Python signer (OpenSSL), ${label}`,
        perSecond(oursOps),
        perSecond(pythonOps),
        oursOps / pythonOps,
      ),
    );
  }
  return rows;
}
