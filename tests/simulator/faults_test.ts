// Seeded fault injection: each mode produces the documented status or failure, and the same seed
// gives the same run.
import assert from "node:assert/strict";
import {
  createClient,
  getChannelList,
  WangsuApiError,
  WangsuNetworkError,
  WangsuTimeoutError,
} from "../../mod.ts";
import { createSimulator, type FaultOptions } from "../../src/simulator/mod.ts";

const credentials = { accessKey: "AK_SIM", secretKey: "SK_SIM_secret" };

const outcomes = async (faults: FaultOptions, calls: number, served = false) => {
  const simulator = createSimulator({ credentials: [credentials], faults, rateLimit: false });
  const server = served ? await simulator.serve() : undefined;
  const client = createClient({
    ...credentials,
    ...(server ? { endpoint: server.url } : { fetch: simulator.fetch }),
    timeoutMs: 2_000,
    retries: 0, // these tests look at the raw faults; tests/retry_test.ts at retries
  });
  const seen: string[] = [];
  try {
    for (let i = 0; i < calls; i++) {
      seen.push(
        await getChannelList(client, { pageIndex: i + 1 }).then(
          () => "ok",
          (error) =>
            error instanceof WangsuApiError
              ? `api ${error.status}`
              : error instanceof WangsuNetworkError
              ? "network"
              : error instanceof WangsuTimeoutError
              ? "timeout"
              : `other ${error}`,
        ),
      );
    }
  } finally {
    await server?.close();
  }
  return { seen, simulator };
};

Deno.test("injected errors use the configured statuses; 429 carries Retry-After", async () => {
  const { seen } = await outcomes({ errorRate: 1, errorStatuses: [503, 429, 500] }, 30);
  assert.deepEqual(new Set(seen), new Set(["api 503", "api 429", "api 500"]));
  const simulator = createSimulator({
    credentials: [credentials],
    faults: { errorRate: 1, errorStatuses: [429] },
  });
  const response = await simulator.fetch("http://sim.test/live/channelManage/getChannelList", {
    method: "POST",
    body: "{}",
  });
  assert.equal(response.status, 429);
  assert.equal(response.headers.get("retry-after"), "1");
  assert.deepEqual(await response.json(), { code: 429, message: "Injected fault" });
});

Deno.test("dropped connections fail as network errors, some after the action ran", async () => {
  const { seen, simulator } = await outcomes({ dropRate: 1, seed: 3 }, 40);
  assert.deepEqual(new Set(seen), new Set(["network"]));
  const applied = simulator.stats.applied.getChannelList;
  assert.ok(
    applied > 5 && applied < 35,
    `applied ${applied} of 40: drops fall both before and after`,
  );
});

Deno.test("a dropped connection over a real socket is a network error too", async () => {
  const { seen } = await outcomes({ dropRate: 1 }, 4, true);
  assert.deepEqual(seen, ["network", "network", "network", "network"]);
});

Deno.test("latency beyond the client's timeout is a timeout", async () => {
  const simulator = createSimulator({ credentials: [credentials], faults: { latencyMs: 200 } });
  const client = createClient({
    ...credentials,
    fetch: simulator.fetch,
    timeoutMs: 20,
    retries: 0,
  });
  await assert.rejects(
    getChannelList(client),
    (e) => e instanceof WangsuTimeoutError && e.timeoutMs == 20,
  );
});

Deno.test("the same seed gives the same run; another seed another", async () => {
  const faults = { errorRate: 0.2, dropRate: 0.3, errorStatuses: [502, 503] };
  const a = await outcomes({ ...faults, seed: 42 }, 40);
  const b = await outcomes({ ...faults, seed: 42 }, 40);
  const c = await outcomes({ ...faults, seed: 43 }, 40);
  assert.deepEqual(a.seen, b.seen);
  assert.notDeepEqual(a.seen, c.seen);
  assert.ok(
    a.seen.includes("ok") && a.seen.includes("network") &&
      a.seen.some((s) => s.startsWith("api 50")),
  );
});
