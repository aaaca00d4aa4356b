// Item 2, found in review: the replay memory's share belongs to the caller (its key name), not to
// each access key, so a partner holding two keys during a rotation cannot fill the memory for
// everyone; and the gateway's default memory gives each caller an equal part.
import assert from "node:assert/strict";
import { createMemoryStore } from "../../src/gateway/mod.ts";
import { countCallers } from "../../src/gateway/keys.ts";
import { replayShare } from "../../src/server/state_store.ts";
import { LIST, randomSecret, securedGateway } from "./gateway_fixture.ts";

const older = { accessKey: "GW_PARTNER_OLD", secretKey: randomSecret("old") };
const newer = { accessKey: "GW_PARTNER_NEW", secretKey: randomSecret("new") };
const other = { accessKey: "GW_OTHER", secretKey: randomSecret("other") };
const keys = [
  { name: "partner", ...older, actions: ["read"] },
  { name: "partner", ...newer, actions: ["read"] },
  { name: "other-team", ...other, actions: ["read"] },
];

Deno.test("a caller with two keys (one name) fills only its own share; others are still served", async () => {
  assert.equal(countCallers(keys), 2);
  const capacity = 60;
  const store = createMemoryStore({ capacity, ownerShare: replayShare(capacity, 2) });
  const { signed } = securedGateway({ store, keys });
  const statuses = new Map<number, number>();
  for (let i = 0; i < capacity; i++) {
    const key = i % 2 ? older : newer;
    const { status } = await signed(LIST, JSON.stringify({ pageIndex: i + 1 }), key).send();
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  // The default quota (150 per 300 s) lets all of the share through; the rest is refused.
  assert.deepEqual([...statuses].sort(), [[200, 30], [503, 30]]);
  const served = await signed(LIST, "{}", other).send();
  assert.equal(served.status, 200, "the other team is not locked out");
});

Deno.test("the share is an equal part per caller, never more than half", () => {
  assert.equal(replayShare(100_000, 1), 50_000);
  assert.equal(replayShare(100_000, 2), 50_000);
  assert.equal(replayShare(100_000, 3), 33_333);
  assert.equal(replayShare(10, 100), 1);
  assert.equal(countCallers([{ token: "a" }, { token: "b" }, { name: "x" }, { name: "x" }]), 3);
});
