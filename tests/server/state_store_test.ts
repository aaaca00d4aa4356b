// The StateStore contract, run against each implementation that runs in Deno: this isolate's
// memory and Deno KV (in memory and in a file). The Durable Object store runs the same contract
// in workerd (tests/adapters/cloudflare/gateway_state_object_test.ts).
import assert from "node:assert/strict";
import {
  createIdMemory,
  createMemoryStore,
  type StateStore,
} from "../../src/server/state_store.ts";
import { createDenoKvStore } from "../../src/adapters/deno/mod.ts";

/**
 * Each store on the clock `now`, so that expiry is a step of the test, not a wait. Times are a
 * minute or more: Deno KV also deletes its keys on the real clock (`expireIn`), which must not
 * happen while a test runs, however slowly.
 */
const stores: [
  string,
  (now: () => number) => Promise<{ store: StateStore; close(): void }>,
][] = [
  ["memory", (now) => Promise.resolve({ store: createMemoryStore({ now }), close() {} })],
  ["Deno KV in memory", async (now) => {
    const kv = await Deno.openKv(":memory:");
    return { store: createDenoKvStore(kv, { now }), close: () => kv.close() };
  }],
  ["Deno KV in a file", async (now) => {
    const path = await Deno.makeTempFile({ suffix: ".kv" });
    const kv = await Deno.openKv(path);
    return { store: createDenoKvStore(kv, { now }), close: () => kv.close() };
  }],
];

for (const [name, make] of stores) {
  Deno.test(`${name}: remember is true once per id until the id expires`, async () => {
    let now = 1_200_000;
    const { store, close } = await make(() => now);
    try {
      const soon = now + 60_000;
      assert.equal(await store.remember("a", soon), true);
      assert.equal(await store.remember("a", soon), false);
      assert.equal(await store.remember("b", soon), true);
      const concurrent = await Promise.all(
        Array.from({ length: 20 }, () => store.remember("c", now + 600_000)),
      );
      assert.equal(concurrent.filter(Boolean).length, 1, "exactly one concurrent caller wins");
      now = soon - 1;
      assert.equal(await store.remember("a", now + 600_000), false, "held until it expires");
      now = soon;
      assert.equal(await store.remember("a", now + 600_000), true, "expired: new again");
      assert.equal(await store.remember("c", now + 600_000), false, "c has not expired");
    } finally {
      close();
    }
  });

  Deno.test(`${name}: reserve grants limit slots per window and says when the next frees`, async () => {
    // A whole number of Deno KV's steps (a 2,000th of the window, 30 ms), so nothing is rounded.
    let now = 1_200_000;
    const { store, close } = await make(() => now);
    try {
      const granted = await Promise.all(
        Array.from({ length: 8 }, () => store.reserve("bucket", 5, 60_000)),
      );
      assert.equal(granted.filter((r) => r.ok).length, 5, "never more than the limit at once");
      now += 100;
      const full = { ok: false, retryAfterMs: 59_900 };
      assert.deepEqual(await store.reserve("bucket", 5, 60_000), full);
      assert.deepEqual(await store.reserve("other", 5, 60_000), { ok: true }, "buckets are apart");
      now += 59_899;
      assert.deepEqual(await store.reserve("bucket", 5, 60_000), { ok: false, retryAfterMs: 1 });
      now += 1;
      assert.deepEqual(
        await store.reserve("bucket", 5, 60_000),
        { ok: true },
        "the window moved on",
      );
    } finally {
      close();
    }
  });
}

Deno.test("Deno KV: slots free in time order, rounded up to a 2,000th of the window", async () => {
  let now = 1_000_000;
  const kv = await Deno.openKv(":memory:");
  try {
    const store = createDenoKvStore(kv, { now: () => now });
    assert.deepEqual(await store.reserve("b", 2, 100), { ok: true });
    assert.deepEqual(await store.reserve("b", 2, 100), { ok: true });
    assert.deepEqual(await store.reserve("b", 2, 100), { ok: false, retryAfterMs: 100 });
    now += 100;
    assert.deepEqual(await store.reserve("b", 2, 100), { ok: true }, "both freed at +100");
    // A 302 s window is counted in steps of 151 ms: a slot is held at most that much longer.
    // Taken at 2_000_000_001, it frees at the next step after 2_000_302_001: 13_247_034 × 151 =
    // 2_000_302_134, which is 302_133 ms on.
    now = 2_000_000_001;
    assert.deepEqual(await store.reserve("account", 1, 302_000), { ok: true });
    assert.deepEqual(await store.reserve("account", 1, 302_000), {
      ok: false,
      retryAfterMs: 302_133,
    });
    assert.deepEqual(await store.reserve("mixed", 2, 5_000), { ok: true });
    assert.deepEqual(await store.reserve("mixed", 2, 1_000), { ok: true });
    assert.deepEqual(await store.reserve("mixed", 2, 1_000), { ok: false, retryAfterMs: 1_000 });
    now += 1_000;
    assert.deepEqual(await store.reserve("mixed", 2, 1_000), { ok: true }, "the short slot freed");
    now += 500;
    assert.deepEqual(await store.reserve("mixed", 2, 1_000), { ok: false, retryAfterMs: 500 });
  } finally {
    kv.close();
  }
});

