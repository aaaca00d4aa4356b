// The Cloudflare worker in real workerd: `wrangler dev` on 127.0.0.1 (wrangler and workerd come
// from npm, run by Deno), in front of the simulator served on loopback.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { python } from "../helpers.ts";
import { startWorker } from "../../scripts/wrangler.ts";

const master = { accessKey: "AK_MASTER", secretKey: "SK_MASTER_secret_value_for_workerd" };
const ops = { accessKey: "GW_OPS", secretKey: "gw-ops-secret-0123456789" };
const viewerToken = "viewer-token-0123456789abcdef";
const keys = [
  // Operators' keys: they see the whole account (objects it made before the gateway, too).
  { name: "ops", ...ops, actions: ["*"], objects: "all" },
  { name: "viewer", token: viewerToken, actions: ["read"], objects: "all" },
];

Deno.test({
  name:
    "the gateway worker in workerd: signed and bearer calls succeed, a forbidden one is refused",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const simulator = createSimulator({ credentials: [master] });
    const upstream = await simulator.serve();
    const worker = await startWorker({
      name: "test",
      vars: {
        WANGSU_ACCESS_KEY: master.accessKey,
        WANGSU_SECRET_KEY: master.secretKey,
        WANGSU_ENDPOINT: upstream.url,
        GATEWAY_KEYS: JSON.stringify(keys),
      },
    });
    const gateway = worker.url;
    try {
      const client = sdk.createClient({ ...ops, endpoint: gateway });
      const { pullId } = await sdk.createChannel(client, {
        channelName: "from workerd",
        channelType: "live",
        pushDomain: "push.example.com",
        pullRate: "0",
      });
      assert.equal(simulator.store.channels.get(pullId)?.channelName, "from workerd");

      const bearer = await fetch(`${gateway}/live/channelManage/getChannelList`, {
        method: "POST",
        headers: { authorization: `Bearer ${viewerToken}` },
        body: JSON.stringify({ pageSize: 10 }),
      });
      assert.equal(bearer.status, 200);
      const listed = await bearer.json();
      assert.deepEqual(listed.data.channelList.map((c: { pullId: string }) => c.pullId), [pullId]);
      assert.match(bearer.headers.get("x-cnc-request-id") ?? "", /^[0-9a-f-]{36}$/);

      const forbidden = await fetch(`${gateway}/live/channelManage/deleteChannel`, {
        method: "POST",
        headers: { authorization: `Bearer ${viewerToken}` },
        body: JSON.stringify({ pullId }),
      });
      assert.equal(forbidden.status, 403);
      assert.equal((await forbidden.json()).message, "Key viewer may not call deleteChannel");
      assert.ok(simulator.store.channels.has(pullId));

      const vendorStyle = await python(
        gateway,
        ops.accessKey,
        ops.secretKey,
        "/live/channelManage/getChannelLiveState",
        { pullId },
      );
      assert.equal(vendorStyle.status, 200);
      assert.deepEqual(vendorStyle.body.data, { channelState: "2" });
    } finally {
      await worker.stop();
      await upstream.close();
    }
    assert.ok(!worker.logs().includes(master.secretKey), "the master secret never shows in logs");
    assert.ok(
      !worker.logs().includes("GATEWAY_STATE is not bound"),
      "wrangler.toml binds the state",
    );
  },
});

Deno.test({
  name: "the worker in workerd with no secrets: every request is a 503 naming the variable, " +
    "logged once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // As `wrangler dev` runs before any `wrangler secret put`. (startWorker's own readiness
    // checks are requests too: all of them 503.)
    const worker = await startWorker({ name: "unconfigured", vars: {} });
    const paths = ["/healthz", "/", "/openapi.json", "/live/channelManage/getChannelList"];
    try {
      for (const path of paths) {
        const response = await fetch(`${worker.url}${path}`, {
          method: path.startsWith("/live/") ? "POST" : "GET",
          body: path.startsWith("/live/") ? "{}" : undefined,
        });
        assert.equal(response.status, 503, path);
        assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
        const text = await response.text();
        const body = JSON.parse(text);
        assert.deepEqual(Object.keys(body).sort(), ["code", "message"], text);
        assert.equal(body.code, 503);
        assert.match(body.message, /\bWANGSU_ACCESS_KEY\b/, text);
        assert.doesNotMatch(text, /\bat\s|Error|\.ts\b|\\n/, `no stack: ${text}`);
      }
      // wrangler logs each request once it is answered: wait for the last one, then count.
      const deadline = Date.now() + 30_000;
      while (!/POST \/live\/channelManage\/getChannelList 503/.test(worker.logs())) {
        assert.ok(Date.now() < deadline, `no request log line:\n${worker.logs()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await worker.stop();
    }
    const logged = worker.logs().match(/gateway: not started[^\n]*/g) ?? [];
    assert.equal(logged.length, 1, `logged once:\n${worker.logs()}`);
    assert.match(logged[0], /WANGSU_ACCESS_KEY/);
    // (wrangler prints stacks of its own, e.g. when it cannot fetch `Request.cf` offline.)
    assert.doesNotMatch(worker.logs(), /WangsuValidationError/);
    assert.doesNotMatch(worker.logs(), /gateway: not started[^\n]*\n+\s+at /, "no stack logged");
  },
});
