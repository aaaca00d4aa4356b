// @wangsu/sdk/adapters/deno as a Deno user meets it: the package entry holds the Deno KV state
// store and both hubs a deployment chooses between (the tests beside this one drive each through
// this entry), and the gateway entry no longer defines them (src/gateway/ holds no platform code).
import assert from "node:assert/strict";
import * as adapter from "../../../src/adapters/deno/mod.ts";
import { createGateway } from "../../../src/gateway/mod.ts";
import { signRequestSync } from "../../../src/signer.ts";
import { createSimulator } from "../../../src/simulator/mod.ts";

const root = new URL("../../../", import.meta.url);
const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", root)));

Deno.test("deno.json exports the entry: the KV store, the KV and BroadcastChannel hubs, the KV webhook queue and ledger", () => {
  assert.equal(config.exports["./adapters/deno"], "./src/adapters/deno/mod.ts");
  assert.deepEqual(Object.keys(adapter).sort(), [
    "createBroadcastChannelHub",
    "createDenoKvHub",
    "createDenoKvStore",
    "createDenoKvWebhookLedger",
    "createDenoKvWebhookQueue",
  ]);
  const gateway = [...Deno.readDirSync(new URL("src/gateway/", root))].map((entry) => entry.name);
  assert.deepEqual(gateway.filter((name) => /deno_kv|durable_object/.test(name)), []);
});

Deno.test("two gateways on one Deno KV, each built from the entry: what A accepted is a replay at B", async () => {
  const master = { accessKey: "AK_ADAPTER", secretKey: `SK-${crypto.randomUUID()}` };
  const signer = { accessKey: "GW_ADAPTER", secretKey: `gw-${crypto.randomUUID()}` };
  const simulator = createSimulator({ credentials: [master], callbacks: false, rateLimit: false });
  const kv = await Deno.openKv(":memory:");
  try {
    const gateway = () =>
      createGateway({
        upstream: { ...master, fetch: simulator.fetch },
        keys: [{ name: "signer", ...signer, actions: ["read"], rateLimit: false }],
        store: adapter.createDenoKvStore(kv),
        auditLog: false,
      });
    const [a, b] = [gateway(), gateway()];
    const url = "http://gw.test/live/channelManage/getChannelList";
    const headers = signRequestSync({ method: "POST", url, body: "{}" }, signer);
    const send = (to: typeof a) =>
      to.fetch(new Request(url, { method: "POST", headers, body: "{}" }));
    const accepted = await send(a);
    assert.equal(accepted.status, 200, await accepted.clone().text());
    const replayed = await send(b);
    const refusal = await replayed.clone().text();
    assert.equal(replayed.status, 401, refusal);
    assert.match(refusal, /replay/i);
    await Promise.all([accepted.body?.cancel(), replayed.body?.cancel()]);
  } finally {
    kv.close();
  }
});
