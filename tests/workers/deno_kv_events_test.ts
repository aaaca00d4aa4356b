// Two gateway processes (workers/deno.ts, as deployed) on one Deno KV file share events: a
// callback delivered to A reaches an `/events` subscriber on B, once, and the same callback then
// delivered to B is answered as a duplicate; a callback delivered to B reaches a subscriber on A.
import assert from "node:assert/strict";
import { type Entry, twoEntriesOnOneKv, untilHealthy } from "../security/deno_entry_fixture.ts";
import { sseReader } from "../helpers.ts";

/** Bounds a hang only: an event that is on its way arrives long before. */
const DEADLINE_MS = 30_000;

Deno.test({
  name:
    "Deno KV: two gateway processes on one file: a callback at A streams from B once; at B it is a duplicate",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { token, ingress, entries: [a, b] } = await twoEntriesOnOneKv();
    const readers: ReturnType<typeof sseReader>[] = [];
    /** Opens `/events` at `entry` with the reader key (it may read live state). */
    const subscribe = async (entry: Entry) => {
      const response = await fetch(`${entry.url}/events`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(response.status, 200, await (response.ok ? "" : response.text()));
      const reader = sseReader(response);
      readers.push(reader);
      return reader;
    };
    /** Delivers a push-start callback for `pullId` to `entry`; its JSON answer. */
    const deliver = async (entry: Entry, pullId: string) => {
      const response = await fetch(
        `${entry.url}/callbacks/${ingress}?action=publish&pullId=${pullId}&time=1767225600`,
      );
      assert.equal(response.status, 200);
      return await response.json();
    };
    try {
      await Promise.all([untilHealthy(a), untilHealthy(b)]);
      const [onA, onB] = [await subscribe(a), await subscribe(b)];

      const first = await deliver(a, "p1");
      assert.equal(first.duplicate, false);
      const atB = await onB.next(DEADLINE_MS);
      assert.equal(atB?.event, "push.started", `B's subscriber got the event of A:\n${b.stderr()}`);
      assert.equal(atB?.data.pullId, "p1");
      assert.equal(atB?.data.id, first.id, "the callback's own id is in the data");
      assert.match(atB?.id ?? "", /^\d+$/, "the id: is the log's position");
      assert.equal((await onA.next(DEADLINE_MS))?.data.pullId, "p1", "and A's too");

      const again = await deliver(b, "p1");
      assert.equal(again.duplicate, true, "B knows A received it");
      assert.equal(again.id, first.id);

      // A later event, delivered to B: whatever was sent before it has come by the time it comes,
      // so a second p1 would be read first.
      assert.equal((await deliver(b, "p2")).duplicate, false);
      assert.equal((await onB.next(DEADLINE_MS))?.data.pullId, "p2", "p1 reached B once");
      assert.equal((await onA.next(DEADLINE_MS))?.data.pullId, "p2", "B's event reached A, once");
    } finally {
      await Promise.all(readers.map((reader) => reader.close()));
      await Promise.all([a.stop(), b.stop()]);
    }
    const output = a.stderr() + a.stdout() + b.stderr() + b.stdout();
    assert.ok(!output.includes(ingress), "the ingress token is never printed");
    assert.ok(!output.includes(token), "nor the key");
  },
});

Deno.test({
  name:
    "Deno KV: a subscriber cut off at A resumes at B with Last-Event-ID: exactly the missed events, once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { token, ingress, entries: [a, b] } = await twoEntriesOnOneKv({
      // No order window: each callback is in the log when its answer comes, so the log's order is
      // the order of delivery. With a window, each process lets its own events out on its own
      // timers, and events delivered to two processes are logged in the order those fire.
      GATEWAY_EVENT_ORDER_MS: "0",
    });
    const readers: ReturnType<typeof sseReader>[] = [];
    const subscribe = async (entry: Entry, lastEventId?: string) => {
      const response = await fetch(`${entry.url}/events`, {
        headers: {
          authorization: `Bearer ${token}`,
          ...(lastEventId ? { "last-event-id": lastEventId } : {}),
        },
      });
      assert.equal(response.status, 200, await (response.ok ? "" : response.text()));
      const reader = sseReader(response);
      readers.push(reader);
      return reader;
    };
    const deliver = async (entry: Entry, pullId: string, time: number) => {
      const response = await fetch(
        `${entry.url}/callbacks/${ingress}?action=publish&pullId=${pullId}&time=${time}`,
      );
      assert.equal(response.status, 200);
      await response.body?.cancel();
    };
    try {
      await Promise.all([untilHealthy(a), untilHealthy(b)]);
      const atA = await subscribe(a);
      await deliver(a, "k0", 1767225600);
      const seen = await atA.next(DEADLINE_MS);
      assert.equal(seen?.data.pullId, "k0");
      await atA.close();
      await deliver(b, "k1", 1767225601);
      await deliver(a, "k2", 1767225602);
      await deliver(b, "k3", 1767225603);
      const atB = await subscribe(b, seen!.id);
      const missed = [
        await atB.next(DEADLINE_MS),
        await atB.next(DEADLINE_MS),
        await atB.next(DEADLINE_MS),
      ];
      assert.deepEqual(missed.map((e) => e?.data.pullId), ["k1", "k2", "k3"], b.stderr());
      await deliver(a, "marker", 1767225604);
      assert.equal((await atB.next(DEADLINE_MS))?.data.pullId, "marker", "nothing twice");
    } finally {
      await Promise.all(readers.map((reader) => reader.close()));
      await Promise.all([a.stop(), b.stop()]);
    }
  },
});
