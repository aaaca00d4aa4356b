// Retries against the simulator's seeded faults: nothing lost, nothing doubled, every failure
// typed; clock-skew recovery, the replay rule and the rate limit, end to end.
import assert from "node:assert/strict";
import * as sdk from "../mod.ts";
import { createSimulator, type SimulatorOptions } from "../src/simulator/mod.ts";
import { virtualClock } from "./helpers.ts";

const credentials = { accessKey: "AK_REL", secretKey: "SK_REL_secret_value" };
const faults = { seed: 2026, errorRate: 0.15, dropRate: 0.15, errorStatuses: [503] };

function setup(simulatorOptions: SimulatorOptions, clientOptions: sdk.ClientOptions = {}) {
  const clock = virtualClock(Date.now());
  const simulator = createSimulator({
    credentials: [credentials],
    now: clock.now,
    rateLimit: false,
    ...simulatorOptions,
  });
  const retries: sdk.RetryInfo[] = [];
  const client = sdk.createClient({
    ...credentials,
    fetch: simulator.fetch,
    now: clock.now,
    sleep: clock.sleep,
    onRetry: (info) => retries.push(info),
    ...clientOptions,
  });
  return { clock, simulator, client, retries };
}

Deno.test("200 reads under 30% injected 503s and drops all succeed; upstream calls = 200 + retries", async () => {
  const { simulator, client, retries } = setup({ faults }, { retries: 10 });
  for (let i = 0; i < 200; i++) {
    const page = await sdk.getChannelList(client, { pageIndex: (i % 5) + 1 });
    assert.equal(page.channelToal, 0);
  }
  assert.ok(retries.length > 60, `${retries.length} retries: the faults did happen`);
  assert.equal(simulator.stats.requests, 200 + retries.length);
  assert.deepEqual(new Set(retries.map((r) => r.reason)), new Set(["status", "network"]));
});

Deno.test("100 creates under the same faults: no duplicate, every failure typed", async () => {
  const { simulator, client, retries } = setup({ faults });
  const outcomes = [];
  for (let i = 0; i < 100; i++) {
    outcomes.push(
      await sdk.createChannel(client, {
        channelName: `show-${i}`,
        channelType: "live",
        pushDomain: "push.example.com",
        pullRate: "0",
      }).then((result) => ({ ok: true, result }), (error) => ({ ok: false, error })),
    );
  }
  assert.equal(simulator.stats.byAction.createChannel, 100, "no create was ever sent twice");
  assert.equal(retries.length, 0);
  const failures = outcomes.filter((o) => !o.ok).map((o) => (o as { error: unknown }).error);
  assert.ok(failures.length > 15, `${failures.length} failures: the faults did happen`);
  for (const error of failures) {
    assert.ok(
      (error instanceof sdk.WangsuApiError && error.status == 503) ||
        error instanceof sdk.WangsuNetworkError,
      String(error),
    );
  }
  const names = [...simulator.store.channels.values()].map((c) => c.channelName);
  assert.equal(new Set(names).size, names.length, "no channel exists twice");
  const succeeded = outcomes.filter((o) => o.ok).length;
  assert.ok(names.length >= succeeded, "every acknowledged create exists");
  assert.equal(
    names.length,
    simulator.stats.applied.createChannel,
    "the store holds exactly what ran",
  );
});

Deno.test("a client 20 minutes off succeeds after one corrective retry", async () => {
  const simulator = createSimulator({ credentials: [credentials] });
  const retries: sdk.RetryInfo[] = [];
  const client = sdk.createClient({
    ...credentials,
    fetch: simulator.fetch,
    now: () => Date.now() - 20 * 60_000,
    onRetry: (info) => retries.push(info),
  });
  assert.deepEqual(await sdk.getChannelList(client), { channelList: [], channelToal: 0 });
  assert.deepEqual(retries.map((r) => r.reason), ["clock-skew"]);
  await sdk.directoryCreate(client, { directoryType: "after_skew", firstLevelDirectory: "x" });
  assert.equal(retries.length, 1, "later calls use the corrected clock");
});

