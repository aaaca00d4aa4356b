// Tenancy across isolates in real workerd: workers "gateway-a" and "gateway-b" run the same
// Workers bundle as separate isolates and share the GATEWAY_STATE Durable Objects hosted by a third
// worker (scripts/workerd.ts). A channel created through one is its creator's through the other,
// and refused there (403 naming it) to another tenant, before anything reaches the vendor.
import assert from "node:assert/strict";
import { createSimulator } from "../../../src/simulator/mod.ts";
import { recordingUpstream } from "../../helpers.ts";
import { bundleWorker, sharedState, startWorkers, stateHost } from "../../../scripts/workerd.ts";

const secret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;
const master = { accessKey: "AK_MASTER", secretKey: secret("SK_MASTER") };
const tokens = { a: secret("tok-a"), b: secret("tok-b") };
const CREATE = "/live/channelManage/createChannel";
const READ = "/live/channelManage/getChannelConfigure";

Deno.test({
  name: "workerd: ownership recorded by one gateway isolate holds at another on the same objects",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const simulator = createSimulator({ credentials: [master], rateLimit: false });
    const upstream = recordingUpstream(simulator.fetch);
    const vars = {
      WANGSU_ACCESS_KEY: master.accessKey,
      WANGSU_SECRET_KEY: master.secretKey,
      WANGSU_ENDPOINT: upstream.url,
      GATEWAY_KEYS: JSON.stringify([
        { name: "team-a", token: tokens.a, actions: ["*"], rateLimit: false },
        { name: "team-b", token: tokens.b, actions: ["*"], rateLimit: false },
      ]),
    };
    const script = await bundleWorker("workers/cloudflare.ts");
    const workers = await startWorkers([
      stateHost(script),
      { name: "gateway-a", script, vars, durableObjects: sharedState },
      { name: "gateway-b", script, vars, durableObjects: sharedState },
    ]);
    const call = async (base: string, token: string, path: string, body: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
    try {
      const [one, two] = [workers.urls["gateway-a"], workers.urls["gateway-b"]];
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
      await workers.stop();
      await upstream.shutdown();
    }
  },
});
