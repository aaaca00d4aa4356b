// The event hub's Durable Object (GatewayEventHub) in real workerd, shared by two gateway
// isolates (miniflare, scripts/workerd.ts): an `/events` subscriber cut off at one isolate
// resumes at the other with `Last-Event-ID` and gets exactly the events it missed, in the
// history's one order; a position older than the history, or unknown, gets a `reset`.
import assert from "node:assert/strict";
import { edge, edgeKeys, sseReader } from "../../helpers.ts";
import { startTwoGateways } from "../../../scripts/workerd.ts";

const INGRESS = `cb_${crypto.randomUUID().replaceAll("-", "")}`;
/** Bounds a hang only. */
const hang = 60_000;

Deno.test({
  name:
    "workerd: two isolates on one hub object: a subscriber resumes at the other with exactly what it missed",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const vars = {
      WANGSU_ACCESS_KEY: edge.master.accessKey,
      WANGSU_SECRET_KEY: edge.master.secretKey,
      WANGSU_ENDPOINT: "http://127.0.0.1:9",
      // Every object: this test is about events, not tenancy.
      GATEWAY_KEYS: JSON.stringify(
        edgeKeys({ limit: 100, windowSeconds: 60 }).map((key) => ({ ...key, objects: "all" })),
      ),
      GATEWAY_CALLBACK_TOKEN: INGRESS,
      GATEWAY_AUDIT_LOG: "off",
    };
    const workers = await startTwoGateways(vars);
    const { urls } = workers;
    const readers: ReturnType<typeof sseReader>[] = [];
    const subscribe = async (base: string, lastEventId?: string) => {
      const response = await fetch(`${base}/events`, {
        headers: {
          authorization: `Bearer ${edge.viewerToken}`,
          ...(lastEventId ? { "last-event-id": lastEventId } : {}),
        },
      });
      assert.equal(
        response.status,
        200,
        await (response.ok ? "" : response.text()) + workers.logs(),
      );
      const reader = sseReader(response);
      readers.push(reader);
      return reader;
    };
    const deliver = async (base: string, query: string) => {
      const response = await fetch(`${base}/callbacks/${INGRESS}?${query}`);
      assert.equal(response.status, 200);
      return await response.json();
    };
    try {
      const atA = await subscribe(urls["gateway-a"]);
      await deliver(urls["gateway-b"], "action=publish&pullId=w0&time=1767225600");
      const seen = await atA.next(hang);
      assert.equal(seen?.data.pullId, "w0");
      await atA.close();
      // Cut: three events while the subscriber is away, delivered to both isolates.
      await deliver(urls["gateway-a"], "action=publish&pullId=w1&time=1767225601");
      await deliver(urls["gateway-b"], "action=publish&pullId=w2&time=1767225602");
      await deliver(urls["gateway-a"], "action=publish&pullId=w3&time=1767225603");
      const atB = await subscribe(urls["gateway-b"], seen!.id);
      const missed = [await atB.next(hang), await atB.next(hang), await atB.next(hang)];
      assert.deepEqual(missed.map((e) => e?.data.pullId), ["w1", "w2", "w3"]);
      const positions = [seen!, ...missed].map((e) => Number(e!.id));
      assert.deepEqual(positions, [1, 2, 3, 4].map((n) => positions[0] + n - 1), "one sequence");
      // Then live, and nothing twice: the marker is what comes next.
      await deliver(urls["gateway-a"], "action=publish&pullId=marker&time=1767225604");
      assert.equal((await atB.next(hang))?.data.pullId, "marker");

      const unknown = await subscribe(urls["gateway-a"], "999999");
      const reset = await unknown.next(hang);
      assert.equal(reset?.event, "reset");
      assert.equal(reset?.id, String(positions[3] + 1), "under the newest position");
    } finally {
      await Promise.all(readers.map((reader) => reader.close()));
      await workers.stop();
    }
    assert.ok(!workers.logs().includes(INGRESS), "the ingress token is never printed");
  },
});
