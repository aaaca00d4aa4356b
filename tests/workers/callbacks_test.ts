// Callbacks across isolates in real workerd: the simulator delivers its callbacks over loopback
// to gateway A; subscribers hold /events on gateway B and on A. The GATEWAY_EVENTS hub object
// (hosted by the "state" worker, as one deployment's isolates share one object per name) fans
// the event out to both, once, and drops the platform's redelivery.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { demoChannel, edge, edgeKeys, sseReader } from "../helpers.ts";
import {
  bundleWorker,
  sharedState,
  startTwoGateways,
  startWorkers,
  stateHost,
} from "../../scripts/workerd.ts";

const INGRESS = "cb_workerd_0123456789abcdef0123456789abcdef";
/** How long a read may wait for an event: bounds a hang, never a latency target. */
const hang = 60_000;

Deno.test({
  name: "workerd: a callback received by one isolate reaches /events on another, once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const simulator = createSimulator({ credentials: [edge.master], callbacks: { backoffMs: 50 } });
    const upstream = await simulator.serve();
    const vars = {
      WANGSU_ACCESS_KEY: edge.master.accessKey,
      WANGSU_SECRET_KEY: edge.master.secretKey,
      WANGSU_ENDPOINT: upstream.url,
      GATEWAY_KEYS: JSON.stringify(edgeKeys({ limit: 100, windowSeconds: 60 })),
      GATEWAY_CALLBACK_TOKEN: INGRESS,
      GATEWAY_AUDIT_LOG: "off",
    };
    const workers = await startTwoGateways(vars);
    const { urls } = workers;
    const subscribe = async (base: string) => {
      const response = await fetch(`${base}/events`, {
        headers: { authorization: `Bearer ${edge.viewerToken}` },
      });
      assert.equal(response.status, 200);
      return sseReader(response);
    };
    const [atB, atA] = [await subscribe(urls["gateway-b"]), await subscribe(urls["gateway-a"])];
    try {
      const client = sdk.createClient({ ...edge.ops, endpoint: urls["gateway-b"] });
      const pullId = await demoChannel(client, `${urls["gateway-a"]}/callbacks/${INGRESS}`);
      simulator.startStream(pullId);
      const [fromB, fromA] = await Promise.all([atB.next(hang), atA.next(hang)]);
      for (const got of [fromB, fromA]) {
        assert.equal(got?.event, "push.started");
        assert.equal(got?.data.pullId, pullId);
      }
      await simulator.settled();
      assert.equal(simulator.notifications[0].state, "delivered");
      assert.equal(simulator.notifications[0].attempts.length, 1);

      // The platform sends the same callback again, this time to B: nobody sees it twice.
      const again = await fetch(
        simulator.notifications[0].url.replace(urls["gateway-a"], urls["gateway-b"]),
      );
      assert.deepEqual((await again.json()).duplicate, true);
      simulator.stopStream(pullId);
      assert.equal((await atB.next(hang))?.event, "push.stopped", "the next event, not the repeat");
      assert.equal((await atA.next(hang))?.event, "push.stopped");
      // A marker published after all of the above is what each subscriber reads next: nothing
      // else (a late repeat) was on its way.
      const marker = await fetch(
        `${urls["gateway-a"]}/callbacks/${INGRESS}?action=publish&pullId=marker`,
      );
      assert.equal((await marker.json()).duplicate, false);
      for (const [name, at] of [["B", atB], ["A", atA]] as const) {
        const next = await at.next(hang);
        assert.deepEqual([next?.event, next?.data.pullId], ["push.started", "marker"], name);
      }
    } finally {
      await atA.close();
      await atB.close();
      simulator.close();
      await workers.stop();
      await upstream.close();
    }
    assert.ok(!workers.logs().includes(INGRESS), "the ingress token is never printed");
  },
});

Deno.test({
  name: "workerd: the callback allow-list reads the address Cloudflare gives, CF-Connecting-IP",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const script = await bundleWorker("workers/cloudflare.ts");
    const workers = await startWorkers([stateHost(script), {
      name: "gateway",
      script,
      vars: {
        WANGSU_ACCESS_KEY: edge.master.accessKey,
        WANGSU_SECRET_KEY: edge.master.secretKey,
        WANGSU_ENDPOINT: "http://127.0.0.1:9",
        GATEWAY_KEYS: JSON.stringify(edgeKeys({ limit: 100, windowSeconds: 60 })),
        GATEWAY_CALLBACK_TOKEN: INGRESS,
        GATEWAY_CALLBACK_ALLOW: "203.0.113.0/24",
        GATEWAY_AUDIT_LOG: "off",
      },
      durableObjects: sharedState,
    }]);
    try {
      const deliver = async (address?: string) => {
        const response = await fetch(`${workers.urls.gateway}/callbacks/${INGRESS}`, {
          method: "POST",
          headers: address ? { "cf-connecting-ip": address } : {},
          body: "{}",
        });
        return [response.status, (await response.json()).message];
      };
      // From an allowed address the callback is read (and this one is malformed); from any other,
      // or from nowhere known, it is refused before that.
      assert.deepEqual(await deliver("203.0.113.9"), [400, "Malformed callback"]);
      assert.deepEqual(await deliver("198.51.100.1"), [
        403,
        "This source may not deliver callbacks",
      ]);
      assert.deepEqual(await deliver(), [403, "This source may not deliver callbacks"]);
    } finally {
      await workers.stop();
    }
  },
});
