// Ordering events by the platform's time within a window per channel, and pairing push starts and
// stops into sessions: pure functions, driven by explicit arrival times.
import assert from "node:assert/strict";
import fc from "fast-check";
import { type CallbackEvent, parseCallback } from "../../src/callbacks/mod.ts";
import {
  createEventOrder,
  createSessionTracker,
  type OrderedEvent,
  pairSessions,
} from "../../src/callbacks/sessions.ts";

const T0 = 1767225600_000; // 2026-01-01T00:00:00Z, ms
/** A push event on `pullId` at `T0 + ms` (the platform's time, in Unix milliseconds). */
const push = (action: string, pullId: string, ms: number, extra = "") =>
  parseCallback(`?action=${action}&pullId=${pullId}&time=${T0 + ms}${extra}`);
const offsetOf = (released: OrderedEvent<CallbackEvent>) => Date.parse(released.event.time) - T0;

Deno.test("out-of-order events inside the window come out in event-time order", () => {
  const order = createEventOrder<CallbackEvent>({ windowMs: 2000 });
  assert.deepEqual(order.add(push("publish", "p1", 10_000), 0), [], "held for the window");
  assert.deepEqual(order.add(push("publish_done", "p1", 8_000), 500), []);
  assert.deepEqual(order.add(push("forbid", "p1", 9_000), 900), []);
  assert.equal(order.held, 3);
  assert.equal(order.nextReleaseAt(), 2000, "when the first arrival's window ends");
  assert.deepEqual(order.release(1999), []);
  const out = order.release(2000);
  assert.deepEqual(out.map(offsetOf), [8_000, 9_000, 10_000]);
  assert.deepEqual(out.map((o) => o.late), [false, false, false]);
  assert.deepEqual(out.map((o) => o.arrivedAt), [500, 900, 0]);
  assert.equal(order.held, 0);
  assert.equal(order.nextReleaseAt(), undefined);
});

Deno.test("an event later than the window passes through at once, flagged late", () => {
  const order = createEventOrder<CallbackEvent>({ windowMs: 2000 });
  order.add(push("publish", "p1", 10_000), 0);
  order.release(2000);
  const late = order.add(push("publish_done", "p1", 9_500), 2500);
  assert.equal(late.length, 1, "not held");
  assert.equal(late[0].late, true);
  assert.equal(offsetOf(late[0]), 9_500);
  // The same time as the last released one is not late (ties keep arrival order).
  const tie = order.add(push("forbid", "p1", 10_000), 2600);
  assert.deepEqual(tie, []);
  assert.equal(order.release(4600)[0].late, false);
  // Channels are independent: an earlier time on another channel is not late.
  assert.deepEqual(order.add(push("publish", "p2", 1_000), 4700), []);
  assert.equal(order.release(6700)[0].late, false);
});

Deno.test("each event waits at most the window; a due one takes the earlier ones with it", () => {
  const order = createEventOrder<CallbackEvent>({ windowMs: 2000 });
  order.add(push("publish", "p1", 10_000), 0);
  order.add(push("publish_done", "p1", 20_000), 1500);
  assert.deepEqual(order.release(2000).map(offsetOf), [10_000], "only what is due");
  assert.equal(order.nextReleaseAt(), 3500);
  assert.deepEqual(order.release(3500).map(offsetOf), [20_000]);

  // A later event arrives first and is due: the earlier one held behind it goes out before it.
  order.add(push("publish", "p3", 30_000), 4000);
  order.add(push("publish_done", "p3", 29_000), 5900);
  assert.deepEqual(order.release(6000).map(offsetOf), [29_000, 30_000]);
  // add() releases what is due at its arrival time too.
  order.add(push("publish", "p4", 1_000), 7000);
  assert.deepEqual(
    order.add(push("publish", "p5", 1_000), 9000).map((o) => o.event.params.pullId),
    [
      "p4",
    ],
  );
});

