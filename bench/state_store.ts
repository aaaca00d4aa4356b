/**
 * The gateway's shared state on Durable Objects against this isolate's memory, in one workerd
 * run: two gateway workers from the same bundle, one bound to the GATEWAY_STATE namespace (hosted
 * by a third worker), one with no binding (so its memory store), both in front of the same
 * minimal loopback upstream. Bearer-token reads, 64 connections, alternating rounds. CPU per
 * request is workerd's own process CPU (the Durable Objects' included) over requests served.
 * The account budget is set far above the load (1,000,000 per second) so that it is consulted on
 * every request without ever holding one back.
 */
import { bundleWorker, sharedState, startWorkers, stateHost } from "../scripts/workerd.ts";
import { runLoad } from "./load.ts";
import { perSecond, type Row, row } from "./measure.ts";
import { processCpuMs } from "./process_cpu.ts";
import { serveStubUpstream } from "./stub_upstream.ts";

const token = "bench-token-0123456789abcdef";

/** Runs the comparison. */
export async function benchStateStore(seconds = 4, rounds = 2): Promise<Row[]> {
  const upstream = serveStubUpstream();
  const vars = {
    WANGSU_ACCESS_KEY: "AK_BENCH",
    WANGSU_SECRET_KEY: "SK_BENCH_master_secret",
    WANGSU_ENDPOINT: upstream.url,
    GATEWAY_KEYS: JSON.stringify([{ token, actions: ["read"] }]),
    GATEWAY_ACCOUNT_BUDGET: "1000000/1",
    GATEWAY_AUDIT_LOG: "off",
  };
  const script = await bundleWorker("workers/cloudflare.ts");
  const workers = await startWorkers([
    stateHost(script),
    {
      name: "objects",
      script,
      vars,
      durableObjects: sharedState,
    },
    { name: "memory", script, vars },
  ]);
  const pid = workers.pid()!;
  try {
    const measure = async (name: string) => {
      const url = `${workers.urls[name]}/live/channelManage/getChannelList`;
      const before = await processCpuMs(pid);
      const result = await runLoad(async () => {
        const response = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: "{}",
        });
        await response.body?.cancel();
        return response.status == 200 ? undefined : String(response.status);
      }, { connections: 64, seconds });
      const cpu = await processCpuMs(pid) - before;
      return { ...result, cpuPerRequestMs: cpu / result.requests };
    };
    await measure("objects"); // warm up
    await measure("memory");
    const best = { objects: await measure("objects"), memory: await measure("memory") };
    for (let round = 1; round < rounds; round++) {
      for (const name of ["objects", "memory"] as const) {
        const next = await measure(name);
        if (next.cpuPerRequestMs < best[name].cpuPerRequestMs) best[name] = next;
      }
    }
    const { objects, memory } = best;
    const us = (ms: number) => `${Math.round(ms * 1000)} µs`;
    return [
      row(
        "state: Durable Object store vs memory store in workerd, requests/s",
        perSecond(objects.perSecond),
        perSecond(memory.perSecond),
        objects.perSecond / memory.perSecond,
      ),
      row(
        "state: Durable Object store vs memory store, workerd CPU per request",
        us(objects.cpuPerRequestMs),
        us(memory.cpuPerRequestMs),
        objects.cpuPerRequestMs / memory.cpuPerRequestMs,
      ),
      row(
        "state: errors (Durable Object store, memory store)",
        String(objects.errors),
        String(memory.errors),
        objects.errors + memory.errors,
        { max: 0 },
      ),
    ];
  } finally {
    await workers.stop();
    await upstream.shutdown();
  }
}
