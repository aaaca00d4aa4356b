/**
 * 2. What the client adds beyond crypto: an action call through the client over a loopback socket
 * against a raw `fetch` of the same request, signed beforehand, to the same server. Everything we
 * add (signature, validation, JSON, headers, parsing, retry bookkeeping) must stay within 1.5 of
 * the Web Crypto floor's signature times.
 */
import { createClient } from "../src/client.ts";
import { getChannelList } from "../src/actions/channels/get_channel_list.ts";
import { signRequest } from "../src/signer.ts";
import { type Row, row, sideBySide } from "./measure.ts";
import { serveStubUpstream } from "./stub_upstream.ts";

/** Runs section 2 against `floorMicroseconds` from section 1. */
export async function benchClient(floorMicroseconds: number): Promise<Row[]> {
  const server = serveStubUpstream();
  const endpoint = server.url;
  const credentials = { accessKey: "AK_BENCH", secretKey: "SK_BENCH_secret_value" };
  const client = createClient({ ...credentials, endpoint, retries: 0 });
  const url = `${endpoint}/live/channelManage/getChannelList`;
  const requestBody = JSON.stringify({ pageSize: 10 });
  const headers = await signRequest({ method: "POST", url, body: requestBody }, credentials);
  const raw = async () => {
    const response = await fetch(url, { method: "POST", headers, body: requestBody });
    await response.json();
  };
  const ours = () => getChannelList(client, { pageSize: 10 });
  const [oursOps, rawOps] = await sideBySide(ours, raw, 2000, 1, 5);
  await server.shutdown();
  const added = 1e6 / oursOps - 1e6 / rawOps;
  return [row(
    "client call over loopback: time added beyond a raw fetch",
    `${added.toFixed(1)} µs`,
    `floor ${floorMicroseconds.toFixed(1)} µs/signature`,
    added / floorMicroseconds,
    { max: 1.5 },
  )];
}
