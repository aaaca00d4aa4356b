// The simulator's options that shape what a client sees: `maxSkewSeconds` (the clock window its
// signature check allows), `seed` (the generated ids: the same seed, the same ids), and
// `callbacks.timeoutMs` (how long one callback delivery may take, against a real receiver on
// loopback that never answers).
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { signRequestSync } from "../../src/signer.ts";
import { createSimulator, type Simulator, type SimulatorOptions } from "../../src/simulator/mod.ts";
import { demoChannel, virtualClock } from "../helpers.ts";

const master = { accessKey: "AK_SIM_OPTIONS", secretKey: `SK-${crypto.randomUUID()}` };
const LIST = "/live/channelManage/getChannelList";

Deno.test("simulator maxSkewSeconds: a timestamp at the window's edge is served, one second beyond is 462", async () => {
  const clock = virtualClock();
  const nowSeconds = Math.floor(clock.time / 1000);
  /** Posts a list request signed at `nowSeconds + offset`; status and body. */
  const listAt = async (simulator: Simulator, offset: number) => {
    const url = `http://sim.test${LIST}`;
    const body = "{}";
    const headers = signRequestSync({ method: "POST", url, body }, master, {
      timestamp: nowSeconds + offset,
    });
    const response = await simulator.fetch(url, { method: "POST", headers, body });
    return { status: response.status, body: await response.json() };
  };
  const narrow = createSimulator({
    credentials: [master],
    now: clock.now,
    maxSkewSeconds: 20,
    callbacks: false,
  });
  for (const offset of [-20, 20]) {
    assert.equal((await listAt(narrow, offset)).status, 200, `${offset} s inside 20 s`);
  }
  for (const offset of [-21, 21]) {
    const refused = await listAt(narrow, offset);
    assert.equal(refused.status, 462, `${offset} s outside 20 s`);
    assert.equal(refused.body.code, "RequestTimeTooSkewed");
    assert.match(refused.body.result, /is more than 20 s from the server time/);
  }
  assert.equal(narrow.stats.applied.getChannelList, 2, "only the two inside the window ran");

  // Omitted, the window is the service's 300 s: 21 s is nothing, 301 s is too much.
  const standard = createSimulator({ credentials: [master], now: clock.now, callbacks: false });
  assert.equal((await listAt(standard, -21)).status, 200);
  assert.equal((await listAt(standard, -300)).status, 200);
  assert.equal((await listAt(standard, -301)).status, 462);
});

/** The ids a fixed script of creations gets from a simulator made with `options`. */
async function idsOf(options: SimulatorOptions) {
  const clock = virtualClock();
  const simulator = createSimulator({
    credentials: [master],
    callbacks: false,
    now: clock.now,
    ...options,
  });
  const client = sdk.createClient({ ...master, fetch: simulator.fetch, now: clock.now });
  const pullId = await demoChannel(client);
  const second = await demoChannel(client, undefined, "Second");
  const { pullId: pulled } = await sdk.createPullChannel(client, {
    channelName: "relay",
    sourcePullUrl: "rtmp://origin.example.com/live/s1",
    sourcePullProtocol: "0",
    pullDomain: "play.example.com",
    pullProtocol: "0",
    pullRate: "0",
  });
  const { directoryId } = await sdk.directoryCreate(client, {
    directoryType: "events_2026",
    firstLevelDirectory: "events",
  });
  const { taskId: recordTask } = await sdk.createRecordTask(client, {
    pullId,
    transNo: "0f8fad5bd9cb469fa16570867728950e",
    quickStart: true,
    endTime: Math.floor(clock.time / 1000) + 3600,
  });
  const { taskId: forwardTask } = await sdk.startForwardTask(client, {
    pullId,
    forwardUrl: "rtmp://relay.example.com/live/k1",
  });
  const pushIds = [...simulator.store.channels.values()].map((channel) => channel.pushId);
  return { pullId, second, pulled, directoryId, recordTask, forwardTask, pushIds };
}

Deno.test("simulator seed: the same seed gives the same ids, another seed other ids", async () => {
  const first = await idsOf({ seed: 7 });
  assert.match(first.pullId, /^[0-9a-f]{20}$/);
  assert.match(first.forwardTask, /^[0-9a-f]{24}$/);
  const all = Object.values(first).flat();
  assert.equal(new Set(all).size, all.length, "every id of one run differs from the others");
  assert.deepEqual(await idsOf({ seed: 7 }), first, "seed 7 again: every id again");
  const other = await idsOf({ seed: 8 });
  for (const [name, id] of Object.entries(other)) {
    if (Array.isArray(id)) {
      id.forEach((one, i) => assert.notEqual(one, first.pushIds[i], `pushIds.${i}`));
    } else {
      assert.notEqual(id, first[name as keyof typeof first], `${name} under seed 8`);
    }
  }
  assert.deepEqual(await idsOf({}), await idsOf({ seed: 1 }), "the default seed is 1");
});

Deno.test("simulator callbacks.timeoutMs: a receiver that never answers is given up on after it, each attempt", async () => {
  // A real receiver on loopback that holds every request open until the sender gives up.
  const arrivals: string[] = [];
  const receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    arrivals.push(request.url);
    return new Promise<Response>((resolve) =>
      request.signal.addEventListener("abort", () => resolve(new Response(null)), { once: true })
    );
  });
  const simulator = createSimulator({
    credentials: [master],
    callbacks: { timeoutMs: 150, attempts: 2, backoffMs: 1 },
  });
  try {
    const client = sdk.createClient({ ...master, fetch: simulator.fetch });
    const pullId = await demoChannel(client, `http://127.0.0.1:${receiver.addr.port}/hook`);
    simulator.startStream(pullId);
    await simulator.settled();
    const [notification] = simulator.notifications;
    assert.equal(notification.state, "failed");
    assert.deepEqual(
      notification.attempts.map((attempt) => [attempt.status, attempt.error]),
      [[undefined, "no answer within 150 ms"], [undefined, "no answer within 150 ms"]],
    );
    assert.equal(arrivals.length, 2, "both attempts reached the receiver");
  } finally {
    simulator.close();
    await receiver.shutdown();
  }
});
