// Tenancy across processes: two gateway processes (workers/deno.ts, as deployed) on one Deno KV
// file. A channel created through one is its creator's through the other, and refused there (403
// naming it) to another tenant, before anything reaches the vendor.
import assert from "node:assert/strict";
import { createSimulator } from "../../../src/simulator/mod.ts";
import { recordingUpstream } from "../../helpers.ts";
import { startEntry, untilHealthy } from "../../security/deno_entry_fixture.ts";

const secret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;
const master = { accessKey: "AK_MASTER", secretKey: secret("SK_MASTER") };
const tokens = { a: secret("tok-a"), b: secret("tok-b") };
const CREATE = "/live/channelManage/createChannel";
const READ = "/live/channelManage/getChannelConfigure";

Deno.test({
  name: "Deno KV: ownership recorded by one gateway process holds at another on the same file",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const simulator = createSimulator({ credentials: [master], rateLimit: false });
    const upstream = recordingUpstream(simulator.fetch);
    const env = {
      WANGSU_ACCESS_KEY: master.accessKey,
      WANGSU_SECRET_KEY: master.secretKey,
      WANGSU_ENDPOINT: upstream.url,
      GATEWAY_KEYS: JSON.stringify([
        { name: "team-a", token: tokens.a, actions: ["*"], rateLimit: false },
        { name: "team-b", token: tokens.b, actions: ["*"], rateLimit: false },
      ]),
      GATEWAY_KV_PATH: `${await Deno.makeTempDir()}/gateway.kv`,
    };
    const [one, two] = [startEntry(env), startEntry(env)];
    const call = async (gateway: { url: string }, token: string, path: string, body: unknown) => {
      const response = await fetch(`${gateway.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
    try {
      await Promise.all([untilHealthy(one, 120_000), untilHealthy(two, 120_000)]);
      const created = await call(one, tokens.a, CREATE, {
        channelName: "Show",
        channelType: "live",
        pushDomain: "push.example.com",
        pullRate: "0",
      });
      assert.equal(created.status, 200, JSON.stringify(created.body));
      const pullId = created.body.data.pullId as string;
      const forwarded = upstream.arrivals.length;
      const refused = await call(two, tokens.b, READ, { pullId });
      assert.equal(refused.status, 403, JSON.stringify(refused.body));
      assert.match(refused.body.message, new RegExp(`team-b does not own channel ${pullId}`));
      assert.equal(upstream.arrivals.length, forwarded, "nothing forwarded for the refusal");
      const owner = await call(two, tokens.a, READ, { pullId });
      assert.equal(owner.status, 200, JSON.stringify(owner.body));
      assert.equal(owner.body.data.channelName, "Show");
    } finally {
      await Promise.all([one.stop(), two.stop()]);
      await upstream.shutdown();
    }
  },
});
