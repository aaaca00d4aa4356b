// The BroadcastChannel hub (@wangsu/sdk/adapters/deno): hubs in one process stand for the
// isolates of a deployment; an event published on one reaches every subscriber once.
import assert from "node:assert/strict";
import { createGateway, type EventHub } from "../../../src/gateway/mod.ts";
import { createBroadcastChannelHub } from "../../../src/adapters/deno/mod.ts";
import { type CallbackEvent, parseCallback } from "../../../src/callbacks/mod.ts";
import { createSimulator } from "../../../src/simulator/mod.ts";
import { sseReader, until } from "../../helpers.ts";

const event = (pullId: string) => parseCallback(`?action=publish&pullId=${pullId}&time=1767225600`);

const collect = async (hub: EventHub, signal: AbortSignal) => {
  const got: CallbackEvent[] = [];
  await hub.subscribe({ onEvent: (e) => got.push(e), signal });
  return got;
};

Deno.test("BroadcastChannel hubs (one per isolate): an event published on one reaches the other once", async () => {
  const name = `test-${crypto.randomUUID()}`;
  const [one, two] = [createBroadcastChannelHub({ name }), createBroadcastChannelHub({ name })];
  const stop = new AbortController();
  const [a, b] = [await collect(one, stop.signal), await collect(two, stop.signal)];
  try {
    assert.equal(await one.publish(event("p1")), true);
    await until(() => b.length, "p1 to reach the other isolate");
    assert.equal(await two.publish(event("p1")), false, "the other isolate saw it already");
    assert.equal(await one.publish(event("p2")), true);
    // A channel delivers in order: once p2 is in, so is anything sent before it (a second p1).
    await until(() => b.length >= 2, "p2 to reach the other isolate");
    assert.deepEqual(a.map((e) => e.params.pullId), ["p1", "p2"]);
    assert.deepEqual(b.map((e) => e.params.pullId), ["p1", "p2"]);
  } finally {
    stop.abort();
    one.close();
    two.close();
  }
  assert.deepEqual([one.subscribers, two.subscribers], [0, 0]);
});

Deno.test("two gateways on one BroadcastChannel: a callback at A streams from B, once", async () => {
  const master = { accessKey: "AK_HUB", secretKey: "SK_HUB_broadcast_0001" };
  const token = "hub-reader-token-0123456789";
  const ingress = "cb_broadcast_0123456789abcdef0123456789";
  const name = `gateways-${crypto.randomUUID()}`;
  const simulator = createSimulator({ credentials: [master], callbacks: false });
  const gateway = () =>
    createGateway({
      upstream: { ...master, fetch: simulator.fetch },
      keys: [{ token, actions: ["read"], objects: "all" as const }],
      callbacks: { token: ingress, hub: createBroadcastChannelHub({ name }) },
      auditLog: false,
    });
  const [a, b] = [gateway(), gateway()];
  const response = await b.fetch(
    new Request("http://b.test/events", { headers: { authorization: `Bearer ${token}` } }),
  );
  const events = sseReader(response);
  try {
    const callback = `http://a.test/callbacks/${ingress}?action=publish&pullId=p9&time=1767225600`;
    assert.equal((await a.fetch(new Request(callback))).status, 200);
    // The deadlines of `next` only bound a hang.
    const got = await events.next(30_000);
    assert.equal(got?.event, "push.started");
    assert.equal(got?.data.pullId, "p9");
    const redelivered = await b.fetch(new Request(callback.replace("a.test", "b.test")));
    assert.equal((await redelivered.json()).duplicate, true, "B saw it through the channel");
    // Once: a second p9 (sent by B itself, or by A through the channel) would come before a
    // later event on the same stream, so the next event read must be that later one.
    assert.equal((await a.fetch(new Request(callback.replace("p9", "p10")))).status, 200);
    const next = await events.next(30_000);
    assert.deepEqual([next?.event, next?.data.pullId], ["push.started", "p10"], "once");
  } finally {
    await events.close();
  }
});

Deno.test("BroadcastChannel hubs: each isolate keeps its own history; another's position is a reset", async () => {
  const name = `test-${crypto.randomUUID()}`;
  const [one, two] = [
    createBroadcastChannelHub({ name, orderWindowMs: 0, historyLength: 2 }),
    createBroadcastChannelHub({ name, orderWindowMs: 0, historyLength: 2 }),
  ];
  const stop = new AbortController();
  const positions: string[] = [];
  const atTwo: string[] = [];
  await one.subscribe({ onEvent: (_, p) => positions.push(p!), signal: stop.signal });
  await two.subscribe({ onEvent: (e) => atTwo.push(e.params.pullId), signal: stop.signal });
  try {
    for (const id of ["p1", "p2", "p3"]) await one.publish(event(id));
    const read = await one.since!(positions[0]);
    assert.equal(read.reset, false, "the one before the oldest kept");
    assert.deepEqual(read.events.map((e) => e.event.params.pullId), ["p2", "p3"]);
    assert.equal((await one.since!("nope")).reset, true);
    await until(() => atTwo.length == 3, "the events at the other isolate");
    const there = await two.since!(positions[1]);
    assert.equal(there.reset, true, "a position of another isolate is not mistaken for its own");
  } finally {
    stop.abort();
    one.close();
    two.close();
  }
});