Deno.test("equal times keep arrival order; no window or no channel means no wait", () => {
  const order = createEventOrder<CallbackEvent>({ windowMs: 1000 });
  order.add(push("publish_done", "p1", 5_000, "&reason=forbid"), 0);
  order.add(push("forbid", "p1", 5_000), 10);
  assert.deepEqual(order.release(1010).map((o) => o.event.type), [
    "push.stopped",
    "channel.banned",
  ]);

  const task = parseCallback(`?action=record&taskId=t1&status=1&time=${T0}`);
  const unordered = createEventOrder<CallbackEvent>({
    windowMs: 1000,
    channelOf: (event) => "pullId" in event ? event.pullId : undefined,
  });
  assert.deepEqual(unordered.add(task, 0).map((o) => o.event), [task], "no channel: at once");

  const passThrough = createEventOrder<CallbackEvent>({ windowMs: 0 });
  const started = push("publish", "p1", 1_000);
  assert.deepEqual(passThrough.add(started, 0).map((o) => o.event), [started]);
  assert.equal(passThrough.add(push("publish_done", "p1", 500), 1)[0].late, true);
});

Deno.test("memory is bounded: past maxHeld the oldest arrival's channel releases early", () => {
  const order = createEventOrder<CallbackEvent>({ windowMs: 60_000, maxHeld: 3 });
  order.add(push("publish", "a", 5_000), 0);
  order.add(push("publish", "b", 1_000), 1);
  order.add(push("publish_done", "a", 4_000), 2);
  const forced = order.add(push("publish", "c", 1_000), 3);
  assert.deepEqual(forced.map((o) => [o.event.params.pullId, offsetOf(o)]), [["a", 4_000]]);
  assert.equal(order.held, 3);
  const forcedAgain = order.add(push("publish", "d", 1_000), 4);
  assert.deepEqual(forcedAgain.map((o) => [o.event.params.pullId, offsetOf(o)]), [["a", 5_000]]);
  assert.throws(() => createEventOrder({ maxHeld: 0 }), /maxHeld/);
  assert.throws(() => createEventOrder({ windowMs: -1 }), /windowMs/);

  // The channels remembered for lateness are bounded too: the least recent is forgotten.
  const small = createEventOrder<CallbackEvent>({ windowMs: 0, maxChannels: 2 });
  small.add(push("publish", "a", 5_000), 0);
  small.add(push("publish", "b", 5_000), 0);
  assert.equal(small.add(push("publish_done", "a", 1_000), 0)[0].late, true, "a is remembered");
  small.add(push("publish", "c", 5_000), 0); // b is the least recent: forgotten
  assert.equal(small.add(push("publish_done", "b", 1_000), 0)[0].late, false);
});

Deno.test("pending() hands the held events over to a fresh order (a restarted isolate)", () => {
  const order = createEventOrder<CallbackEvent>({ windowMs: 2000 });
  order.add(push("publish_done", "p1", 9_000), 0);
  order.add(push("publish", "p1", 8_000), 700);
  order.add(push("publish", "p2", 1_000), 1500);
  const pending = order.pending();
  assert.deepEqual(pending.map((o) => [o.event.params.pullId, o.arrivedAt]), [
    ["p1", 0],
    ["p1", 700],
    ["p2", 1500],
  ], "in arrival order");
  const fresh = createEventOrder<CallbackEvent>({ windowMs: 2000 });
  for (const { event, arrivedAt } of pending) assert.deepEqual(fresh.add(event, arrivedAt), []);
  assert.equal(fresh.nextReleaseAt(), order.nextReleaseAt());
  assert.deepEqual(fresh.release(2000), order.release(2000));
  assert.deepEqual(fresh.pending(), order.pending());
});

Deno.test("property: whatever arrives within the window of its time comes out sorted, never late", () => {
  const windowMs = 2000;
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          channel: fc.constantFrom("a", "b", "c"),
          gap: fc.integer({ min: 0, max: 3000 }),
          delay: fc.integer({ min: 0, max: windowMs - 1 }),
        }),
        { maxLength: 40 },
      ),
      (draws) => {
        let time = 0;
        const arrivals = draws.map(({ channel, gap, delay }) => {
          time += gap;
          return { event: push("publish", channel, time), arrivedAt: time + delay };
        }).sort((x, y) => x.arrivedAt - y.arrivedAt);
        const order = createEventOrder<CallbackEvent>({ windowMs });
        const out: OrderedEvent<CallbackEvent>[] = [];
        for (const { event, arrivedAt } of arrivals) {
          // Timers fire at each due time before the next arrival, as in real time.
          for (let due = order.nextReleaseAt(); due !== undefined && due <= arrivedAt;) {
            out.push(...order.release(due));
            due = order.nextReleaseAt();
          }
          out.push(...order.add(event, arrivedAt));
        }
        out.push(...order.release(Number.MAX_SAFE_INTEGER));
        assert.equal(out.length, arrivals.length, "every event comes out once");
        assert.ok(out.every((o) => !o.late), "none late");
        for (const channel of ["a", "b", "c"]) {
          const times = out.filter((o) => o.event.params.pullId == channel).map(offsetOf);
          assert.deepEqual(times, [...times].sort((x, y) => x - y), `channel ${channel} sorted`);
        }
      },
    ),
  );
});

