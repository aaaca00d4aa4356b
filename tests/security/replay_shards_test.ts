// Issue 25, item 17: the Durable Object store picked a replay shard with FNV-1a of the signature,
// so a caller could steer its requests onto one shard (about 16 signings each). 1,000 signed
// requests chosen to collide under that hash go through a gateway over the store: they must
// spread over the shards, by a keyed hash whose key is per deployment.
import assert from "node:assert/strict";
import { signRequestSync } from "../../src/signer.ts";
import { WangsuValidationError } from "../../src/errors.ts";
import { createGateway, createMemoryStore, type StateStore } from "../../src/gateway/mod.ts";
import {
  createDurableObjectStore,
  type StateObjectNamespace,
} from "../../src/adapters/cloudflare/durable_object_store.ts";

const SHARDS = 16;
const LIST = "/live/channelManage/getChannelList";
const master = { accessKey: "AK_SHARD_MASTER", secretKey: "Wq5Lz9Nc2Tx7Km4Hv1Rp8Bs3Yf6Jd0Gb" };
const caller = { accessKey: "GW_SHARD_STEER", secretKey: "Kd8Vn3Qz6Lm1Tw9Hc4Xp7Bf2Yr5Js0Gc" };
const SECRET = "deployment-secret-Tz7Qm2Lk9Xv4Nc1Hw6Rp3Bs8Yf5Jd0Ga";

/** The old shard function: 32-bit FNV-1a of the id. */
const fnv1a = (text: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

/** A namespace of in-memory objects that records which object each replay check went to. */
const recordingNamespace = () => {
  const objects = new Map<string, StateStore>();
  const calls: string[] = [];
  const namespace: StateObjectNamespace = {
    idFromName: (name: string) => name,
    get: (name: never) => {
      const object = objects.get(name) ?? createMemoryStore();
      objects.set(name, object);
      return {
        remember(...args: Parameters<StateStore["remember"]>) {
          calls.push(name);
          return object.remember(...args);
        },
        reserve: object.reserve,
      };
    },
  };
  return { namespace, calls };
};

/** Signed requests whose ids all land on shard 0 under FNV-1a, as a caller could make them. */
const steered = (count: number) => {
  const url = `http://gw.test${LIST}`;
  const body = "{}";
  const requests: Headers[] = [];
  let signings = 0;
  for (let nonce = 0; requests.length < count; nonce++) {
    const headers = signRequestSync(
      { method: "POST", url, body, headers: { "x-nonce": String(nonce) } },
      caller,
      { signedHeaders: "content-type;host;x-nonce" },
    );
    signings++;
    const signature = /Signature=([0-9a-f]+)/.exec(headers.get("authorization")!)![1];
    if (fnv1a(`${caller.accessKey}:${signature}`) % SHARDS == 0) requests.push(headers);
  }
  return { url, body, requests, signings };
};

Deno.test("item 17: requests steered onto one shard by the old hash spread over every shard", async () => {
  const { namespace, calls } = recordingNamespace();
  const gateway = createGateway({
    upstream: { ...master, fetch: () => Promise.resolve(Response.json({ code: 200, data: {} })) },
    keys: [{ ...caller, actions: ["read"], rateLimit: false }],
    store: createDurableObjectStore(namespace, { replayShards: SHARDS, shardSecret: SECRET }),
    accountBudget: false,
    auditLog: false,
  });
  const { url, body, requests, signings } = steered(1_000);
  assert.ok(signings < 40_000, `steering took ${signings} signings`);
  for (const headers of requests) {
    const response = await gateway.fetch(new Request(url, { method: "POST", headers, body }));
    await response.body?.cancel();
  }
  const perShard = new Map<string, number>();
  for (const name of calls) perShard.set(name, (perShard.get(name) ?? 0) + 1);
  assert.equal(calls.length, 1_000, "each request's signature was remembered once");
  assert.equal(perShard.size, SHARDS, `shards used: ${[...perShard.keys()].sort()}`);
  const busiest = Math.max(...perShard.values());
  assert.ok(busiest <= 125, `the busiest shard got ${busiest} of 1,000 (even: 62.5)`);
});

Deno.test("item 17: stores with the same secret agree on the shard; another secret does not", async () => {
  const ids = Array.from(
    { length: 200 },
    (_, i) => `GW_SHARD_STEER:${i.toString(16).padStart(64, "0")}`,
  );
  const shardsOf = async (shardSecret: string) => {
    const { namespace, calls } = recordingNamespace();
    const store = createDurableObjectStore(namespace, { replayShards: SHARDS, shardSecret });
    for (const id of ids) await store.remember(id, Date.now() + 60_000, "GW_SHARD_STEER");
    return calls;
  };
  const first = await shardsOf(SECRET);
  assert.deepEqual(await shardsOf(SECRET), first, "two isolates of one deployment agree");
  const other = await shardsOf(`${SECRET}-other`);
  const same = other.filter((name, i) => name == first[i]).length;
  assert.ok(same < 40, `another deployment's secret places ids elsewhere (${same} of 200 alike)`);
});

Deno.test("item 17: the store requires a per-deployment shard secret", () => {
  const { namespace } = recordingNamespace();
  for (const shardSecret of [undefined, "", "short"]) {
    assert.throws(
      () => createDurableObjectStore(namespace, { shardSecret } as never),
      (error: unknown) =>
        error instanceof WangsuValidationError && /shardSecret/.test(error.message) &&
        !error.message.includes(SECRET),
    );
  }
});
