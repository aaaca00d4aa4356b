// createDenoKvStore's options, on a real Deno KV database (in memory): `prefix` (where it writes,
// so that two gateways can share one database without sharing state), `attempts` (how many lost
// compare-and-sets before a busy key is given up on), and the "stayed busy" failure itself, which
// a gateway answers with 503 and forwards nothing. The contention is real: a rival writes the key
// just before each of the store's commits, as another isolate would.
import assert from "node:assert/strict";
import { signRequestSync } from "../../../src/signer.ts";
import { createSimulator } from "../../../src/simulator/mod.ts";
import { createGateway } from "../../../src/gateway/mod.ts";
import { createDenoKvStore, type DenoKvLike } from "../../../src/adapters/deno/mod.ts";

/** Keys the database holds, each as a `/`-joined path. */
async function keysOf(kv: Deno.Kv): Promise<string[]> {
  const keys: string[] = [];
  for await (const entry of kv.list({ prefix: [] })) keys.push(entry.key.join("/"));
  return keys.sort();
}

/**
 * The database, with `beforeCommit` run (given the keys being written) just before each of the
 * store's commits reaches it; `commits` counts the store's tries.
 */
function intercepted(kv: Deno.Kv, beforeCommit: (keys: Deno.KvKey[]) => Promise<void>) {
  const counts = { commits: 0 };
  const database: DenoKvLike = {
    get: (key) => kv.get(key as Deno.KvKey),
    atomic() {
      const operation = kv.atomic();
      const written: Deno.KvKey[] = [];
      const wrapped: ReturnType<DenoKvLike["atomic"]> = {
        check: (...checks) => (operation.check(...checks as Deno.AtomicCheck[]), wrapped),
        set(key, value, options) {
          written.push(key as Deno.KvKey);
          operation.set(key as Deno.KvKey, value, options);
          return wrapped;
        },
        async commit() {
          counts.commits++;
          await beforeCommit(written);
          return await operation.commit();
        },
      };
      return wrapped;
    },
  };
  return { database, counts };
}

/** A rival writes `rivalValue` to each key the store commits, first: every compare-and-set loses. */
const rivalled = (kv: Deno.Kv, rivalValue: (key: readonly unknown[]) => unknown) =>
  intercepted(kv, async (keys) => {
    for (const key of keys) await kv.set(key, rivalValue(key));
  });

/** The rival's value: no slot held (a bucket) or an expired signature (the replay memory). */
const harmless = (key: readonly unknown[]): unknown => key.includes("slots") ? [] : 0;

Deno.test("Deno KV store prefix: each prefix is its own state, and everything is written under it", async () => {
  using kv = await Deno.openKv(":memory:");
  const tenantA = createDenoKvStore(kv, { prefix: ["tenant", "a"] });
  const tenantB = createDenoKvStore(kv, { prefix: ["tenant", "b"] });
  const standard = createDenoKvStore(kv);

  assert.deepEqual(await tenantA.reserve("quota", 1, 60_000), { ok: true });
  assert.equal((await tenantA.reserve("quota", 1, 60_000)).ok, false, "a's one slot is taken");
  assert.deepEqual(await tenantB.reserve("quota", 1, 60_000), { ok: true }, "b has its own");
  assert.deepEqual(await standard.reserve("quota", 1, 60_000), { ok: true });

  const expires = Date.now() + 60_000;
  assert.equal(await tenantA.remember("sig-1", expires), true);
  assert.equal(await tenantA.remember("sig-1", expires), false, "a remembers it");
  assert.equal(await tenantB.remember("sig-1", expires), true, "b never saw it");
  assert.equal(await standard.remember("sig-1", expires), true);

  assert.deepEqual(await keysOf(kv), [
    "tenant/a/seen/sig-1",
    "tenant/a/slots/quota",
    "tenant/b/seen/sig-1",
    "tenant/b/slots/quota",
    "wangsu-gateway/seen/sig-1",
    "wangsu-gateway/slots/quota",
  ]);
});