Deno.test("a push.stopped is paired with its push.started: start, end, duration, reason", () => {
  const { sessions, open } = pairSessions([
    push("publish", "p1", 0),
    push("publish", "p2", 1_000),
    push("forbid", "p1", 330_000), // not part of a session
    push("publish_done", "p1", 330_000, "&reason=forbid"),
  ]);
  assert.deepEqual(sessions, [{
    pullId: "p1",
    status: "complete",
    start: "2026-01-01T00:00:00.000Z",
    end: "2026-01-01T00:05:30.000Z",
    durationMs: 330_000,
    reason: "forbid",
    startEventId: push("publish", "p1", 0).id,
    endEventId: push("publish_done", "p1", 330_000, "&reason=forbid").id,
  }]);
  assert.deepEqual(open, [{
    pullId: "p2",
    start: "2026-01-01T00:00:01.000Z",
    startEventId: push("publish", "p2", 1_000).id,
  }]);
});

Deno.test("a stop with no start and two starts in a row are reported, not guessed", () => {
  const tracker = createSessionTracker();
  const orphan = tracker.add(push("publish_done", "p1", 5_000, "&reason=disconnect"));
  assert.deepEqual(orphan.map((s) => [s.status, s.start, s.end, s.durationMs, s.reason]), [
    ["missing_start", undefined, "2026-01-01T00:00:05.000Z", undefined, "disconnect"],
  ]);
  assert.deepEqual(tracker.add(push("publish", "p1", 10_000)), []);
  const restarted = tracker.add(push("publish", "p1", 70_000));
  assert.deepEqual(restarted.map((s) => [s.status, s.start, s.end, s.durationMs, s.reason]), [
    ["missing_stop", "2026-01-01T00:00:10.000Z", "2026-01-01T00:01:10.000Z", 60_000, undefined],
  ], "the first start ends, at the latest, when the second one came");
  const done = tracker.add(push("publish_done", "p1", 100_000, "&reason=stop"));
  assert.deepEqual(done.map((s) => [s.status, s.durationMs, s.reason]), [[
    "complete",
    30_000,
    "stop",
  ]]);
  assert.deepEqual(tracker.open(), []);

  // A stop older than the open start belongs to an earlier session: the open one stays open.
  tracker.add(push("publish", "p2", 50_000));
  const stale = tracker.add(push("publish_done", "p2", 40_000, "&reason=stop"));
  assert.deepEqual(stale.map((s) => [s.status, s.durationMs]), [["missing_start", undefined]]);
  assert.equal(tracker.open().length, 1);
  assert.deepEqual(tracker.add(parseCallback(`?action=record&taskId=t&status=1&time=${T0}`)), []);
});

Deno.test("open sessions are bounded: past maxOpen the oldest is closed with no end", () => {
  const tracker = createSessionTracker({ maxOpen: 2 });
  tracker.add(push("publish", "a", 0));
  tracker.add(push("publish", "b", 1_000));
  const evicted = tracker.add(push("publish", "c", 2_000));
  assert.deepEqual(evicted.map((s) => [s.pullId, s.status, s.start, s.end]), [
    ["a", "missing_stop", "2026-01-01T00:00:00.000Z", undefined],
  ]);
  assert.deepEqual(tracker.open().map((s) => s.pullId), ["b", "c"]);
  assert.throws(() => createSessionTracker({ maxOpen: 0 }), /maxOpen/);
});

Deno.test("ordered then paired: a stop that overtook its start still makes the right session", () => {
  const order = createEventOrder<CallbackEvent>({ windowMs: 2000 });
  const tracker = createSessionTracker();
  const sessions = [
    ...order.add(push("publish_done", "p1", 90_000, "&reason=stop"), 90_100),
    ...order.add(push("publish", "p1", 30_000), 90_200), // the start was delayed by a minute...
    ...order.release(92_100),
  ].flatMap((o) => tracker.add(o.event));
  // ...which is beyond no window: both arrived within 2 s of each other, so order is restored.
  assert.deepEqual(sessions.map((s) => [s.status, s.durationMs]), [["complete", 60_000]]);
});
