// The event hub over Deno KV, driven in one process through two hubs, each on its own handle of
// one KV file (as two processes would hold it): events published by either reach subscribers on
// both, once and in order; a redelivery to the other is a duplicate; a watch that misses updates
// (as `kv.watch` does for other processes' writes to a local file, denoland/deno#21640) is made
// up by reading the log; the log and the remembered ids are bounded; a KV failure fails closed.
import assert from "node:assert/strict";
import { createGateway, type EventHub } from "../../../src/gateway/mod.ts";
import { createDenoKvHub, type DenoKvHubLike } from "../../../src/adapters/deno/mod.ts";
import { parseCallback } from "../../../src/callbacks/mod.ts";
import { createSimulator } from "../../../src/simulator/mod.ts";
import { manualTimers, sseReader, until } from "../../helpers.ts";

const event = (pullId: string) => parseCallback(`?action=publish&pullId=${pullId}&time=1767225600`);

/** Two handles of one new KV file, as two processes sharing `GATEWAY_KV_PATH` hold it. */
const openTwice = async () => {
  const path = `${await Deno.makeTempDir()}/events.kv`;
  return [await Deno.openKv(path), await Deno.openKv(path)] as const;
};
/** One handle of a new KV file. */
const openOnce = async () => await Deno.openKv(`${await Deno.makeTempDir()}/events.kv`);

/** Subscribes; the pull ids received, in order. */
const subscribe = async (hub: EventHub, signal: AbortSignal) => {
  const got: string[] = [];
  await hub.subscribe({ onEvent: (e) => got.push(e.params.pullId), signal });
  return got;
};

/** `kv` as the hub sees it, with `change` applied (each method bound to `kv`). */
const wrap = (kv: Deno.Kv, change: Partial<DenoKvHubLike> = {}): DenoKvHubLike => ({
  get: (key) => kv.get(key as Deno.KvKey),
  list: (selector) => kv.list(selector as Deno.KvListSelector),
  atomic: () => kv.atomic(),
  watch: (keys) => kv.watch(keys as Deno.KvKey[]),
  ...change,
});

Deno.test("KV hub: two hubs on one file: each event reaches subscribers on both, once, in order; a redelivery is a duplicate", async () => {
  const [kvA, kvB] = await openTwice();
  // No order window: the order asserted is the order of publishing (ordering has its own test).
  const [a, b] = [
    createDenoKvHub(kvA, { orderWindowMs: 0 }),
    createDenoKvHub(kvB, { orderWindowMs: 0 }),
  ];
  const stop = new AbortController();
  try {
    const [onA, onB] = [await subscribe(a, stop.signal), await subscribe(b, stop.signal)];
    assert.equal(await a.publish(event("p1")), true);
    assert.equal(
      await b.publish(event("p1")),
      false,
      "the same callback at the other is a duplicate",
    );
    assert.equal(await b.publish(event("p2")), true);
    assert.equal(await a.publish(event("p3")), true);
    assert.equal(await a.publish(event("p2")), false);
    await until(() => onA.length >= 3 && onB.length >= 3, "p1 to p3 on both hubs");
    // A last event: whatever came before it has come, so a repeat would show.
    assert.equal(await b.publish(event("p4")), true);
    await until(() => onA.includes("p4") && onB.includes("p4"), "p4 on both hubs");
    assert.deepEqual(onA, ["p1", "p2", "p3", "p4"]);
    assert.deepEqual(onB, ["p1", "p2", "p3", "p4"]);
    assert.deepEqual([a.subscribers, b.subscribers], [1, 1]);
  } finally {
    stop.abort();
    kvA.close();
    kvB.close();
  }
  assert.deepEqual([a.subscribers, b.subscribers], [0, 0]);
});

Deno.test("KV hub: a watch that misses updates (another process's writes): the log is read, nothing lost or repeated", async () => {
  const [kvA, kvB] = await openTwice();
  const a = createDenoKvHub(kvA, { orderWindowMs: 0 });
  // B's watch says nothing at all, as `kv.watch` says nothing of another process's writes to a
  // local file: B learns of new events only by reading the log's head.
  const deaf = wrap(kvB, { watch: () => new ReadableStream() });
  const b = createDenoKvHub(deaf, { pollMs: 20, orderWindowMs: 0 });
  const stop = new AbortController();
  try {
    const onB = await subscribe(b, stop.signal);
    for (const id of ["p1", "p2", "p3", "p4", "p5"]) assert.equal(await a.publish(event(id)), true);
    await until(() => onB.includes("p5"), "p5 on the hub whose watch is deaf");
    assert.equal(await b.publish(event("p6")), true);
    await until(() => onB.includes("p6"), "p6");
    assert.deepEqual(onB, ["p1", "p2", "p3", "p4", "p5", "p6"]);
  } finally {
    stop.abort();
    kvA.close();
    kvB.close();
  }
});

