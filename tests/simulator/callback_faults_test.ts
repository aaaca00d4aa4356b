// The simulator's callback faults (`faults.callbackDropRate`, `callbackDelayMs`,
// `callbackReorderWindowMs`), decided by its seeded generator: a share of callbacks never
// arrives, callbacks arrive late, callbacks within a window arrive out of event-time order while
// each still carries its true event time; the same seed repeats the run; bad options are refused
// naming the option; without them every callback goes out at once, in order. Waits run on
// virtual timers (`callbacks: { sleep, now }`).
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createSimulator, type FaultOptions, type Simulator } from "../../src/simulator/mod.ts";
import { parseCallback } from "../../src/callbacks/mod.ts";
import { demoChannel, virtualTimers } from "../helpers.ts";

const master = { accessKey: "AK_SIM_CB_FAULTS", secretKey: `SK-${crypto.randomUUID()}` };

type Clock = ReturnType<typeof virtualTimers>;

/**
 * A simulator whose callbacks go to an in-process receiver that records each arrival (time and
 * URL) and answers with `statusOf(arrival number)`, and a push-mode channel with push-state
 * callbacks on. With `clock`, the simulator, its client and the deliveries run on virtual time.
 */
async function scenario(
  faults: FaultOptions | undefined,
  clock?: Clock,
  statusOf: (arrival: number) => number = () => 200,
) {
  const arrivals: { at: number; url: string }[] = [];
  const simulator = createSimulator({
    credentials: [master],
    rateLimit: false,
    faults,
    ...(clock ? { now: clock.now } : {}),
    callbacks: {
      fetch: (request) => {
        arrivals.push({ at: clock?.now() ?? Date.now(), url: request.url });
        return Promise.resolve(new Response(null, { status: statusOf(arrivals.length) }));
      },
      ...(clock ? { sleep: clock.sleep, now: clock.now } : {}),
    },
  });
  const client = sdk.createClient({
    ...master,
    fetch: simulator.fetch,
    ...(clock ? { now: clock.now } : {}),
  });
  const pullId = await demoChannel(client, "http://hooks.test/state?tenant=7");
  return { simulator, pullId, arrivals };
}

/** Raises `count` push-state callbacks (publish, publish_done, ...), `gapMs` of the clock apart. */
async function pushes(
  { simulator, pullId }: { simulator: Simulator; pullId: string },
  count: number,
  clock?: Clock,
  gapMs = 1_000,
) {
  for (let i = 0; i < count; i++) {
    if (i % 2 == 0) simulator.startStream(pullId);
    else simulator.stopStream(pullId);
    if (clock) await clock.sleep(gapMs);
  }
}

/** The event time a callback URL carries, Unix ms. */
const eventTime = (url: string) => Date.parse(parseCallback(url).time);

Deno.test("callbackDropRate 0.3: about 70% delivered, the rest never sent and marked failed; the same seed drops the same ones", async () => {
  const run = async (seed: number) => {
    const world = await scenario({ seed, callbackDropRate: 0.3 });
    await pushes(world, 400);
    await world.simulator.settled();
    const { notifications } = world.simulator;
    assert.equal(notifications.length, 400);
    const delivered = notifications.filter((n) => n.state == "delivered");
    const dropped = notifications.filter((n) => n.state == "failed");
    assert.equal(delivered.length + dropped.length, 400, "each one delivered or dropped");
    assert.deepEqual(
      world.arrivals.map((a) => a.url),
      delivered.map((n) => n.url),
      "the receiver got exactly the delivered ones, in order",
    );
    for (const n of dropped) {
      assert.equal(n.attempts.length, 1, `${n.id}: one record of the platform giving up`);
      assert.equal(n.attempts[0].status, undefined);
      assert.match(n.attempts[0].error ?? "", /callbackDropRate/);
    }
    world.simulator.close();
    return notifications.map((n) => n.state);
  };
  const first = await run(7);
  const share = first.filter((s) => s == "delivered").length / first.length;
  // 400 draws at p = 0.7: the standard deviation of the share is 0.023; ±0.1 is over 4 of them.
  assert.ok(share >= 0.6 && share <= 0.8, `delivered share ${share}`);
  assert.deepEqual(await run(7), first, "the same seed drops the same callbacks");
  const other = await run(8);
  assert.notDeepEqual(other, first, "another seed drops others");
  const otherShare = other.filter((s) => s == "delivered").length / other.length;
  assert.ok(otherShare >= 0.6 && otherShare <= 0.8, `delivered share ${otherShare} (seed 8)`);
});

