import assert from "node:assert/strict";
import { createRateLimiter } from "../src/rate_limiter.ts";
import { virtualClock } from "./helpers.ts";

/** Asks for `count` slots at once; returns when each was granted (each response back at once). */
const grantTimes = async (
  limiter: ReturnType<typeof createRateLimiter>,
  now: () => number,
  count: number,
) => {
  const granted: number[] = [];
  await Promise.all(Array.from({ length: count }, async () => {
    const release = await limiter.acquire();
    granted.push(now());
    release();
  }));
  return granted;
};

Deno.test("a sliding window: calls over the limit wait for the oldest to leave it", async () => {
  const clock = virtualClock(0);
  const limiter = createRateLimiter({
    limit: 3,
    windowMs: 1000,
    now: clock.now,
    sleep: clock.sleep,
  });
  const granted = await grantTimes(limiter, clock.now, 7);
  assert.deepEqual(granted, [0, 0, 0, 1000, 1000, 1000, 2000]);
});

Deno.test("pause holds everyone back; an aborted waiter leaves the line", async () => {
  const clock = virtualClock(0);
  const limiter = createRateLimiter({
    limit: 1,
    windowMs: 100,
    now: clock.now,
    sleep: clock.sleep,
  });
  (await limiter.acquire())();
  limiter.pause(5000);
  const controller = new AbortController();
  const aborted = limiter.acquire(controller.signal);
  const waiting = limiter.acquire();
  assert.equal(limiter.waiting, 2);
  controller.abort(new Error("gave up"));
  await assert.rejects(aborted, /gave up/);
  await waiting;
  assert.equal(clock.now(), 5000);
  assert.equal(limiter.waiting, 0);
  await assert.rejects(limiter.acquire(AbortSignal.abort(new Error("already"))), /already/);
});

Deno.test("the preset is the service's 300 requests per 5 minutes", async () => {
  const clock = virtualClock(0);
  const limiter = createRateLimiter({ now: clock.now, sleep: clock.sleep });
  const granted = await grantTimes(limiter, clock.now, 301);
  assert.equal(granted.filter((t) => t == 0).length, 300);
  assert.equal(granted[300], 300_000);
});

Deno.test("a slot's window starts when its response is back, not when it was let go", async () => {
  const clock = virtualClock(0);
  // Every wait the limiter asks for, asked synchronously as it decides to wait.
  const waits: number[] = [];
  const limiter = createRateLimiter({
    limit: 2,
    windowMs: 1000,
    now: clock.now,
    sleep: (ms) => {
      waits.push(ms);
      return clock.sleep(ms);
    },
  });
  const first = await limiter.acquire();
  const second = await limiter.acquire();
  let third = -1;
  const waiting = limiter.acquire().then((release) => {
    third = clock.now();
    release();
  });
  clock.time = 5000; // both still in flight: nothing may go, however long it takes
  // The limiter decides at once: a grant leaves the line, a wait asks for a sleep. Neither came:
  // with both slots in flight it waits for a release, not for time.
  assert.equal(limiter.waiting, 1, "still in line");
  assert.deepEqual(waits, [], "no timed wait while every slot is in flight");
  first(); // its response arrives at 5000: its slot leaves the window at 6000
  second();
  await waiting;
  assert.equal(third, 6000);
  assert.deepEqual(waits, [1000], "from the release, one window");
});
