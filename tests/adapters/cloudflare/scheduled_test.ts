// The Workers entry's Cron Trigger in real workerd: callbacks are published through two isolates
// (A and B) of one deployment, some of them lost on the way; the scheduled run fires in A and
// corrects every channel whose last event was wrong, B's included, because the channels' memory
// is on the shared GATEWAY_STATE object, not in each isolate. The corrections reach /events.
import assert from "node:assert/strict";
import * as sdk from "../../../mod.ts";
import { createSimulator } from "../../../src/simulator/mod.ts";
import type { SimNotification } from "../../../src/simulator/store.ts";
import { demoChannel, edge, edgeKeys, type SseMessage, sseReader } from "../../helpers.ts";
import { startTwoGateways } from "../../../scripts/workerd.ts";

const INGRESS = `cb_${crypto.randomUUID().replaceAll("-", "")}`;
/** Where the simulator addresses its callbacks; the test delivers them itself, or drops them. */
const NOTIFY = "http://ingress.invalid";
/** How long a read may wait for an event: bounds a hang, never a latency target. */
const hang = 60_000;

Deno.test({
  name: "workerd: the Cron Trigger corrects lost callbacks of channels any isolate saw",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    // Callbacks are only recorded: the test delivers each one to an isolate, or drops it.
    const simulator = createSimulator({ credentials: [edge.master], callbacks: false });
    const upstream = await simulator.serve();
    const vars = {
      WANGSU_ACCESS_KEY: edge.master.accessKey,
      WANGSU_SECRET_KEY: edge.master.secretKey,
      WANGSU_ENDPOINT: upstream.url,
      GATEWAY_KEYS: JSON.stringify(edgeKeys({ limit: 100, windowSeconds: 60 })),
      GATEWAY_CALLBACK_TOKEN: INGRESS,
      GATEWAY_RECONCILER: "on",
      GATEWAY_AUDIT_LOG: "off",
    };
    const workers = await startTwoGateways(vars);
    const { urls } = workers;
    const response = await fetch(`${urls["gateway-a"]}/events`, {
      headers: { authorization: `Bearer ${edge.viewerToken}` },
    });
    assert.equal(response.status, 200);
    const events = sseReader(response);
    /** Events read off /events until one matches `last` (which is included). */
    const readUntil = async (last: (event: SseMessage) => boolean) => {
      const read: SseMessage[] = [];
      for (;;) {
        const event = await events.next(hang);
        assert.ok(event, `no event within ${hang} ms; read ${JSON.stringify(read)}`);
        read.push(event);
        if (last(event)) return read;
      }
    };
    try {
      const client = sdk.createClient({ ...edge.master, endpoint: upstream.url });
      const notifyUrl = `${NOTIFY}/callbacks/${INGRESS}`;
      const [toA, toB, steady] = [
        await demoChannel(client, notifyUrl, "Through A"),
        await demoChannel(client, notifyUrl, "Through B"),
        await demoChannel(client, notifyUrl, "Nothing lost"),
      ];
      let delivered = 0;
      /** Delivers the callbacks raised since the last call to `base`, or drops them. */
      const deliverNew = async (base: string | undefined) => {
        const fresh = simulator.notifications.slice(delivered) as SimNotification[];
        delivered = simulator.notifications.length;
        assert.ok(fresh.length >= 1, "the step raised a callback");
        if (!base) return;
        for (const notification of fresh) {
          const answer: Response = await fetch(notification.url.replace(NOTIFY, base));
          assert.equal(answer.status, 200, await answer.clone().text());
          assert.equal((await answer.json()).duplicate, false);
        }
      };
      // Every encoder starts; A publishes the first channel's start, B the other two.
      simulator.startStream(toA);
      await deliverNew(urls["gateway-a"]);
      simulator.startStream(toB);
      await deliverNew(urls["gateway-b"]);
      simulator.startStream(steady);
      await deliverNew(urls["gateway-b"]);
      // Then the first channel stops and the second is banned: both callbacks are lost.
      simulator.stopStream(toA);
      await deliverNew(undefined);
      await sdk.channelForbidden(client, { pullId: toB });
      await deliverNew(undefined);

      // The Cron Trigger fires in A.
      const result = await (await workers.worker("gateway-a")).scheduled({ cron: "* * * * *" });
      assert.equal(result.outcome, "ok");
      // A marker published after the run: everything the run published comes before it.
      const marker = await fetch(
        `${urls["gateway-a"]}/callbacks/${INGRESS}?action=publish&pullId=marker`,
      );
      assert.equal(marker.status, 200);
      const read = await readUntil((event) => event.data.pullId == "marker");
      const corrections = read.filter((event) => event.event == "channel.state_corrected")
        .map(({ data }) => [data.pullId, data.believed, data.actual, data.missing]);
      assert.deepEqual(
        corrections.sort((x, y) => String(x[0]) < String(y[0]) ? -1 : 1),
        [
          [toA, "live", "idle", ["push.stopped"]],
          [toB, "live", "banned", ["channel.banned"]],
        ].sort((x, y) => String(x[0]) < String(y[0]) ? -1 : 1),
        "each wrong channel corrected once, naming the missing transition; B's too",
      );
      assert.deepEqual(
        read.filter((event) => event.event == "push.started").map(({ data }) => data.pullId)
          .sort(),
        [toA, toB, steady, "marker"].sort(),
      );
      assert.match(workers.logs(), /"reconciler":\{"cron":"\* \* \* \* \*".*"channels":3[,}]/);
    } finally {
      await events.close();
      simulator.close();
      await workers.stop();
      await upstream.close();
    }
    assert.ok(!workers.logs().includes(INGRESS), "the ingress token is never printed");
  },
});
