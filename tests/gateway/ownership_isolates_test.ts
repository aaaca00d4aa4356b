// Tenancy across isolates: two gateways on one store's records, each with its own ownership cache
// (as two isolates have). A grant or revoke made through one is acted on at once there, and by the
// other within the ledger's cache bound (10 s by default), measured on a virtual clock.
import assert from "node:assert/strict";
import { createGateway } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { createMemoryStore, type StateStore } from "../../src/server/state_store.ts";
import { virtualClock } from "../helpers.ts";

const secret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;
const master = { accessKey: "AK_MASTER", secretKey: secret("SK_MASTER") };
const tokens = { a: secret("tok-a"), b: secret("tok-b"), admin: secret("tok-admin") };
const channel = {
  channelName: "Show",
  channelType: "live",
  pushDomain: "push.example.com",
  pullRate: "0",
};

/** One gateway ("isolate") over `store`, on the shared simulator. */
function isolate(store: StateStore, upstream: typeof fetch, now: () => number) {
  const gateway = createGateway({
    upstream: { ...master, endpoint: "http://upstream.test", fetch: upstream },
    keys: [
      { name: "team-a", token: tokens.a, actions: ["*"], rateLimit: false },
      { name: "team-b", token: tokens.b, actions: ["*"], rateLimit: false },
      {
        name: "admin",
        token: tokens.admin,
        actions: ["read"],
        admin: true,
        objects: "all",
        rateLimit: false,
      },
    ],
    store,
    now,
    accountBudget: false,
    auditLog: false,
  });
  const call = (token: string, path: string, body: unknown, method = "POST") =>
    gateway.fetch(
      new Request(`http://gw.test${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
  /** The status `token` gets reading the channel's configuration. */
  const reads = async (token: string, pullId: string) => {
    const response = await call(token, "/live/channelManage/getChannelConfigure", { pullId });
    await response.body?.cancel();
    return response.status;
  };
  return { call, reads };
}

Deno.test("a grant or revoke in one isolate reaches another within the cache bound", async () => {
  const clock = virtualClock();
  const simulator = createSimulator({ credentials: [master], rateLimit: false, now: clock.now });
  const shared = createMemoryStore({ now: clock.now });
  // Two store objects over the same records: two ledgers, two caches.
  const one = isolate(shared, simulator.fetch, clock.now);
  const two = isolate({ ...shared }, simulator.fetch, clock.now);
  const created = await one.call(tokens.a, "/live/channelManage/createChannel", channel);
  assert.equal(created.status, 200, await created.clone().text());
  const pullId = (await created.json()).data.pullId as string;
  assert.equal(await two.reads(tokens.a, pullId), 200, "the owner, through the other isolate");
  assert.equal(await two.reads(tokens.b, pullId), 403, "another tenant, through the other isolate");

  const grant = { tenant: "team-b", kind: "channel", ids: [pullId] };
  const granted = await one.call(tokens.admin, "/admin/ownership", grant);
  assert.equal(granted.status, 200, await granted.clone().text());
  assert.equal(await one.reads(tokens.b, pullId), 200, "at once where it was granted");
  assert.equal(await one.reads(tokens.a, pullId), 403, "at once where it was granted");
  clock.time += 10_001;
  assert.equal(await two.reads(tokens.b, pullId), 200, "within the bound elsewhere");
  assert.equal(await two.reads(tokens.a, pullId), 403, "within the bound elsewhere");

  const revoked = await one.call(tokens.admin, "/admin/ownership", grant, "DELETE");
  assert.equal(revoked.status, 200, await revoked.clone().text());
  assert.equal(await one.reads(tokens.b, pullId), 403, "at once where it was revoked");
  clock.time += 10_001;
  assert.equal(await two.reads(tokens.b, pullId), 403, "within the bound elsewhere");
});

Deno.test("round trips: an own key's action asks the store once for its owners, then never", async () => {
  const clock = virtualClock();
  const simulator = createSimulator({ credentials: [master], rateLimit: false, now: clock.now });
  const shared = createMemoryStore({ now: clock.now });
  // Every store call is one round trip to the Durable Object on Workers (durable_object_store.ts).
  const calls: string[] = [];
  const counted = Object.fromEntries(
    Object.entries(shared).map(([name, method]) => [
      name,
      typeof method == "function"
        ? (...args: unknown[]) => (calls.push(name), method(...args))
        : method,
    ]),
  ) as unknown as StateStore;
  const creator = isolate(shared, simulator.fetch, clock.now);
  const created = await creator.call(tokens.a, "/live/channelManage/createChannel", channel);
  const pullId = (await created.json()).data.pullId as string;
  const other = isolate(counted, simulator.fetch, clock.now);
  const tripsOf = async (token: string) => {
    calls.length = 0;
    assert.equal(await other.reads(token, pullId), 200);
    return [...calls];
  };
  assert.deepEqual(await tripsOf(tokens.a), ["owners"], "cold: one lookup");
  assert.deepEqual(await tripsOf(tokens.a), [], "warm: none");
  assert.deepEqual(await tripsOf(tokens.admin), [], "an all key: none");
  clock.time += 10_001;
  assert.deepEqual(await tripsOf(tokens.a), ["owners"], "after the cache bound: one again");
});
