// The Cloudflare worker in real workerd: `wrangler dev` on 127.0.0.1 (wrangler and workerd come
// from npm, run by Deno), in front of the simulator served on loopback.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { python } from "../helpers.ts";

const WRANGLER = "npm:wrangler@4.164.0";
const master = { accessKey: "AK_MASTER", secretKey: "SK_MASTER_secret_value_for_workerd" };
const ops = { accessKey: "GW_OPS", secretKey: "gw-ops-secret-0123456789" };
const viewerToken = "viewer-token-0123456789abcdef";
const keys = [
  { name: "ops", ...ops, actions: ["*"] },
  { name: "viewer", token: viewerToken, actions: ["read"] },
];

const freePort = () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
};

Deno.test({
  name:
    "the gateway worker in workerd: signed and bearer calls succeed, a forbidden one is refused",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const root = new URL("../../", import.meta.url).pathname;
    // wrangler bundles workers/cloudflare.ts, resolving npm imports from node_modules.
    const install = await new Deno.Command(Deno.execPath(), { args: ["install"], cwd: root })
      .output();
    assert.equal(install.code, 0, new TextDecoder().decode(install.stderr));

    const simulator = createSimulator({ credentials: [master] });
    const upstream = await simulator.serve();
    const port = freePort();
    const wrangler = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        WRANGLER,
        "dev",
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--var",
        `WANGSU_ACCESS_KEY:${master.accessKey}`,
        "--var",
        `WANGSU_SECRET_KEY:${master.secretKey}`,
        "--var",
        `WANGSU_ENDPOINT:${upstream.url}`,
        "--var",
        `GATEWAY_KEYS:${JSON.stringify(keys)}`,
      ],
      cwd: root,
      env: { WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const logs: string[] = [];
    const collect = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) logs.push(chunk);
    };
    const collecting = Promise.all([collect(wrangler.stdout), collect(wrangler.stderr)]);
    const gateway = `http://127.0.0.1:${port}`;
    try {
      const deadline = Date.now() + 180_000;
      for (;;) {
        const up = await fetch(`${gateway}/healthz`).then((r) => r.json()).catch(() => undefined);
        if (up?.ok) break;
        if (Date.now() > deadline) assert.fail(`wrangler dev did not come up:\n${logs.join("")}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }

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
      wrangler.kill("SIGINT");
      await wrangler.status;
      await collecting;
      await upstream.close();
    }
    assert.ok(!logs.join("").includes(master.secretKey), "the master secret never shows in logs");
  },
});
