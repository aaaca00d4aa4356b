// The StateStore contract, run against each implementation that runs in Deno: this isolate's
// memory and Deno KV (in memory and in a file). The Durable Object store runs the same contract
// in workerd (tests/workers/edge_state_test.ts).
import assert from "node:assert/strict";
import { createMemoryStore, type StateStore, takeSlot } from "../src/state_store.ts";
import { createDenoKvStore } from "../src/gateway/deno_kv_store.ts";

const stores: [string, () => Promise<{ store: StateStore; close(): void }>][] = [
  ["memory", () => Promise.resolve({ store: createMemoryStore(), close() {} })],
  ["Deno KV in memory", async () => {
    const kv = await Deno.openKv(":memory:");
    return { store: createDenoKvStore(kv), close: () => kv.close() };
  }],
  ["Deno KV in a file", async () => {
    const path = await Deno.makeTempFile({ suffix: ".kv" });
    const kv = await Deno.openKv(path);
    return { store: createDenoKvStore(kv), close: () => kv.close() };
  }],
];

for (const [name, make] of stores) {
  Deno.test(`${name}: remember is true once per id until the id expires`, async () => {
    const { store, close } = await make();
    try {
      const soon = Date.now() + 150;
      assert.equal(await store.remember("a", soon), true);
      assert.equal(await store.remember("a", soon), false);
      assert.equal(await store.remember("b", soon), true);
      const concurrent = await Promise.all(
        Array.from({ length: 20 }, () => store.remember("c", Date.now() + 60_000)),
      );
      assert.equal(concurrent.filter(Boolean).length, 1, "exactly one concurrent caller wins");
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await store.remember("a", Date.now() + 60_000), true, "expired: new again");
    } finally {
      close();
    }
  });

  Deno.test(`${name}: reserve grants limit slots per window and says when the next frees`, async () => {
    const { store, close } = await make();
    try {
      const granted = await Promise.all(
        Array.from({ length: 8 }, () => store.reserve("bucket", 5, 300)),
      );
      assert.equal(granted.filter((r) => r.ok).length, 5, "never more than the limit at once");
      const refused = await store.reserve("bucket", 5, 300);
      assert.equal(refused.ok, false);
      assert.ok(!refused.ok && refused.retryAfterMs > 0 && refused.retryAfterMs <= 300);
      assert.deepEqual(await store.reserve("other", 5, 300), { ok: true }, "buckets are apart");
      await new Promise((resolve) => setTimeout(resolve, 320));
      assert.deepEqual(await store.reserve("bucket", 5, 300), { ok: true }, "the window moved on");
    } finally {
      close();
    }
  });
}

Deno.test("takeSlot: a sliding window over expiry times", () => {
  assert.deepEqual(takeSlot([], 1000, 2, 100), { expiries: [1100], reservation: { ok: true } });
  assert.deepEqual(takeSlot([1050, 1100], 1000, 2, 100), {
    expiries: [1050, 1100],
    reservation: { ok: false, retryAfterMs: 50 },
  });
  assert.deepEqual(takeSlot([1000, 1100], 1000, 2, 100), {
    expiries: [1100, 1100],
    reservation: { ok: true },
  });
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
  assert.deepEqual(
    takeSlot(Array(200_000).fill(5_000), 0, 200_000, 1_000).reservation,
    { ok: false, retryAfterMs: 5_000 },
    "the pure rule too",
  );
  assert.deepEqual(await store.reserve("mixed", 2, 5_000), { ok: true });
  assert.deepEqual(await store.reserve("mixed", 2, 1_000), { ok: true });
  assert.deepEqual(await store.reserve("mixed", 2, 1_000), { ok: false, retryAfterMs: 1_000 });
  now = 1_000;
  assert.deepEqual(await store.reserve("mixed", 2, 1_000), { ok: true }, "the short slot freed");
  now = 1_500;
  assert.deepEqual(await store.reserve("mixed", 2, 1_000), { ok: false, retryAfterMs: 500 });
});
