/**
 * 4. Gateway overhead in workerd: requests per second and latency through the gateway (verify,
 * validate, re-sign, forward) against a bare worker that only forwards, both in front of the same
 * upstream (a minimal loopback server, so that only the workers differ), 64 connections each.
 * The gateway runs as `wrangler.toml` deploys it, state on Durable Objects; its account budget is
 * set far above the load (it would otherwise hold requests back, as it must at the vendor's 300
 * per 5 minutes) and its audit lines are off (wrangler dev relays console output, which a
 * deployment does not pay).
 */
import { signRequest } from "../src/signer.ts";
import { startWorker } from "../scripts/wrangler.ts";
import { runLoad } from "./load.ts";
import { serveStubUpstream } from "./stub_upstream.ts";
import { perSecond, type Row, row } from "./measure.ts";

const master = { accessKey: "AK_BENCH_MASTER", secretKey: "SK_BENCH_master_secret" };
const caller = { accessKey: "GW_BENCH", secretKey: "gw-bench-secret-0123456789" };

/** Runs section 4. */
export async function benchGateway(seconds = 5): Promise<Row[]> {
  const upstream = serveStubUpstream();
  const upstreamUrl = upstream.url;
  const gateway = await startWorker({
    name: "bench-gateway",
    vars: {
      WANGSU_ACCESS_KEY: master.accessKey,
      WANGSU_SECRET_KEY: master.secretKey,
      WANGSU_ENDPOINT: upstreamUrl,
      GATEWAY_KEYS: JSON.stringify([{ ...caller, actions: ["*"] }]),
      GATEWAY_ACCOUNT_BUDGET: "1000000/1",
      GATEWAY_AUDIT_LOG: "off",
    },
  });
  const bare = await startWorker({
    name: "bench-bare",
    config: new URL("./wrangler.bare.toml", import.meta.url).pathname,
    vars: { UPSTREAM: upstreamUrl },
  });
  try {
    const load = (base: string) =>
      runLoad(async (n) => {
        const url = `${base}/live/channelManage/getChannelList`;
        const body = `{"pageIndex":${n + 1},"pageSize":10}`;
        const headers = await signRequest({ method: "POST", url, body }, caller);
        const response = await fetch(url, { method: "POST", headers, body });
        const text = await response.text();
        return response.status == 200 ? undefined : `${response.status} ${text}`;
      }, { connections: 64, seconds });
    await load(gateway.url); // warm both up
    await load(bare.url);
    const throughGateway = await load(gateway.url);
    const throughBare = await load(bare.url);
    const rows = [
      row(
        "gateway in workerd vs bare forwarder: requests/s (64 connections)",
        perSecond(throughGateway.perSecond),
        perSecond(throughBare.perSecond),
        throughGateway.perSecond / throughBare.perSecond,
        { min: 0.6 },
      ),
      row(
        "gateway latency p50 / p99 (ms)",
        `${throughGateway.p50} / ${throughGateway.p99}`,
        `${throughBare.p50} / ${throughBare.p99}`,
        throughGateway.p50 / throughBare.p50,
      ),
      row(
        "gateway errors during the run",
        String(throughGateway.errors),
        String(throughBare.errors),
        throughGateway.errors,
        { max: 0 },
      ),
    ];
    return rows;
  } finally {
    await gateway.stop();
    await bare.stop();
    await upstream.shutdown();
  }
}
