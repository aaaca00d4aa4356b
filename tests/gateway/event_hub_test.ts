// The memory hub, the gateway's default; the BroadcastChannel hub's tests are in
// tests/adapters/deno/broadcast_channel_hub_test.ts.
import assert from "node:assert/strict";
import { createMemoryHub, type EventHub, type HubEvent } from "../../src/gateway/mod.ts";
import { type CallbackEvent, parseCallback } from "../../src/callbacks/mod.ts";
import { manualTimers } from "../helpers.ts";

const event = (pullId: string) => parseCallback(`?action=publish&pullId=${pullId}&time=1767225600`);

const collect = async (hub: EventHub, signal: AbortSignal) => {
  const got: CallbackEvent[] = [];
  await hub.subscribe({ onEvent: (e) => got.push(e), signal });
  return got;
};

Deno.test("memory hub: every subscriber once, redeliveries dropped, unsubscribe by abort", async () => {
  let now = 0;
  const hub = createMemoryHub({ now: () => now, dedupeMs: 1_000, orderWindowMs: 0 });
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

const callback = (query: string) => parseCallback(`?${query}`);

Deno.test("memory hub history: positions in order, replay after a position, the event's own id kept", async () => {
  const hub = createMemoryHub({ orderWindowMs: 0 });
  const live: [string, string | undefined][] = [];
  await hub.subscribe({
    onEvent: (e, position) => live.push([e.params.pullId, position]),
    signal: new AbortController().signal,
  });
  for (const id of ["p1", "p2", "p3", "p4"]) await hub.publish(event(id));
  assert.equal(live.length, 4);
  assert.ok(live.every(([, position]) => typeof position == "string"), "each has a position");
  assert.equal(new Set(live.map(([, p]) => p)).size, 4, "distinct positions");
  const after = await hub.since!(live[1][1]!);
  assert.equal(after.reset, false);
  assert.deepEqual(after.events.map((e) => [e.event.params.pullId, e.position]), live.slice(2));
  assert.equal(after.events[0].event.id, event("p3").id, "the callback's own id is in the event");
  assert.equal(after.head, live[3][1]);
  assert.deepEqual(await hub.since!(live[3][1]!), { reset: false, events: [], head: live[3][1] });
});

Deno.test("memory hub history: bounded by count and age; an id outside it, or unknown, is a reset", async () => {
  let now = 0;
  const hub = createMemoryHub({
    now: () => now,
    orderWindowMs: 0,
    historyLength: 3,
    historyMs: 10_000,
  });
  const positions: string[] = [];
  await hub.subscribe({
    onEvent: (_, position) => positions.push(position!),
    signal: new AbortController().signal,
  });
  for (const id of ["p1", "p2", "p3", "p4", "p5"]) await hub.publish(event(id));
  assert.equal((await hub.since!(positions[0])).reset, true, "pushed out by the count");
  const kept = await hub.since!(positions[1]);
  assert.equal(kept.reset, false, "after the one before the oldest kept: nothing was lost");
  assert.deepEqual(kept.events.map((e) => e.event.params.pullId), ["p3", "p4", "p5"]);
  assert.equal((await hub.since!("nonsense")).reset, true, "unknown");
  assert.equal((await hub.since!(positions[4].replace(/^\w+/, "0000"))).reset, true, "other epoch");
  now += 10_001;
  assert.equal((await hub.since!(positions[3])).reset, true, "too old");
  assert.equal((await hub.since!(positions[4])).reset, false, "the head: nothing missed");
  const other = createMemoryHub();
  assert.equal((await other.since!(positions[4])).reset, true, "another hub's position");
});

Deno.test("memory hub order: out of order within the window comes out in event time; a stop carries its session", async () => {
  const timers = manualTimers();
  const hub = createMemoryHub({ orderWindowMs: 2_000, orderTimers: timers });
  const got: HubEvent[] = [];
  const positions: string[] = [];
  await hub.subscribe({
    onEvent: (e, position) => {
      got.push(e);
      positions.push(position!);
    },
    signal: new AbortController().signal,
  });
  // The stop (time 3600 s after the start) arrives first; the start 500 ms later.
  await hub.publish(callback("action=publish_done&pullId=c1&reason=forbid&time=1767229200"));
  timers.advance(500);
  await hub.publish(callback("action=publish&pullId=c1&time=1767225600"));
  timers.advance(1_499);
  assert.equal(got.length, 0, "held for the window");
  timers.advance(1);
  assert.deepEqual(got.map((e) => e.type), ["push.started", "push.stopped"]);
  assert.deepEqual(got[1].session, {
    pullId: "c1",
    status: "complete",
    start: "2026-01-01T00:00:00.000Z",
    end: "2026-01-01T01:00:00.000Z",
    durationMs: 3_600_000,
    reason: "forbid",
    startEventId: got[0].id,
    endEventId: got[1].id,
  });
  // The history holds them in the same order, with the same positions.
  const first = positions[0];
  const replay = await hub.since!(first);
  assert.deepEqual(replay.events.map((e) => [e.event.type, e.position]), [[
    "push.stopped",
    positions[1],
  ]]);
  assert.equal(replay.events[0].event.session?.durationMs, 3_600_000);
  // After the window, an older event of the channel passes at once, flagged late.
  await hub.publish(callback("action=publish&pullId=c1&time=1767222000"));
  timers.advance(2_000);
  assert.equal(got[2].late, true);
});

Deno.test("memory hub: bounds and the window are checked", () => {
  assert.throws(() => createMemoryHub({ historyLength: 0 }), /historyLength/);
  assert.throws(() => createMemoryHub({ historyMs: 1.5 }), /historyMs/);
  assert.throws(() => createMemoryHub({ orderWindowMs: -1 }), /orderWindowMs/);
});
