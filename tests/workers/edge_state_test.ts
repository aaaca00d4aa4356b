// Two gateways in real workerd, one state: workers "gateway-a" and "gateway-b" run the same
// Workers bundle as separate isolates (workerd gives every worker its own), and share the
// GATEWAY_STATE Durable Object namespace hosted by a third worker, "state", bound by scriptName.
// That is how Cloudflare runs one deployment: many isolates, one object per name. Two more
// workers with no binding ("alone-a", "alone-b") show the isolates really are apart: without the
// objects, a replay goes through. Upstream is the simulator on loopback with its own rate limit
// set to the budget, so any overspend would show as a vendor 429. The objects' own contract (the
// StateStore's, the sweep, the bounds) is in tests/adapters/cloudflare/gateway_state_object_test.ts.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { signRequest } from "../../src/signer.ts";
import { edge, edgeScenario, until } from "../helpers.ts";
import { startTwoGateways } from "../../scripts/workerd.ts";

const { master, ops, viewerToken, partnerToken } = edge;
const BUDGET = 50;
const WINDOW_MS = 1_000;
/** `GATEWAY_BUDGET_MARGIN_MS` of {@link edgeScenario}: the gateway holds a slot this much longer. */
const MARGIN_MS = 1_000;
const LIST = "/live/channelManage/getChannelList";

Deno.test({
  name: "workerd: two gateway isolates share replay memory, the account budget and key quotas",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { upstream, env: vars } = edgeScenario(
      { limit: BUDGET, windowMs: WINDOW_MS },
      { limit: 10, windowSeconds: 60 },
    );
    const workers = await startTwoGateways(vars, (script) => [
      { name: "alone-a", script, vars },
      { name: "alone-b", script, vars },
    ]);
    const { urls } = workers;
    try {
      // A signed request accepted by A is a replay at B.
      const replay = async (first: string, second: string) => {
        const path = LIST;
        const body = "{}";
        // Here each isolate has its own port, where a deployment has one host: leave the host
        // out of the signature so that the same bytes are valid at both.
        const headers = await signRequest({ method: "POST", url: `${first}${path}`, body }, ops, {
          signedHeaders: "content-type",
        });
        const send = (base: string) =>
          fetch(`${base}${path}`, { method: "POST", headers, body })
            .then(async (r) => ({ status: r.status, body: await r.json() }));
        return [await send(first), await send(second)];
      };
      const [accepted, replayed] = await replay(urls["gateway-a"], urls["gateway-b"]);
      assert.equal(accepted.status, 200);
      assert.equal(replayed.status, 401);
      assert.equal(replayed.body.reason, "replay");
      const [alone, unguarded] = await replay(urls["alone-a"], urls["alone-b"]);
      assert.equal(alone.status, 200);
      assert.equal(unguarded.status, 200, "isolates with no shared state cannot see the replay");

      // 400 calls over A and B, bearer and signed, 32 at a time; first the window of the four
      // calls above, two of which the shared budget did not count, moves on (the vendor's, and
      // the gateway's with its margin, so that every slot is free).
      const last = Math.max(...upstream.arrivals);
      await until(() => Date.now() > last + WINDOW_MS + MARGIN_MS, "the window to move on", {
        everyMs: 50,
      });
      upstream.reset();
      const clients = [urls["gateway-a"], urls["gateway-b"]].map((endpoint) =>
        sdk.createClient({ ...ops, endpoint, retries: 0, timeoutMs: 90_000 })
      );
      const statuses: number[] = [];
      let next = 0;
      await Promise.all(Array.from({ length: 32 }, async () => {
        while (next < 400) {
          const n = next++;
          if (n % 4 == 3) {
            const result = await sdk.getChannelList(clients[n % 2], {}).then(
              () => 200,
              (e) => e.status ?? 0,
            );
            statuses.push(result);
          } else {
            const response = await fetch(`${urls[n % 2 ? "gateway-b" : "gateway-a"]}${LIST}`, {
              method: "POST",
              headers: { authorization: `Bearer ${viewerToken}` },
              body: "{}",
            });
            await response.body?.cancel();
            statuses.push(response.status);
          }
        }
      }));
      assert.equal(statuses.length, 400);
      assert.deepEqual(statuses.filter((s) => s != 200), [], "every caller got its answer");
      assert.deepEqual(upstream.statuses.filter((s) => s != 200), [], "the vendor never said 429");
      assert.equal(upstream.arrivals.length, 400, "each call went upstream once");
      const busiest = upstream.busiest(WINDOW_MS);
      assert.ok(busiest <= BUDGET, `${busiest} arrivals in one window, budget ${BUDGET}`);
      assert.ok(busiest >= BUDGET * 0.8, `the budget is used, not starved (${busiest})`);

      // A key's quota holds across both isolates.
      const partner: number[] = [];
      for (let i = 0; i < 30; i++) {
        const response = await fetch(`${urls[i % 2 ? "gateway-b" : "gateway-a"]}${LIST}`, {
          method: "POST",
          headers: { authorization: `Bearer ${partnerToken}` },
          body: "{}",
        });
        partner.push(response.status);
        const json = await response.json();
        if (response.status == 429) {
          assert.match(json.message, /^Key partner is over its quota of 10 requests per 60 s/);
          assert.ok(Number(response.headers.get("retry-after")) > 0);
        }
      }
      assert.equal(partner.filter((s) => s == 200).length, 10);
      assert.equal(partner.filter((s) => s == 429).length, 20);
    } finally {
      await workers.stop();
      await upstream.shutdown();
    }
    const audit = workers.logs().split("\n").filter((line) => line.includes('"gateway.audit"'))
      .map((line) => JSON.parse(line.slice(line.indexOf("{"))));
    assert.equal(audit.filter((entry) => entry.key == "partner").length, 30, "audited in workerd");
    for (const secret of [master.secretKey, ops.secretKey, viewerToken, partnerToken]) {
      assert.ok(!workers.logs().includes(secret), "no secret in workerd's output");
    }
  },
});