Deno.test("callbackDropRate 1: no raised callback arrives, but an explicit redelivery does", async () => {
  const world = await scenario({ callbackDropRate: 1 });
  await pushes(world, 6);
  await world.simulator.settled();
  assert.equal(world.arrivals.length, 0);
  assert.ok(world.simulator.notifications.every((n) => n.state == "failed"));
  const again = world.simulator.redeliver("n2");
  await world.simulator.settled();
  assert.equal(again.state, "delivered");
  assert.deepEqual(world.arrivals.map((a) => a.url), [world.simulator.notifications[1].url]);
  world.simulator.close();
});

Deno.test("callbackDelayMs: nothing arrives before the delay; the first try at raise + delay, a retry backs off from there", async () => {
  const clock = virtualTimers();
  // The receiver fails its first request: the retry follows 1 s (the default backoff) later.
  const world = await scenario({ callbackDelayMs: 2_000 }, clock, (n) => n == 1 ? 503 : 200);
  const raisedAt = clock.time;
  world.simulator.startStream(world.pullId);
  const [notification] = world.simulator.notifications;
  assert.equal(notification.at, raisedAt);
  await clock.sleep(1_999);
  assert.equal(world.arrivals.length, 0, "still held 1 ms before the delay ends");
  assert.equal(notification.state, "pending");
  await world.simulator.settled();
  assert.equal(notification.state, "delivered");
  assert.deepEqual(world.arrivals.map((a) => a.at - raisedAt), [2_000, 3_000]);
  assert.deepEqual(notification.attempts.map((a) => [a.at - raisedAt, a.status]), [
    [2_000, 503],
    [3_000, 200],
  ]);
  assert.equal(eventTime(world.arrivals[1].url), Math.floor(raisedAt / 1000) * 1000);
  world.simulator.close();
});

Deno.test("callbackDelayMs [min, max]: each callback late by a seeded amount within the range", async () => {
  const delays = async () => {
    const clock = virtualTimers();
    const world = await scenario({ seed: 3, callbackDelayMs: [1_000, 4_000] }, clock);
    await pushes(world, 40, clock, 0);
    await world.simulator.settled();
    assert.equal(world.arrivals.length, 40);
    world.simulator.close();
    return world.simulator.notifications.map((n) => n.attempts[0].at - n.at);
  };
  const first = await delays();
  assert.ok(first.every((ms) => ms >= 1_000 && ms <= 4_000), `delays ${first}`);
  assert.ok(new Set(first).size > 20, `spread over the range: ${first}`);
  assert.deepEqual(await delays(), first, "the same seed, the same delays");
});