Deno.test("retries never trip the replay rule, even with the clock standing still", async () => {
  const frozen = Date.now();
  const simulator = createSimulator({
    credentials: [credentials],
    now: () => frozen,
    rateLimit: false,
    faults: { seed: 9, errorRate: 0.5, errorStatuses: [503] },
  });
  const retries: sdk.RetryInfo[] = [];
  const client = sdk.createClient({
    ...credentials,
    fetch: simulator.fetch,
    now: () => frozen,
    retries: 8,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 1,
    onRetry: (info) => retries.push(info),
  });
  const same = { pullIds: "" };
  for (let i = 0; i < 40; i++) assert.deepEqual(await sdk.batchChannelLiveState(client, same), []);
  assert.ok(retries.length > 20);
  assert.ok(retries.every((r) => r.status == 503), "no attempt was refused as a replay");

  // The rule itself: the same signed request sent twice is refused.
  const request = new Request("http://sim.test/live/channelManage/getChannelList", {
    method: "POST",
    body: "{}",
    headers: await sdk.signRequest(
      { method: "POST", url: "http://sim.test/live/channelManage/getChannelList", body: "{}" },
      credentials,
      { timestamp: frozen / 1000 },
    ),
  });
  const strict = createSimulator({ credentials: [credentials], now: () => frozen });
  assert.equal((await strict.fetch(request.clone())).status, 200);
  const replay = await strict.fetch(request.clone());
  assert.equal(replay.status, 462);
  assert.equal((await replay.json()).code, "ReplayedRequest");
});

Deno.test("400 queued calls against a 300 / 5 min limit: all complete, none refused", async () => {
  // Virtual time moves only when every unfinished call is waiting in the limiter's line.
  let unfinished = 0;
  const clock = virtualClock(Date.now(), () => unfinished == limiter.waiting);
  const limiter = sdk.createRateLimiter({ now: clock.now, sleep: clock.sleep }); // 300 / 5 min
  const simulator = createSimulator({
    credentials: [credentials],
    now: clock.now,
    rateLimit: { limit: 300, windowMs: 300_000 },
  });
  const started: number[] = [];
  const t0 = clock.now();
  const client = sdk.createClient({
    ...credentials,
    fetch: simulator.fetch,
    now: clock.now,
    sleep: clock.sleep,
    rateLimit: limiter,
    retries: 0,
    deadlineMs: 3_600_000,
    onRequest: () => started.push(clock.now() - t0),
  });
  const results = await Promise.all(
    Array.from({ length: 400 }, (_, i) => {
      unfinished++;
      return sdk.getChannelLiveState(client, { pullId: `p${i}` })
        .catch((e) => e)
        .finally(() => unfinished--);
    }),
  );
  // Every call ran and was answered by the action (the channels do not exist), never by the limit.
  for (const result of results) {
    assert.ok(
      result instanceof sdk.WangsuApiError && result.code == "ChannelNotFound",
      String(result),
    );
  }
  assert.equal(simulator.stats.applied.getChannelLiveState, 400);
  const sorted = [...started].sort((a, b) => a - b);
  assert.equal(sorted.filter((t) => t < 300_000).length, 300);
  assert.ok(sorted[300] >= 300_000, `the 301st started at +${sorted[300]} ms`);
});

Deno.test("a waiting call can be aborted; a 429's Retry-After pauses the line", async () => {
  const clock = virtualClock(Date.now());
  const simulator = createSimulator({
    credentials: [credentials],
    now: clock.now,
    rateLimit: { limit: 2, windowMs: 60_000 },
  });
  const client = sdk.createClient({
    ...credentials,
    fetch: simulator.fetch,
    now: clock.now,
    sleep: clock.sleep,
    // Looser than the service's limit, so the service will answer 429.
    rateLimit: sdk.createRateLimiter({
      limit: 1000,
      windowMs: 60_000,
      now: clock.now,
      sleep: clock.sleep,
    }),
    deadlineMs: 120_000, // room for the service's 60 s Retry-After
  });
  await sdk.getChannelList(client, { pageIndex: 1 });
  await sdk.getChannelList(client, { pageIndex: 2 });
  const t = clock.now();
  await sdk.getChannelList(client, { pageIndex: 3 }); // 429, Retry-After 60, then through
  assert.ok(clock.now() - t >= 60_000);

  const tight = sdk.createClient({
    ...credentials,
    fetch: simulator.fetch,
    rateLimit: sdk.createRateLimiter({ limit: 1, windowMs: 3_600_000 }),
  });
  await sdk.getChannelList(tight, { pageIndex: 9 }).catch(() => {});
  const controller = new AbortController();
  const waiting = sdk.getChannelList(tight, { pageIndex: 10 }, { signal: controller.signal });
  controller.abort(new Error("user navigated away"));
  await assert.rejects(waiting, /user navigated away/);
});