Deno.test("KV hub: the dedupe window is shared and ends with the (injected) clock", async () => {
  const [kvA, kvB] = await openTwice();
  let now = Date.UTC(2026, 0, 1);
  const clock = () => now;
  const [a, b] = [
    createDenoKvHub(kvA, { now: clock, dedupeMs: 1_000 }),
    createDenoKvHub(kvB, { now: clock, dedupeMs: 1_000 }),
  ];
  try {
    assert.equal(await a.publish(event("p1")), true);
    now += 999;
    assert.equal(await b.publish(event("p1")), false, "within the window, at the other");
    now += 2;
    assert.equal(await b.publish(event("p1")), true, "after the window it is new again");
    assert.equal(await a.publish(event("p1")), false, "and remembered again, for both");
  } finally {
    kvA.close();
    kvB.close();
  }
});

Deno.test("KV hub: bounded: the log keeps the last logLength events, each id expires with the window", async () => {
  const kv = await openOnce();
  const writes: { key: unknown[]; expireIn?: number }[] = [];
  const recording = wrap(kv, {
    atomic() {
      const operation = kv.atomic();
      const set = operation.set.bind(operation);
      operation.set = (key, value, options) => {
        writes.push({ key: [...key], expireIn: options?.expireIn });
        return set(key, value, options);
      };
      return operation;
    },
  });
  const hub = createDenoKvHub(recording, {
    prefix: ["t"],
    dedupeMs: 5_000,
    historyLength: 4,
    historyMs: 60_000,
    orderWindowMs: 0,
  });
  try {
    for (let i = 1; i <= 10; i++) assert.equal(await hub.publish(event(`p${i}`)), true);
    const log = [];
    for await (
      const entry of kv.list<{ event: { params: { pullId: string } } }>({
        prefix: ["t", "events"],
      })
    ) {
      if (entry.key.includes("log")) log.push(entry.value.event.params.pullId);
    }
    assert.deepEqual(log, ["p7", "p8", "p9", "p10"], "only the last 4 are kept");
    const seen = writes.filter((w) => w.key.includes("seen"));
    const logged = writes.filter((w) => w.key.includes("log"));
    assert.equal(seen.length, 10);
    assert.ok(seen.every((w) => w.expireIn == 5_000), "each id is forgotten after the window");
    assert.ok(logged.every((w) => w.expireIn == 60_000), "each event expires from the log");
  } finally {
    kv.close();
  }
});

Deno.test("KV hub: fail closed: a KV that fails makes the ingress answer 503; the retry is published once", async () => {
  const kv = await openOnce();
  let failing = true;
  const flaky = wrap(kv, {
    atomic() {
      const operation = kv.atomic();
      const commit = operation.commit.bind(operation);
      operation.commit = () => failing ? Promise.reject(new Error("disk I/O error")) : commit();
      return operation;
    },
  });
  const hub = createDenoKvHub(flaky);
  const master = { accessKey: "AK_KV_HUB", secretKey: "SK_KV_HUB_0f4c2a9e71d3b865" };
  const token = "kv-hub-reader-3e9a1c7f05b2d468";
  const ingress = "cb_kvhub_7d2e9f04a1c6b3859e0f5a8c1d";
  const simulator = createSimulator({ credentials: [master], callbacks: false });
  const gateway = createGateway({
    upstream: { ...master, fetch: simulator.fetch },
    keys: [{ name: "reader", token, actions: ["read"], objects: "all" as const }],
    callbacks: { token: ingress, hub },
    auditLog: false,
  });
  const events = sseReader(
    await gateway.fetch(
      new Request("http://gateway.test/events", { headers: { authorization: `Bearer ${token}` } }),
    ),
  );
  const callback = (pullId: string) =>
    gateway.fetch(
      new Request(
        `http://gateway.test/callbacks/${ingress}?action=publish&pullId=${pullId}&time=1767225600`,
      ),
    );
  try {
    const refused = await callback("p1");
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "1");
    await refused.body?.cancel();
    failing = false;
    const retried = await callback("p1");
    assert.equal(retried.status, 200);
    assert.equal((await retried.json()).duplicate, false, "the failed attempt left nothing behind");
    assert.equal((await (await callback("p2")).json()).duplicate, false);
    assert.equal((await events.next(30_000))?.data.pullId, "p1");
    assert.equal((await events.next(30_000))?.data.pullId, "p2", "p1 came once");
  } finally {
    await events.close();
    kv.close();
  }
});

Deno.test("KV hub: on a KV that cannot be read, subscribe and publish reject (the routes answer 503)", async () => {
  const kv = await openOnce();
  const broken = wrap(kv, { get: () => Promise.reject(new Error("disk I/O error")) });
  const hub = createDenoKvHub(broken);
  try {
    await assert.rejects(hub.subscribe({ onEvent() {}, signal: new AbortController().signal }));
    assert.equal(hub.subscribers, 0);
    await assert.rejects(hub.publish(event("p1")), "publish fails closed too");
  } finally {
    kv.close();
  }
});

