/**
 * The load test: the gateway in workerd, its state on Durable Objects (a second worker hosts
 * them, as in tests/workers/edge_state_test.ts), with the simulator upstream (signatures, replay
 * rule and clock window on), 64 connections for 10 s, a fifth of them writes. It must end with
 * zero errors and every acknowledged write present exactly once. The account budget is set far
 * above the load (1,000,000 per second): consulted on every upstream request, never limiting.
 */
import { createClient } from "../src/client.ts";
import { createChannel } from "../src/actions/channels/create_channel.ts";
import { getChannelList } from "../src/actions/channels/get_channel_list.ts";
import { createSimulator } from "../src/simulator/mod.ts";
import { bundleWorker, sharedState, startWorkers, stateHost } from "../scripts/workerd.ts";
import { runLoad } from "./load.ts";
import { perSecond, type Row, row } from "./measure.ts";

const master = { accessKey: "AK_LOAD_MASTER", secretKey: "SK_LOAD_master_secret" };
const caller = { accessKey: "GW_LOAD", secretKey: "gw-load-secret-0123456789" };

/** Runs the load test. */
export async function loadTestGateway(seconds = 10): Promise<Row[]> {
  const simulator = createSimulator({ credentials: [master], rateLimit: false });
  const upstream = await simulator.serve();
  const script = await bundleWorker("workers/cloudflare.ts");
  const workers = await startWorkers([
    stateHost(script),
    {
      name: "gateway",
      script,
      vars: {
        WANGSU_ACCESS_KEY: master.accessKey,
        WANGSU_SECRET_KEY: master.secretKey,
        WANGSU_ENDPOINT: upstream.url,
        GATEWAY_KEYS: JSON.stringify([{ ...caller, actions: ["*"] }]),
        GATEWAY_ACCOUNT_BUDGET: "1000000/1",
        GATEWAY_AUDIT_LOG: "off",
      },
      durableObjects: sharedState,
    },
  ]);
  const gateway = { url: workers.urls.gateway, stop: workers.stop };
  const acknowledged = new Set<string>();
  try {
    // Callers use our client, which keeps their own identical requests distinct; the gateway must
    // do the same for its upstream copies (it re-signs every one with the master key).
    const client = createClient({ ...caller, endpoint: gateway.url, retries: 0 });
    const result = await runLoad(async (n) => {
      if (n % 5) {
        await getChannelList(client, { pageSize: 10 });
        return;
      }
      const name = `load-${n}`;
      await createChannel(client, {
        channelName: name,
        channelType: "live",
        pushDomain: "push.example.com",
        pullRate: "0",
      });
      acknowledged.add(name);
    }, { connections: 64, seconds });
    const names = [...simulator.store.channels.values()].map((channel) => channel.channelName);
    const unique = new Set(names);
    const lost = [...acknowledged].filter((name) => !unique.has(name)).length;
    const duplicated = names.length - unique.size;
    console.log(
      `load: ${result.requests} requests, ${acknowledged.size} writes acknowledged, errors: ${result.errors} ${
        result.errorSamples.join(" | ")
      }`,
    );
    return [
      row(
        "load: gateway + Durable Object state in workerd, 64 connections, req/s",
        perSecond(result.perSecond),
        `${result.requests} in ${seconds} s`,
        result.perSecond,
      ),
      row("load: latency p50 / p99 (ms)", `${result.p50} / ${result.p99}`, "", result.p99),
      row("load: errors", String(result.errors), "0", result.errors, { max: 0 }),
      row("load: acknowledged writes lost", String(lost), `of ${acknowledged.size}`, lost, {
        max: 0,
      }),
      row(
        "load: writes duplicated upstream",
        String(duplicated),
        `of ${names.length}`,
        duplicated,
        { max: 0 },
      ),
    ];
  } finally {
    await gateway.stop();
    await upstream.close();
  }
}
