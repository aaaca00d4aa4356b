// Item 6: every key has a quota by default (half the account budget), `rateLimit: false` opts
// out explicitly, and every 429 the gateway answers carries Retry-After, the upstream's included.
import assert from "node:assert/strict";
import { createMemoryStore } from "../../src/gateway/mod.ts";
import { LIST, randomSecret, securedGateway } from "./gateway_fixture.ts";

const alice = randomSecret("alice");
const bob = randomSecret("bob");
const operator = randomSecret("operator");
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

Deno.test("a key without a configured quota cannot spend more than half the account budget", async () => {
  let clock = Date.now(); // the simulator keeps real time: a skewed clock would be corrected with a retry
  const now = () => clock;
  const { post, simulator } = securedGateway({
    now,
    store: createMemoryStore({ now }),
    accountBudget: { limit: 10, windowSeconds: 60, maxWaitMs: 0, marginMs: 0 },
    keys: [
      { name: "alice", token: alice, actions: ["read"] },
      { name: "bob", token: bob, actions: ["read"] },
    ],
  });
  const statuses = [];
  for (let i = 0; i < 6; i++) statuses.push((await post(LIST, "{}", bearer(alice))).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
  const refused = await post(LIST, "{}", bearer(alice));
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("retry-after"), "60");
  assert.match(
    (await refused.json()).message,
    /Key alice is over its quota of 5 requests per 60 s/,
  );
  // The other team still has the rest of the budget.
  for (let i = 0; i < 5; i++) assert.equal((await post(LIST, "{}", bearer(bob))).status, 200);
  assert.equal(simulator.stats.requests, 10);
  clock += 60_001;
  assert.equal((await post(LIST, "{}", bearer(alice))).status, 200, "the window moved on");
});

Deno.test("rateLimit: false opts a key out of the default quota explicitly", async () => {
  const { post } = securedGateway({
    accountBudget: { limit: 10, windowSeconds: 60, maxWaitMs: 0, marginMs: 0 },
    keys: [{ name: "operator", token: operator, actions: ["read"], rateLimit: false }],
  });
  const statuses = [];
  for (let i = 0; i < 11; i++) statuses.push((await post(LIST, "{}", bearer(operator))).status);
  // Held only by the account budget, which still answers with Retry-After.
  assert.deepEqual(statuses, [...Array(10).fill(200), 429]);
});

Deno.test("the default quota applies with the account budget off too (half the vendor's 300/300 s)", async () => {
  const { post } = securedGateway({
    accountBudget: false,
    keys: [{ name: "alice", token: alice, actions: ["read"] }],
  });
  const statuses = new Map<number, number>();
  for (let i = 0; i < 151; i++) {
    const { status } = await post(LIST, "{}", bearer(alice));
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
  }
  assert.deepEqual([...statuses], [[200, 150], [429, 1]]);
});

Deno.test("an upstream 429 reaches the caller with the upstream's Retry-After", async () => {
  const { post } = securedGateway({
    keys: [{ name: "alice", token: alice, actions: ["read"] }],
  });
  const limited = securedGateway({
    keys: [{ name: "alice", token: alice, actions: ["read"] }],
    upstream: {
      accessKey: "AK_MASTER",
      secretKey: randomSecret("SK"),
      endpoint: "http://upstream.test",
      retries: 0,
      fetch: () =>
        Promise.resolve(
          new Response(JSON.stringify({ code: 429, message: "Too many requests" }), {
            status: 429,
            headers: { "retry-after": "300", "content-type": "application/json" },
          }),
        ),
    },
  });
  assert.equal((await post(LIST, "{}", bearer(alice))).status, 200);
  const refused = await limited.post(LIST, "{}", bearer(alice));
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("retry-after"), "300");
});