Deno.test({
  name:
    "KV hub: the last subscriber leaving stops the watch and the poll (the sanitizers see a timer left)",
  sanitizeOps: true,
  sanitizeResources: true,
}, async () => {
  const kv = await openOnce();
  let watching = 0;
  const counting = wrap(kv, {
    watch(keys) {
      watching++;
      const stream = kv.watch(keys as Deno.KvKey[]);
      const reader = stream.getReader();
      return new ReadableStream({
        pull: async (controller) => {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: async () => {
          watching--;
          await reader.cancel();
        },
      });
    },
  });
  const hub = createDenoKvHub(counting, { pollMs: 10 });
  try {
    const [one, two] = [new AbortController(), new AbortController()];
    const got = await subscribe(hub, one.signal);
    await subscribe(hub, two.signal);
    assert.equal(watching, 1, "one watch for the isolate, however many subscribers");
    await hub.publish(event("p1"));
    await until(() => got.length == 1, "p1");
    one.abort();
    assert.equal(watching, 1, "still a subscriber");
    two.abort();
    await until(() => watching == 0, "the watch to be cancelled");
    assert.equal(hub.subscribers, 0);
    // And it starts again for the next one.
    const again = new AbortController();
    const later = await subscribe(hub, again.signal);
    await hub.publish(event("p2"));
    await until(() => later.length == 1, "p2 to the new subscriber");
    assert.deepEqual(later, ["p2"], "nothing published before it subscribed");
    again.abort();
    await until(() => watching == 0, "the watch to be cancelled again");
  } finally {
    kv.close();
  }
});

Deno.test("KV hub history: a position read on one hub resumes on the other; exactly what came after", async () => {
  const [kvA, kvB] = await openTwice();
  const [a, b] = [
    createDenoKvHub(kvA, { orderWindowMs: 0 }),
    createDenoKvHub(kvB, { orderWindowMs: 0 }),
  ];
  const stop = new AbortController();
  try {
    const positions: string[] = [];
    await a.subscribe({ onEvent: (_, position) => positions.push(position!), signal: stop.signal });
    for (const id of ["p1", "p2", "p3", "p4"]) await (id == "p2" ? b : a).publish(event(id));
    await until(() => positions.length == 4, "four positions at A");
    assert.deepEqual(positions, ["1", "2", "3", "4"], "the log's sequence: one order for all");
    const read = await b.since!(positions[1]);
    assert.equal(read.reset, false);
    assert.deepEqual(
      read.events.map((e) => [e.position, e.event.params.pullId, e.event.id]),
      [["3", "p3", event("p3").id], ["4", "p4", event("p4").id]],
    );
    assert.deepEqual(await b.since!("4"), { reset: false, events: [], head: "4" });
    assert.equal((await b.since!("5")).reset, true, "ahead of the log: unknown");
    assert.equal((await b.since!("x")).reset, true, "not a position");
  } finally {
    stop.abort();
    kvA.close();
    kvB.close();
  }
});

Deno.test("KV hub history: bounded by count and (injected) age; older is a reset", async () => {
  const kv = await openOnce();
  let now = Date.UTC(2026, 0, 1);
  const hub = createDenoKvHub(kv, {
    now: () => now,
    historyLength: 3,
    historyMs: 10_000,
    orderWindowMs: 0,
  });
  try {
    for (const id of ["p1", "p2", "p3", "p4", "p5"]) await hub.publish(event(id));
    assert.equal((await hub.since!("1")).reset, true, "p2 was pushed out");
    assert.deepEqual(
      (await hub.since!("2")).events.map((e) => e.event.params.pullId),
      ["p3", "p4", "p5"],
    );
    now += 10_001;
    const old = await hub.since!("3");
    assert.deepEqual([old.reset, old.head], [true, "5"], "expired, with the head to go on from");
    assert.equal((await hub.since!("5")).reset, false, "the head: nothing missed");
  } finally {
    kv.close();
  }
});

Deno.test("KV hub order: a stop that arrives before its start comes out after it, with its session", async () => {
  const kv = await openOnce();
  // The window on timers moved by hand: on real ones, a publish slower than the window (a loaded
  // machine) would let the stop out before its start arrived.
  const timers = manualTimers();
  const hub = createDenoKvHub(kv, { orderWindowMs: 200, orderTimers: timers });
  const stop = new AbortController();
  try {
    const got: { type: string; position?: string; duration?: number }[] = [];
    await hub.subscribe({
      onEvent: (e, position) =>
        got.push({ type: e.type, position, duration: e.session?.durationMs }),
      signal: stop.signal,
    });
    await hub.publish(parseCallback("?action=publish_done&pullId=o1&reason=stop&time=1767225630"));
    timers.advance(199);
    await hub.publish(parseCallback("?action=publish&pullId=o1&time=1767225600"));
    timers.advance(1);
    await until(() => got.length == 2, "both events");
    assert.deepEqual(got, [
      { type: "push.started", position: "1", duration: undefined },
      { type: "push.stopped", position: "2", duration: 30_000 },
    ]);
    const replay = await hub.since!("0");
    assert.deepEqual(replay.events.map((e) => e.event.type), ["push.started", "push.stopped"]);
  } finally {
    stop.abort();
    kv.close();
  }
});
