/**
 * The gateway's shared state on Durable Objects against this isolate's memory, in one workerd
 * run: two gateway workers from the same bundle, one bound to the GATEWAY_STATE namespace (hosted
 * by a third worker), one with no binding (so its memory store), both in front of the same
 * minimal loopback upstream. Bearer-token reads, 64 connections, one warm-up run of each, then
 * alternating rounds; of each, the run with the least CPU per request among the runs without errors
 * is kept, and errors are counted over every run. CPU per request is workerd's own process CPU (the
 * Durable Objects' included) over requests served.
 * The account budget is set far above the load (1,000,000 per second) so that it is consulted on
 * every request without ever holding one back.
 */
import { bundleWorker, sharedState, startWorkers, stateHost } from "../scripts/workerd.ts";
import { runLoad } from "./load.ts";
import { describeErrors, keepBestRuns, perSecond, type Row, row } from "./measure.ts";
import { withCpuPerRequest } from "./process_cpu.ts";
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
    const measure = (name: string) => {
      const url = `${workers.urls[name]}/live/channelManage/getChannelList`;
      return withCpuPerRequest(pid, () =>
        runLoad(async () => {
          const response = await fetch(url, {
            method: "POST",
            headers: { authorization: `Bearer ${token}` },
            body: "{}",
          });
          await response.body?.cancel();
          return response.status == 200 ? undefined : String(response.status);
        }, { connections: 64, seconds }));
    };
    // Of each store, the run with the least CPU per request among runs without errors is kept (a
    // run of error answers is cheaper); the errors row counts every run, warm-ups included.
    const runs = keepBestRuns<Awaited<ReturnType<typeof measure>>>((run) => run.cpuPerRequestMs);
    const record = async (name: "objects" | "memory", warmUp = false) => {
      const run = runs.record(name, await measure(name), warmUp);
      if (run.errors) console.error(`state ${name}: ${run.errors} errors`, run.errorSamples);
    };
    await record("objects", true);
    await record("memory", true);
    for (let round = 0; round < rounds; round++) {
      for (
        const name of round % 2 ? ["memory", "objects"] as const : ["objects", "memory"] as const
      ) {
        await record(name);
      }
    }
    const [objects, memory] = [runs.kept("objects"), runs.kept("memory")];
    const [objectErrors, memoryErrors] = [runs.errors(["objects"]), runs.errors(["memory"])];
    const us = (ms: number) => `${Math.round(ms * 1000)} µs`;
    const none = "no run without errors";
    const both = objects && memory;
    return [
      row(
        "state: Durable Object store vs memory store in workerd, requests/s",
        objects ? perSecond(objects.perSecond) : none,
        memory ? perSecond(memory.perSecond) : none,
        both ? objects.perSecond / memory.perSecond : NaN,
      ),
      row(
        "state: Durable Object store vs memory store, workerd CPU per request",
        objects ? us(objects.cpuPerRequestMs) : none,
        memory ? us(memory.cpuPerRequestMs) : none,
        both ? objects.cpuPerRequestMs / memory.cpuPerRequestMs : NaN,
      ),
      row(
        "state: errors over every run, warm-ups included (Durable Object store, memory store)",
        describeErrors(objectErrors),
        describeErrors(memoryErrors),
        objectErrors.errors + memoryErrors.errors,
        { max: 0 },
      ),
    ];
  } finally {
    await workers.stop();
    await upstream.shutdown();
  }
}
