/**
 * 2. What the client adds beyond crypto: an action call through the client over a loopback socket
 * against a raw `fetch` of the same request, signed beforehand, to the same server. Everything we
 * add (signature, validation, JSON, headers, parsing, retry bookkeeping) must stay within 1.5 of
 * the Web Crypto floor's signature time (`floor.ts`) for the same request. The three are measured
 * here, alternating, so that the section stands alone (`deno task bench client`).
 */
import { createClient } from "../src/client.ts";
import { getChannelList } from "../src/actions/channels/get_channel_list.ts";
import { signRequest } from "../src/signer.ts";
import { webCryptoFloor } from "./floor.ts";
import { alternate, type Row, row } from "./measure.ts";
import { serveStubUpstream } from "./stub_upstream.ts";

/** Runs section 2. */
export async function benchClient(): Promise<Row[]> {
  const server = serveStubUpstream();
  try {
    const endpoint = server.url;
    const credentials = { accessKey: "AK_BENCH", secretKey: "SK_BENCH_secret_value" };
    const client = createClient({ ...credentials, endpoint, retries: 0 });
    const path = "/live/channelManage/getChannelList";
    const url = `${endpoint}${path}`;
    const requestBody = JSON.stringify({ pageSize: 10 });
    const headers = await signRequest({ method: "POST", url, body: requestBody }, credentials);
    const raw = async () => {
      const response = await fetch(url, { method: "POST", headers, body: requestBody });
      await response.json();
    };
    const ours = () => getChannelList(client, { pageSize: 10 });
    const floor = await webCryptoFloor(credentials.secretKey, path, requestBody);
    const [oursOps, rawOps, floorOps] = await alternate([ours, raw, floor], 2000, 1, 5);
    const [oursUs, rawUs, floorMicroseconds] = [oursOps, rawOps, floorOps].map((ops) => 1e6 / ops);
    const added = oursUs - rawUs;
    return [row(
      "client call over loopback: time added beyond a raw fetch, in floor signatures",
      `${added.toFixed(1)} µs (${oursUs.toFixed(1)} − ${rawUs.toFixed(1)})`,
      `floor ${floorMicroseconds.toFixed(1)} µs/signature`,
      added / floorMicroseconds,
      { max: 1.5 },
    )];
  } finally {
    await server.shutdown();
  }
}