Deno.test("callbackReorderWindowMs: arrivals out of event-time order within the window, each with its true time", async () => {
  const WINDOW = 5_000;
  const run = async () => {
    const clock = virtualTimers();
    const world = await scenario({ seed: 11, callbackReorderWindowMs: WINDOW }, clock);
    const t0 = clock.time;
    await pushes(world, 40, clock, 1_000);
    await world.simulator.settled();
    world.simulator.close();
    const { notifications } = world.simulator;
    assert.equal(world.arrivals.length, 40, "a reorder drops nothing");
    assert.deepEqual(
      notifications.map((n) => n.at - t0),
      notifications.map((_, i) => i * 1_000),
      "raised a second apart",
    );
    for (const n of notifications) {
      assert.equal(eventTime(n.url), n.at, `${n.id} carries the time it was raised`);
      const late = n.attempts[0].at - n.at;
      assert.ok(late >= 0 && late < WINDOW, `${n.id} held ${late} ms`);
    }
    return world.arrivals;
  };
  const arrivals = await run();
  const times = arrivals.map((a) => eventTime(a.url));
  const inversions = [];
  for (let i = 0; i < times.length; i++) {
    for (let j = i + 1; j < times.length; j++) {
      if (times[j] < times[i]) inversions.push(times[i] - times[j]);
    }
  }
  assert.ok(inversions.length >= 5, `out of order: ${times.map((t) => (t - times[0]) / 1000)}`);
  assert.ok(inversions.every((gap) => gap < WINDOW), `only within the window: ${inversions}`);
  // Sorted by the time they carry, the events come back in the order they happened.
  const sorted = arrivals.toSorted((a, b) => eventTime(a.url) - eventTime(b.url));
  assert.deepEqual(
    sorted.map((a) => parseCallback(a.url).type),
    times.map((_, i) => i % 2 == 0 ? "push.started" : "push.stopped"),
  );
  assert.deepEqual(await run(), arrivals, "the same seed, the same arrival order");
});

Deno.test("default options (faults or none): every callback sent at once, in the order raised", async () => {
  for (const faults of [undefined, { seed: 5 }, { callbackDropRate: 0, callbackDelayMs: 0 }]) {
    const world = await scenario(faults);
    for (let i = 0; i < 30; i++) {
      if (i % 2 == 0) world.simulator.startStream(world.pullId);
      else world.simulator.stopStream(world.pullId);
      assert.equal(world.arrivals.length, i + 1, `sent while raised (${JSON.stringify(faults)})`);
    }
    await world.simulator.settled();
    assert.deepEqual(
      world.arrivals.map((a) => a.url),
      world.simulator.notifications.map((n) => n.url),
    );
    assert.ok(world.simulator.notifications.every((n) => n.state == "delivered"));
    world.simulator.close();
  }
});

Deno.test("close() while a callback is held: it is never sent and is marked failed", async () => {
  const clock = virtualTimers();
  const world = await scenario({ callbackDelayMs: 10_000 }, clock);
  world.simulator.startStream(world.pullId);
  await clock.sleep(1_000);
  world.simulator.close();
  await world.simulator.settled();
  await clock.sleep(20_000); // past the delay: the held callback must stay unsent
  assert.equal(world.arrivals.length, 0);
  assert.equal(world.simulator.notifications[0].state, "failed");
});

Deno.test("callback fault options out of range are refused, naming the option", () => {
  const refused: [FaultOptions, string][] = [
    [{ callbackDropRate: 1.3 }, "faults.callbackDropRate"],
    [{ callbackDropRate: -0.1 }, "faults.callbackDropRate"],
    [{ callbackDropRate: Number.NaN }, "faults.callbackDropRate"],
    [{ callbackDelayMs: -1 }, "faults.callbackDelayMs"],
    [{ callbackDelayMs: [3_000, 1_000] }, "faults.callbackDelayMs"],
    [{ callbackDelayMs: [0, Infinity] }, "faults.callbackDelayMs"],
    [{ callbackReorderWindowMs: -5 }, "faults.callbackReorderWindowMs"],
    [{ callbackReorderWindowMs: Infinity }, "faults.callbackReorderWindowMs"],
    [{ errorRate: 2 }, "faults.errorRate"],
    [{ dropRate: -1 }, "faults.dropRate"],
    [{ latencyMs: -10 }, "faults.latencyMs"],
  ];
  for (const [faults, path] of refused) {
    assert.throws(
      () => createSimulator({ faults }),
      (error) =>
        error instanceof sdk.WangsuValidationError && error.issues[0].path == path &&
        error.message.includes(path),
      `${JSON.stringify(faults)} refused naming ${path}`,
    );
  }
  for (
    const faults of [
      { callbackDropRate: 0 },
      { callbackDropRate: 1 },
      { callbackDelayMs: [0, 0] as [number, number] },
      { callbackReorderWindowMs: 0 },
    ]
  ) {
    createSimulator({ faults, callbacks: false }).close();
  }
});
