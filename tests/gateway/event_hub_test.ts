// The memory hub, the gateway's default; the BroadcastChannel hub's tests are in
// tests/adapters/deno/broadcast_channel_hub_test.ts.
import assert from "node:assert/strict";
import { createMemoryHub, type EventHub } from "../../src/gateway/mod.ts";
import { type CallbackEvent, parseCallback } from "../../src/callbacks/mod.ts";

const event = (pullId: string) => parseCallback(`?action=publish&pullId=${pullId}&time=1767225600`);

const collect = async (hub: EventHub, signal: AbortSignal) => {
  const got: CallbackEvent[] = [];
  await hub.subscribe({ onEvent: (e) => got.push(e), signal });
  return got;
};

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
