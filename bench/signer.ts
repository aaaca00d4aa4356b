/**
 * 1. The signer against the floor of what it cannot avoid: two SHA-256 digests and one HMAC with a
 * cached key, over bytes encoded beforehand. Bodies of 200 B and 10 KB, sequential and 64 in flight.
 */
import { signRequest } from "../src/signer.ts";
import { perSecond, type Row, row, sideBySide } from "./measure.ts";

const url = "https://open.chinanetcenter.com/live/channelManage/createChannel";
const credentials = { accessKey: "AK_BENCH", secretKey: "SK_BENCH_secret_value" };
const subtle = crypto.subtle;
const encoder = new TextEncoder();

const bodyOf = (size: number) => {
  const base = {
    channelName: "",
    channelType: "live",
    pushDomain: "push.example.com",
    pullRate: "0",
  };
  const empty = JSON.stringify(base).length;
  return JSON.stringify({ ...base, channelName: "x".repeat(size - empty) });
};

/** Runs section 1; returns its rows and the floor's time per signature (sequential, 200 B). */
export async function benchSigner(): Promise<{ rows: Row[]; floorMicroseconds: number }> {
  const key = await subtle.importKey(
    "raw",
    encoder.encode(credentials.secretKey),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const rows: Row[] = [];
  let floorMicroseconds = 0;
  for (const size of [200, 10_240]) {
    const body = bodyOf(size);
    const bodyBytes = encoder.encode(body);
    const canonical = encoder.encode(
      `POST\n/live/channelManage/createChannel\n\n...${"h".repeat(64)}`,
    );
    const toSign = encoder.encode(`CNC-HMAC-SHA256\n1764000000\n${"h".repeat(64)}`);
    const floor = async () => {
      await subtle.digest("SHA-256", bodyBytes);
      await subtle.digest("SHA-256", canonical);
      await subtle.sign("HMAC", key, toSign);
    };
    const ours = () =>
      signRequest({ method: "POST", url, body }, credentials, { timestamp: 1764000000 });
    for (
      const [label, concurrency, count, target] of [
        ["sequential", 1, 4000, 0.85],
        ["64 in flight", 64, 16000, 0.75],
      ] as const
    ) {
      const [oursOps, floorOps] = await sideBySide(ours, floor, count, concurrency);
      if (size == 200 && concurrency == 1) floorMicroseconds = 1e6 / floorOps;
      rows.push(row(
        `signer vs floor, ${size >= 1024 ? "10 KB" : "200 B"}, ${label}`,
        perSecond(oursOps),
        perSecond(floorOps),
        oursOps / floorOps,
        { min: target },
      ));
    }
  }
  return { rows, floorMicroseconds };
}
