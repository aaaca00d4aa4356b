import assert from "node:assert/strict";
import {
  createBroadcastChannelHub,
  createGateway,
  createMemoryHub,
  type EventHub,
} from "../../src/gateway/mod.ts";
import { type CallbackEvent, parseCallback } from "../../src/callbacks/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { sseReader } from "../helpers.ts";

const event = (pullId: string) => parseCallback(`?action=publish&pullId=${pullId}&time=1767225600`);

const collect = async (hub: EventHub, signal: AbortSignal) => {
  const got: CallbackEvent[] = [];
  await hub.subscribe({ onEvent: (e) => got.push(e), signal });
  return got;
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

Deno.test("memory hub: every subscriber once, redeliveries dropped, unsubscribe by abort", async () => {
  let now = 0;
  const hub = createMemoryHub({ now: () => now, dedupeMs: 1_000 });
  const stop = new AbortController();
  const [a, b] = [
    await collect(hub, stop.signal),
    await collect(hub, new AbortController().signal),
  ];
  assert.equal(hub.subscribers, 2);
  assert.equal(await hub.publish(event("p1")), true);
  assert.equal(await hub.publish(event("p1")), false, "a redelivery");
  stop.abort();
  assert.equal(hub.subscribers, 1, "an aborted subscription is let go at once");
  assert.equal(await hub.publish(event("p2")), true);
  now += 1_001;
  assert.equal(await hub.publish(event("p1")), true, "after the window it is new again");
  assert.deepEqual(a.map((e) => e.params.pullId), ["p1"]);
  assert.deepEqual(b.map((e) => e.params.pullId), ["p1", "p2", "p1"]);
});

Deno.test("BroadcastChannel hubs (one per isolate): an event published on one reaches the other once", async () => {
  const name = `test-${crypto.randomUUID()}`;
  const [one, two] = [createBroadcastChannelHub({ name }), createBroadcastChannelHub({ name })];
  const stop = new AbortController();
  const [a, b] = [await collect(one, stop.signal), await collect(two, stop.signal)];
  try {
    assert.equal(await one.publish(event("p1")), true);
    await settle();
    assert.equal(await two.publish(event("p1")), false, "the other isolate saw it already");
    await one.publish(event("p2"));
    await settle();
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
      keys: [{ token, actions: ["read"] }],
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
    const got = await events.next(2000);
    assert.equal(got?.event, "push.started");
    assert.equal(got?.data.pullId, "p9");
    const redelivered = await b.fetch(new Request(callback.replace("a.test", "b.test")));
    assert.equal((await redelivered.json()).duplicate, true, "B saw it through the channel");
    assert.equal(await events.next(300), undefined, "once");
  } finally {
    await events.close();
  }
});
