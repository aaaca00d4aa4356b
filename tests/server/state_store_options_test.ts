// createMemoryStore's `capacity` where tests/state_store_test.ts leaves it: given alone it also
// sets each owner's share (half of it, rounded up), and by default the memory holds 100 000 ids
// in all, whoever owns them.
import assert from "node:assert/strict";
import { createMemoryStore } from "../../src/server/state_store.ts";

Deno.test("memory store capacity alone: it bounds the whole memory, and each owner holds half of it, rounded up", async () => {
  const store = createMemoryStore({ now: () => 0, capacity: 5 });
  const answers = async (owner: string | undefined, count: number) => {
    const got: (boolean | "full")[] = [];
    for (let i = 0; i < count; i++) got.push(await store.remember(`${owner}:${i}`, 1_000, owner));
    return got;
  };
  assert.deepEqual(await answers("a", 4), [true, true, true, "full"], "a's share is 3 of 5");
  assert.deepEqual(await answers("b", 3), [true, true, "full"], "b fills the memory's 5");
  assert.deepEqual(await answers(undefined, 1), ["full"], "nor is there room for an unowned id");
});

Deno.test("memory store capacity default: 100 000 ids in all", async () => {
  const store = createMemoryStore({ now: () => 0 });
  for (const owner of ["a", "b"]) {
    let fresh = 0;
    for (let i = 0; i < 50_000; i++) {
      if (await store.remember(`${owner}:${i}`, 1_000, owner) === true) fresh++;
    }
    assert.equal(fresh, 50_000, `${owner} holds its default share`);
  }
  assert.equal(await store.remember("c:0", 1_000, "c"), "full", "the memory holds 100 000");
  assert.equal(await store.remember("unowned", 1_000), "full");
});
