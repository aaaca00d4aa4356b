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
    timeoutMs: 60_000, // no latency is injected here: this only bounds a hang
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

/** How many times each outcome came. */
const tally = (seen: string[]) =>
  Object.fromEntries(
    [...new Set(seen)].sort().map((outcome) => [outcome, seen.filter((s) => s == outcome).length]),
  );

Deno.test("injected errors use the configured statuses; 429 carries Retry-After", async () => {
  // The default seed (1): the same statuses in the same order on every run.
  const { seen } = await outcomes({ errorRate: 1, errorStatuses: [503, 429, 500] }, 30);
  assert.deepEqual(seen.slice(0, 8), [
    "api 503",
    "api 500",
    "api 503",
    "api 500",
    "api 500",
    "api 429",
    "api 429",
    "api 503",
  ]);
  assert.deepEqual(tally(seen), { "api 429": 6, "api 500": 13, "api 503": 11 });
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
  assert.deepEqual(seen, Array(40).fill("network"));
  // Seed 3 drops 21 of the 40 after the action ran, 19 before it.
  assert.deepEqual(simulator.stats.applied, { getChannelList: 21 });
  assert.deepEqual(simulator.stats.byAction, { getChannelList: 40 });
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
  // About 20% errors and 30% drops, as asked: seed 42 gives these.
  assert.deepEqual(tally(a.seen), { "api 502": 3, "api 503": 7, network: 10, ok: 20 });
  assert.deepEqual(a.seen.slice(0, 6), ["ok", "ok", "api 503", "network", "ok", "network"]);
  assert.deepEqual(tally(c.seen), { "api 502": 3, "api 503": 3, network: 9, ok: 25 });
});
