// Item 2 (the gateway's side): a signed request is remembered only once it is in scope and
// valid, so refusals that can never pass fill no replay memory; a request refused for a reason
// that can pass later (quota) stays remembered, so its replay cannot run what its sender
// believes failed.
import assert from "node:assert/strict";
import { createMemoryStore, type StateStore } from "../../src/gateway/mod.ts";
import { channel, CREATE, LIST, randomSecret, securedGateway } from "./gateway_fixture.ts";

const partner = { accessKey: "GW_PARTNER", secretKey: randomSecret("partner") };

/** A memory store that counts what it was asked to remember. */
const countingStore = (now: () => number) => {
  const inner = createMemoryStore({ now });
  const remembered: string[] = [];
  const store: StateStore = {
    ...inner,
    remember: (id, expiresAt, ...rest) => {
      remembered.push(id);
      return (inner.remember as (...args: unknown[]) => Promise<boolean>)(id, expiresAt, ...rest);
    },
  };
  return { store, remembered };
};

Deno.test("refused out of scope, badly signed or invalid: never remembered", async () => {
  const { store, remembered } = countingStore(Date.now);
  const { signed, simulator } = securedGateway({
    store,
    keys: [{ name: "partner", ...partner, actions: ["read"] }],
  });
  for (let i = 0; i < 50; i++) {
    const outOfScope = await signed(
      CREATE,
      JSON.stringify({ ...channel, channelName: `c${i}` }),
      partner,
    )
      .send();
    assert.equal(outOfScope.status, 403);
    const invalid = await signed(LIST, JSON.stringify({ pageSize: `x${i}` }), partner).send();
    assert.equal(invalid.status, 400);
    const forged = await signed(LIST, `{"pageIndex":${i + 1}}`, {
      ...partner,
      secretKey: randomSecret("forged"),
    }).send();
    assert.equal(forged.status, 401);
  }
  assert.deepEqual(remembered, [], "no refusal that can never pass was remembered");
  assert.equal(simulator.stats.requests, 0);
  // A valid request is remembered, and its replay refused.
  const capture = signed(LIST, "{}", partner);
  assert.equal((await capture.send()).status, 200);
  assert.equal(remembered.length, 1);
  const replay = await capture.send();
  assert.equal(replay.status, 401);
  assert.equal((await replay.json()).reason, "replay");
});

Deno.test("refused over quota: remembered, so its replay after the quota frees is still refused", async () => {
  let clock = Date.now();
  const now = () => clock;
  const { store } = countingStore(now);
  const { signed, simulator } = securedGateway({
    now,
    store,
    keys: [{
      name: "partner",
      ...partner,
      actions: ["read"],
      rateLimit: { limit: 1, windowSeconds: 10 },
    }],
  });
  assert.equal((await signed(LIST, '{"pageIndex":1}', partner).send()).status, 200);
  const refused = signed(LIST, '{"pageIndex":2}', partner);
  assert.equal((await refused.send()).status, 429);
  clock += 10_001; // the quota frees; the signature is still inside its window
  const replay = await refused.send();
  assert.equal(replay.status, 401, "the refused request cannot be replayed into success");
  assert.equal((await replay.json()).reason, "replay");
  assert.equal(simulator.stats.requests, 1);
});