Deno.test("Deno KV: a bucket written as a list of expiry times (by an earlier version) still counts", async () => {
  const now = 5_000_000;
  const kv = await Deno.openKv(":memory:");
  try {
    await kv.set(["wangsu-gateway", "slots", "old"], [now - 1, now + 700, now + 300]);
    const store = createDenoKvStore(kv, { now: () => now });
    assert.deepEqual(await store.reserve("old", 3, 1_000), { ok: true }, "the expired one freed");
    assert.deepEqual(await store.reserve("old", 3, 1_000), { ok: false, retryAfterMs: 300 });
  } finally {
    kv.close();
  }
});

Deno.test("Deno KV: two connections to one file share the memory and the slots", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  const [a, b] = [await Deno.openKv(path), await Deno.openKv(path)];
  try {
    const [one, two] = [createDenoKvStore(a), createDenoKvStore(b)];
    assert.equal(await one.remember("sig", Date.now() + 60_000), true);
    assert.equal(await two.remember("sig", Date.now() + 60_000), false);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two).reserve("account", 7, 60_000)),
    );
    assert.equal(results.filter((r) => r.ok).length, 7);
  } finally {
    a.close();
    b.close();
  }
});

Deno.test("memory store: a large limit costs no stack, and mixed windows free in time order", async () => {
  let now = 0;
  const store = createMemoryStore({ now: () => now });
  for (let i = 0; i < 200_000; i++) await store.reserve("big", 200_000, 1_000);
  const full = await store.reserve("big", 200_000, 1_000);
  assert.deepEqual(full, { ok: false, retryAfterMs: 1_000 });
  assert.deepEqual(await store.reserve("mixed", 2, 5_000), { ok: true });
  assert.deepEqual(await store.reserve("mixed", 2, 1_000), { ok: true });
  assert.deepEqual(await store.reserve("mixed", 2, 1_000), { ok: false, retryAfterMs: 1_000 });
  now = 1_000;
  assert.deepEqual(await store.reserve("mixed", 2, 1_000), { ok: true }, "the short slot freed");
  now = 1_500;
  assert.deepEqual(await store.reserve("mixed", 2, 1_000), { ok: false, retryAfterMs: 500 });
});

Deno.test("memory store: never forgets an unexpired id; refuses when full, and per owner", async () => {
  let now = 0;
  const store = createMemoryStore({ now: () => now, capacity: 4, ownerShare: 2 });
  assert.equal(await store.remember("a1", 1_000, "a"), true);
  assert.equal(await store.remember("a2", 2_000, "a"), true);
  assert.equal(await store.remember("a3", 2_000, "a"), "full", "owner a holds its share");
  assert.equal(await store.remember("b1", 3_000, "b"), true);
  assert.equal(await store.remember("x1", 3_000), true, "no owner: only the capacity counts");
  assert.equal(await store.remember("c1", 3_000, "c"), "full", "the memory holds 4");
  for (const id of ["a1", "a2", "b1", "x1"]) {
    assert.equal(await store.remember(id, 9_000, "a"), false, `${id} not forgotten`);
  }
  now = 1_000;
  assert.equal(await store.remember("c1", 3_000, "c"), true, "a1 expired: room again");
  assert.equal(await store.remember("a1", 3_000, "a"), "full", "memory full again");
  now = 2_000;
  assert.equal(await store.remember("a1", 5_000, "a"), true, "a2 expired: room again");
  now = 3_000;
  assert.equal(await store.remember("a3", 5_000, "a"), true, "b1, x1, c1 expired");
  assert.equal(await store.remember("a4", 5_000, "a"), "full", "a holds its share again");
  assert.equal(await store.remember("b2", 5_000, "b"), true, "but others have room");
});

Deno.test("memory store: each key's default share is half the capacity", async () => {
  const store = createMemoryStore({ now: () => 0 });
  let fresh = 0;
  for (let i = 0; i < 50_001; i++) if (await store.remember(`k:${i}`, 1_000, "k") === true) fresh++;
  assert.equal(fresh, 50_000);
  assert.equal(await store.remember("other:1", 1_000, "other"), true);
});

Deno.test("createIdMemory: matches a plain model over random ids, expiries and clocks", () => {
  // A small deterministic generator, so that a failure repeats.
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
  for (const refusing of [true, false]) {
    let now = 0;
    const capacity = 20;
    const memory = refusing
      ? createIdMemory(() => now, capacity, { whenFull: "refuse", ownerShare: 8 })
      : createIdMemory(() => now, capacity);
    const model = new Map<string, { expires: number; owner?: string }>();
    for (let step = 0; step < 20_000; step++) {
      now += random(3);
      for (const [id, held] of model) if (held.expires <= now) model.delete(id);
      const id = `id${random(60)}`;
      const owner = refusing && random(4) ? `o${random(3)}` : undefined;
      // Never two alike, so that "the one that expires soonest" is one id.
      const expiresAt = now + 1 + random(200) + step / 100_000;
      let want: boolean | "full" = true;
      if (model.has(id)) {
        want = false;
      } else {
        const owned = [...model.values()].filter((held) => held.owner === owner).length;
        if (model.size >= capacity || (owner !== undefined && owned >= 8)) {
          if (refusing) {
            want = "full";
          } else {
            // The forgetting form drops the id that expires soonest.
            const [soonest] = [...model].sort(([, a], [, b]) => a.expires - b.expires)[0];
            model.delete(soonest);
          }
        }
      }
      assert.equal(memory(id, expiresAt, owner), want, `step ${step}: ${id} ${owner}`);
      if (want === true) model.set(id, { expires: expiresAt, owner });
    }
  }
});
