/**
 * Callback → `/events` latency, in one process over loopback: the simulator raises push-state
 * callbacks (an encoder starting, then stopping, on each of 25 channels) and delivers each by a
 * real HTTP GET to the gateway served on 127.0.0.1; a subscriber holds `/events` on the same
 * gateway and reads its Server-Sent Events. Each of the 50 events is timed from the moment the
 * simulator raises it to the moment its `data:` line is read, one at a time (so the figure is
 * latency, not queueing), after a warm-up channel. Target: p99 under 2 s, the bound the browser
 * and demo tests used to assert on each event.
 *
 * @module
 */
import { createClient } from "../src/client.ts";
import { createChannel } from "../src/actions/channels/create_channel.ts";
import { setChannelStateRealtimeBack } from "../src/actions/live_state/set_channel_state_realtime_back.ts";
import { createGateway } from "../src/gateway/mod.ts";
import { createSimulator } from "../src/simulator/mod.ts";
import { type Row, row } from "./measure.ts";

const master = { accessKey: "AK_BENCH", secretKey: "SK_BENCH_event_latency_0001" };
const INGRESS = "cb_bench_0123456789abcdef0123456789abcdef";
const TOKEN = "bench-events-token-0123456789";
/** Channels measured; each gives two events (started, stopped). */
const CHANNELS = 25;
/** The latency target, ms. */
const TARGET_MS = 2000;
/** How long one event may take before the run is given up: bounds a hang only. */
const HANG_MS = 60_000;

/** The value below which `share` of `sorted` (ascending) lies: nearest rank. */
const percentile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)];

/** Runs the section. */
export async function benchEventLatency(): Promise<Row[]> {
  const simulator = createSimulator({ credentials: [master] });
  const gateway = createGateway({
    upstream: { ...master, fetch: simulator.fetch },
    keys: [{ name: "bench", token: TOKEN, actions: ["read"] }],
    callbacks: { token: INGRESS },
    auditLog: false,
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request, info) => gateway.fetch(request, info),
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  const subscription = new AbortController();
  try {
    // Channels are made on the simulator directly: only the callbacks go through the gateway.
    const client = createClient({ ...master, fetch: simulator.fetch, retries: 0 });
    const pushDomain = "push.example.com";
    await setChannelStateRealtimeBack(client, {
      domainName: pushDomain,
      notifyUrl: `${base}/callbacks/${INGRESS}`,
      open: 1,
    });
    const pullIds: string[] = [];
    for (let i = 0; i <= CHANNELS; i++) {
      const { pullId } = await createChannel(client, {
        channelName: `latency-${i}`,
        channelType: "live",
        pushDomain,
        pullRate: "0",
      });
      pullIds.push(pullId);
    }

    const response = await fetch(`${base}/events`, {
      headers: { authorization: `Bearer ${TOKEN}` },
      signal: subscription.signal,
    });
    if (response.status != 200) throw new Error(`/events answered ${response.status}`);
    // Each awaited event: `${type} ${pullId}` → when it was read.
    const waiting = new Map<string, (at: number) => void>();
    const reading = (async () => {
      let buffer = "";
      for await (const text of response.body!.pipeThrough(new TextDecoderStream())) {
        const at = performance.now();
        buffer += text;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").find((line) => line.startsWith("data:"));
          if (!data) continue;
          const event = JSON.parse(data.slice(5));
          const key = `${event.type} ${event.pullId}`;
          waiting.get(key)?.(at);
          waiting.delete(key);
        }
      }
    })().catch(() => {}); // ends when the subscription is aborted
    const timed = async (type: string, pullId: string, raise: () => void) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const arrived = new Promise<number>((resolve, reject) => {
        waiting.set(`${type} ${pullId}`, resolve);
        timer = setTimeout(
          () => reject(new Error(`${type} for ${pullId} not read within ${HANG_MS} ms`)),
          HANG_MS,
        );
      });
      const started = performance.now();
      raise();
      try {
        return await arrived - started;
      } finally {
        clearTimeout(timer);
      }
    };
    const cycle = async (pullId: string) => [
      await timed("push.started", pullId, () => simulator.startStream(pullId)),
      await timed("push.stopped", pullId, () => simulator.stopStream(pullId)),
    ];

    await cycle(pullIds[0]); // warm-up: first connections, lazy modules
    const latencies: number[] = [];
    for (const pullId of pullIds.slice(1)) latencies.push(...await cycle(pullId));
    await simulator.settled();
    const failed = simulator.notifications.filter((n) => n.state != "delivered").length;
    if (failed) throw new Error(`${failed} callbacks were not delivered`);
    subscription.abort();
    await reading;

    latencies.sort((a, b) => a - b);
    const [p50, p99] = [percentile(latencies, 0.5), percentile(latencies, 0.99)];
    return [row(
      `callback → /events, loopback: p99 of ${latencies.length} events`,
      `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
      `${TARGET_MS} ms (target)`,
      p99 / TARGET_MS,
      { max: 1 },
    )];
  } finally {
    subscription.abort();
    simulator.close();
    await server.shutdown();
  }
}
