// The account budget on its own: `take` returns what a call waited for its first slot, a
// call's first attempt spends that slot, each later attempt takes one more and adds its wait to
// the call's ticket, and the wait is bounded.
import assert from "node:assert/strict";
import {
  BudgetExhaustedError,
  createBudgetLimiter,
  StateUnavailableError,
} from "../../src/gateway/budget.ts";
import { createMemoryStore, type StateStore } from "../../src/server/state_store.ts";
import { virtualTimers } from "../helpers.ts";

/** A memory store on the clock that counts the slots taken. */
function countingStore(now: () => number) {
  const store = createMemoryStore({ now });
  const counted = {
    slots: 0,
    store: {
      ...store,
      reserve: async (bucket, limit, windowMs) => {
        const reservation = await store.reserve(bucket, limit, windowMs);
        if (reservation.ok) counted.slots++;
        return reservation;
      },
    } satisfies StateStore,
  };
  return counted;
}

Deno.test("take: a free slot at once; a full window waits for the next slot, and says how long", async () => {
  const clock = virtualTimers();
  const counted = countingStore(clock.now);
  const budget = createBudgetLimiter(
    counted.store,
    { limit: 2, windowSeconds: 1, marginMs: 0, maxWaitMs: 5_000 },
    clock,
  );
  assert.deepEqual(await budget.take(), { waitedMs: 0, unspent: true });
  assert.deepEqual(await budget.take(), { waitedMs: 0, unspent: true });
  const third = await budget.take();
  // The window frees its first slot after 1 s; a waiter wakes up to 50 ms later.
  assert.ok(third.waitedMs >= 1_000 && third.waitedMs <= 1_050, `waited ${third.waitedMs}`);
  assert.equal(counted.slots, 3);
});

Deno.test("take: past the wait bound refuses, with when the next slot frees and what it waited", async () => {
  const clock = virtualTimers();
  const budget = createBudgetLimiter(
    createMemoryStore({ now: clock.now }),
    { limit: 1, windowSeconds: 10, marginMs: 0, maxWaitMs: 0 },
    clock,
  );
  await budget.take();
  clock.time += 4_000;
  const refused = await budget.take().catch((e) => e);
  assert.ok(refused instanceof BudgetExhaustedError);
  assert.equal(refused.retryAfterMs, 6_000);
  assert.equal(refused.waitedMs, 0);
  const broken = createBudgetLimiter(
    { ...createMemoryStore(), reserve: () => Promise.reject(new Error("reset")) },
    { limit: 1, windowSeconds: 10 },
    clock,
  );
  assert.ok(await broken.take().catch((e) => e) instanceof StateUnavailableError);
});

Deno.test("the limiter: a call's first attempt spends its ticket; each retry takes a slot and adds its wait", async () => {
  const clock = virtualTimers();
  const counted = countingStore(clock.now);
  const budget = createBudgetLimiter(
    counted.store,
    { limit: 2, windowSeconds: 1, marginMs: 0, maxWaitMs: 5_000 },
    clock,
  );
  const ticket = await budget.take();
  const call = { path: "/x", budget: ticket };
  await budget.acquire(undefined, call);
  assert.equal(counted.slots, 1, "the first attempt used the slot taken by `take`");
  assert.equal(ticket.unspent, false);
  await budget.acquire(undefined, call);
  assert.equal(counted.slots, 2, "a retry takes a slot of its own");
  assert.equal(ticket.waitedMs, 0);
  await budget.acquire(undefined, call);
  assert.equal(counted.slots, 3);
  assert.ok(ticket.waitedMs >= 1_000 && ticket.waitedMs <= 1_050, `waited ${ticket.waitedMs}`);
  // A call without a ticket (any other user of the limiter) takes a slot for every attempt.
  await budget.acquire(undefined, { path: "/y" });
  assert.equal(counted.slots, 4);
  assert.ok(!("reports" in budget), "no side table of waits");
});

Deno.test("the limiter: a 429's pause holds back `take` too", async () => {
  const clock = virtualTimers();
  const budget = createBudgetLimiter(
    createMemoryStore({ now: clock.now }),
    { limit: 5, windowSeconds: 1, marginMs: 0, maxWaitMs: 5_000 },
    clock,
  );
  budget.pause(2_000);
  const { waitedMs } = await budget.take();
  assert.ok(waitedMs >= 2_000 && waitedMs <= 2_050, `waited ${waitedMs}`);
});
