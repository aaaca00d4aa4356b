// Two gateway processes (workers/deno.ts, as deployed) on one Deno KV file: a replay accepted by
// one is refused by the other, the account budget holds over both, and so does a key's quota.
import assert from "node:assert/strict";
import { signRequest } from "../../src/signer.ts";
import { edge, edgeScenario, until } from "../helpers.ts";
import { startEntry, untilHealthy } from "../security/deno_entry_fixture.ts";

const { master, ops, viewerToken, partnerToken } = edge;
const BUDGET = 20;
const WINDOW_MS = 1_000;
/** `GATEWAY_BUDGET_MARGIN_MS` of {@link edgeScenario}: the gateway holds a slot this much longer. */
const MARGIN_MS = 1_000;
const LIST = "/live/channelManage/getChannelList";

Deno.test({
  name: "Deno KV: two gateway processes on one file share replay memory, budget and quotas",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const scenario = edgeScenario(
      { limit: BUDGET, windowMs: WINDOW_MS },
      { limit: 5, windowSeconds: 60 },
    );
    const { upstream } = scenario;
    const env = { ...scenario.env, GATEWAY_KV_PATH: `${await Deno.makeTempDir()}/gateway.kv` };
    const [a, b] = [startEntry(env), startEntry(env)];
    /** A bearer read at gateway A or B by turns; its status. */
    const read = async (n: number, token: string) => {
      const response = await fetch(`${(n % 2 ? b : a).url}${LIST}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: "{}",
      });
      await response.body?.cancel();
      return response.status;
    };
    try {
      await Promise.all([untilHealthy(a, 120_000), untilHealthy(b, 120_000)]);
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

      // Start on a budget with every slot free: once the gateway's window (and its margin) has
      // moved on past the call above.
      const last = Math.max(...upstream.arrivals);
      await until(() => Date.now() > last + WINDOW_MS + MARGIN_MS, "the window to move on", {
        everyMs: 50,
      });
      upstream.reset();
      const statuses: number[] = [];
      let next = 0;
      // As many callers as the budget, asking at once.
      await Promise.all(Array.from({ length: BUDGET }, async () => {
        while (next < 80) statuses.push(await read(next++, viewerToken));
      }));
      assert.deepEqual(statuses.filter((s) => s != 200), []);
      assert.deepEqual(upstream.statuses.filter((s) => s != 200), [], "the vendor never said 429");
      const busiest = upstream.busiest(WINDOW_MS);
      assert.equal(upstream.arrivals.length, 80);
      assert.ok(busiest <= BUDGET, `${busiest} arrivals in one window, budget ${BUDGET}`);
      // Used, not starved: all 20 slots are free and 20 callers ask at once, so a budget that
      // grants what it has sends the whole budget together, and the vendor sees it in one
      // window. A budget that holds back slots it has free (a request counted twice, a slot held
      // too long, a limit below the one set) shows far fewer; the 20% below the budget leave
      // room for requests a loaded machine delays past the window.
      console.log(`busiest vendor window: ${busiest} of ${BUDGET}`);
      assert.ok(busiest >= BUDGET * 0.8, `the budget is used, not starved (${busiest})`);

      const partner: number[] = [];
      for (let i = 0; i < 12; i++) partner.push(await read(i, partnerToken));
      assert.equal(partner.filter((s) => s == 200).length, 5);
      assert.equal(partner.filter((s) => s == 429).length, 7);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await upstream.shutdown();
    }
    const output = a.stdout() + a.stderr() + b.stdout() + b.stderr();
    for (const secret of [master.secretKey, ops.secretKey, viewerToken, partnerToken]) {
      assert.ok(!output.includes(secret), "no secret in the output");
    }
    assert.equal(
      output.split("\n").filter((l) => l.includes('"key":"partner"')).length,
      12,
      "every request audited",
    );
  },
});