Deno.test("Deno KV store attempts: a key that stays contended is given up on after that many tries", async () => {
  using kv = await Deno.openKv(":memory:");
  for (const attempts of [1, 3]) {
    const { database, counts } = rivalled(kv, harmless);
    const store = createDenoKvStore(database, { prefix: [`reserve-${attempts}`], attempts });
    await assert.rejects(
      store.reserve("quota", 5, 60_000),
      new Error(`Deno KV: bucket quota stayed busy after ${attempts} attempts`),
    );
    assert.equal(counts.commits, attempts, "one lost compare-and-set per attempt");
  }
  // The replay memory: its first try writes blind, each later one after reading; all lose.
  const { database, counts } = rivalled(kv, harmless);
  const store = createDenoKvStore(database, { prefix: ["remember"], attempts: 4 });
  await assert.rejects(
    store.remember("sig-1", Date.now() + 60_000),
    new Error("Deno KV: the replay memory stayed busy after 4 attempts"),
  );
  assert.equal(counts.commits, 4);
});

Deno.test("Deno KV store attempts: 50 by default", async () => {
  using kv = await Deno.openKv(":memory:");
  const { database, counts } = rivalled(kv, harmless);
  await assert.rejects(
    createDenoKvStore(database).reserve("quota", 5, 60_000),
    new Error("Deno KV: bucket quota stayed busy after 50 attempts"),
  );
  assert.equal(counts.commits, 50);
});

Deno.test("Deno KV store attempts: a locked database is retried within them; another error is not", async () => {
  using kv = await Deno.openKv(":memory:");
  /** The database whose commits throw `failures` (in turn) before they reach it. */
  const failing = (failures: Error[]) =>
    intercepted(kv, () => {
      const failure = failures.shift();
      return failure ? Promise.reject(failure) : Promise.resolve();
    });
  const locked = failing([new Error("database is locked"), new Error("database is locked")]);
  const store = createDenoKvStore(locked.database, { attempts: 3 });
  assert.deepEqual(await store.reserve("quota", 5, 60_000), { ok: true }, "the third try wrote");
  assert.equal(locked.counts.commits, 3);
  const tooMany = failing([1, 2, 3].map(() => new Error("database is locked")));
  await assert.rejects(
    createDenoKvStore(tooMany.database, { attempts: 3 }).reserve("other", 5, 60_000),
    /stayed busy after 3 attempts/,
  );
  const broken = failing([new Error("disk I/O error")]);
  await assert.rejects(
    createDenoKvStore(broken.database, { attempts: 3 }).reserve("third", 5, 60_000),
    new Error("disk I/O error"),
  );
  assert.equal(broken.counts.commits, 1, "not a busy database: no second try");
});

Deno.test("Deno KV store busy: the gateway answers 503 and forwards nothing", async () => {
  using kv = await Deno.openKv(":memory:");
  const secret = () => crypto.randomUUID().replaceAll("-", "");
  const master = { accessKey: "AK_KV_MASTER", secretKey: `SK-${secret()}` };
  const signer = { accessKey: "GW_KV_SIGNER", secretKey: `gw-${secret()}` };
  const token = `tok-${secret()}`;
  const simulator = createSimulator({ credentials: [master], rateLimit: false, callbacks: false });
  const { database } = rivalled(kv, harmless);
  const gateway = createGateway({
    upstream: { ...master, fetch: simulator.fetch },
    keys: [
      { name: "reader", token, actions: ["read"] },
      { name: "signer", ...signer, actions: ["read"], rateLimit: false },
    ],
    store: createDenoKvStore(database, { attempts: 2 }),
    accountBudget: false,
    auditLog: false,
  });
  const url = "http://gw.test/live/channelManage/getChannelList";
  const body = "{}";
  // Its quota's bucket cannot be written.
  const bearer = await gateway.fetch(
    new Request(url, { method: "POST", headers: { authorization: `Bearer ${token}` }, body }),
  );
  assert.equal(bearer.status, 503);
  assert.equal(bearer.headers.get("retry-after"), "1");
  assert.match((await bearer.json()).message, /shared state is unavailable/);
  // Its signature cannot be remembered.
  const headers = signRequestSync({ method: "POST", url, body }, signer);
  const signed = await gateway.fetch(new Request(url, { method: "POST", headers, body }));
  assert.equal(signed.status, 503);
  assert.equal(signed.headers.get("retry-after"), "1");
  assert.equal((await signed.json()).reason, "replay-check-unavailable");
  assert.equal(simulator.stats.requests, 0, "nothing was forwarded");
});
