// Two gateway processes (workers/deno.ts, as deployed) on one Deno KV file: a replay accepted by
// one is refused by the other, the account budget holds over both, and so does a key's quota.
import assert from "node:assert/strict";
import { createSimulator } from "../../src/simulator/mod.ts";
import { signRequest } from "../../src/signer.ts";
import { freePort } from "../../scripts/wrangler.ts";

const master = { accessKey: "AK_MASTER", secretKey: "SK_MASTER_secret_value_for_deno_kv" };
const ops = { accessKey: "GW_OPS", secretKey: "gw-ops-secret-0123456789" };
const viewerToken = "viewer-token-0123456789abcdef";
const partnerToken = "partner-token-0123456789abcdef";
const BUDGET = 20;
const WINDOW_MS = 1_000;
const LIST = "/live/channelManage/getChannelList";
const entry = new URL("../../workers/deno.ts", import.meta.url).pathname;

async function startGateway(env: Record<string, string>) {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-kv", entry],
    env: { ...env, PORT: String(port), NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  const collecting = Promise.all([child.stdout, child.stderr].map(async (stream) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) output.push(chunk);
  }));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0;; i++) {
    const up = await fetch(`${url}/healthz`).then((r) => r.body?.cancel().then(() => true))
      .catch(() => false);
    if (up) break;
    if (i > 200) throw new Error(`the gateway did not start:\n${output.join("")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    output: () => output.join(""),
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await collecting;
    },
  };
}

Deno.test({
  name: "Deno KV: two gateway processes on one file share replay memory, budget and quotas",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const simulator = createSimulator({
      credentials: [master],
      rateLimit: { limit: BUDGET, windowMs: WINDOW_MS },
    });
    const arrivals: number[] = [];
    const vendorStatuses: number[] = [];
    const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (r) => {
      arrivals.push(Date.now());
      const response = await simulator.fetch(r);
      vendorStatuses.push(response.status);
      return response;
    });
    const kvPath = `${await Deno.makeTempDir()}/gateway.kv`;
    const env = {
      WANGSU_ACCESS_KEY: master.accessKey,
      WANGSU_SECRET_KEY: master.secretKey,
      WANGSU_ENDPOINT: `http://127.0.0.1:${upstream.addr.port}`,
      GATEWAY_KEYS: JSON.stringify([
        { name: "ops", ...ops, actions: ["*"] },
        { name: "viewer", token: viewerToken, actions: ["read"] },
        {
          name: "partner",
          token: partnerToken,
          actions: ["read"],
          rateLimit: { limit: 5, windowSeconds: 60 },
        },
      ]),
      GATEWAY_KV_PATH: kvPath,
      GATEWAY_ACCOUNT_BUDGET: `${BUDGET}/${WINDOW_MS / 1000}`,
      GATEWAY_BUDGET_MARGIN_MS: "250",
      GATEWAY_BUDGET_MAX_WAIT_MS: "60000",
    };
    const [a, b] = await Promise.all([startGateway(env), startGateway(env)]);
    try {
      const body = "{}";
      // The two processes listen on different ports; leave the host out of the signature so the
      // same bytes are valid at both, as they are at one deployment's host.
      const headers = await signRequest({ method: "POST", url: `${a.url}${LIST}`, body }, ops, {
        signedHeaders: "content-type",
      });
      const first = await fetch(`${a.url}${LIST}`, { method: "POST", headers, body });
      assert.equal(first.status, 200);
      await first.body?.cancel();
      const replayed = await fetch(`${b.url}${LIST}`, { method: "POST", headers, body });
      assert.equal(replayed.status, 401);
      assert.equal((await replayed.json()).reason, "replay");

      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 300));
      arrivals.length = 0;
      vendorStatuses.length = 0;
      const statuses: number[] = [];
      let next = 0;
      await Promise.all(Array.from({ length: 16 }, async () => {
        while (next < 80) {
          const n = next++;
          const response = await fetch(`${(n % 2 ? b : a).url}${LIST}`, {
            method: "POST",
            headers: { authorization: `Bearer ${viewerToken}` },
            body,
          });
          await response.body?.cancel();
          statuses.push(response.status);
        }
      }));
      assert.deepEqual(statuses.filter((s) => s != 200), []);
      assert.deepEqual(vendorStatuses.filter((s) => s != 200), [], "the vendor never said 429");
      let busiest = 0;
      for (let i = 0, j = 0; i < arrivals.length; i++) {
        while (arrivals[j] <= arrivals[i] - WINDOW_MS) j++;
        busiest = Math.max(busiest, i - j + 1);
      }
      assert.equal(arrivals.length, 80);
      assert.ok(busiest <= BUDGET, `${busiest} arrivals in one window, budget ${BUDGET}`);

      const partner: number[] = [];
      for (let i = 0; i < 12; i++) {
        const response = await fetch(`${(i % 2 ? b : a).url}${LIST}`, {
          method: "POST",
          headers: { authorization: `Bearer ${partnerToken}` },
          body,
        });
        await response.body?.cancel();
        partner.push(response.status);
      }
      assert.equal(partner.filter((s) => s == 200).length, 5);
      assert.equal(partner.filter((s) => s == 429).length, 7);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await upstream.shutdown();
    }
    for (const secret of [master.secretKey, ops.secretKey, viewerToken, partnerToken]) {
      assert.ok(!(a.output() + b.output()).includes(secret), "no secret in the output");
    }
    assert.equal(
      (a.output() + b.output()).split("\n").filter((l) => l.includes('"key":"partner"')).length,
      12,
      "every request audited",
    );
  },
});
