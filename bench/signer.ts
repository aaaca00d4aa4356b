/**
 * 1. The signer against the floor of what it cannot avoid (`floor.ts`: two SHA-256 digests and one
 * HMAC with a cached key, over bytes encoded beforehand). Bodies of 200 B and 10 KB, sequential and
 * 64 in flight, the two alternating.
 */
import { signRequest } from "../src/signer.ts";
import { webCryptoFloor } from "./floor.ts";
import { perSecond, type Row, row, sideBySide } from "./measure.ts";

const path = "/live/channelManage/createChannel";
const url = `https://open.chinanetcenter.com${path}`;
const credentials = { accessKey: "AK_BENCH", secretKey: "SK_BENCH_secret_value" };

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

/** Runs section 1. */
export async function benchSigner(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of [200, 10_240]) {
    const body = bodyOf(size);
    const floor = await webCryptoFloor(credentials.secretKey, path, body);
    const ours = () =>
      signRequest({ method: "POST", url, body }, credentials, { timestamp: 1764000000 });
    for (
      const [label, concurrency, count, target] of [
        ["sequential", 1, 4000, 0.85],
        ["64 in flight", 64, 16000, 0.75],
      ] as const
    ) {
      const [oursOps, floorOps] = await sideBySide(ours, floor, count, concurrency);
      rows.push(row(
        `signer vs floor, ${size >= 1024 ? "10 KB" : "200 B"}, ${label}`,
        perSecond(oursOps),
        perSecond(floorOps),
        oursOps / floorOps,
        { min: target },
      ));
    }
  }
  return rows;
}
