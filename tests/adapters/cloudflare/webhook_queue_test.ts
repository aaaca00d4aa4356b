// Outgoing webhooks in real workerd (miniflare) through a real Queue binding: the Workers entry's
// bundle receives a callback, its queue() consumer attempts the delivery to a receiver here (a
// real server that verifies with the standardwebhooks package), which is down for the first two
// attempts and gets the event on the third with the same webhook-id; a job sent again after the
// 2xx is not delivered twice; the dead letter (a second endpoint that never answers 2xx) is in
// the GatewayWebhookLedger object, and an operator's redelivery gets through.
import assert from "node:assert/strict";
import { Miniflare } from "miniflare";
import { Webhook } from "standardwebhooks";
import { generateWebhookSecret } from "../../../src/callbacks/mod.ts";
import {
  createCloudflareWebhookQueue,
  createDurableObjectWebhookLedger,
} from "../../../src/adapters/cloudflare/webhook_queue.ts";
import { createWebhookDelivery } from "../../../src/gateway/webhooks/delivery.ts";
import type { WebhookDeadLetter } from "../../../src/gateway/webhooks/ledger.ts";
import { bundleWorker, COMPATIBILITY_DATE } from "../../../scripts/workerd.ts";
import { until } from "../../helpers.ts";

Deno.test({
  name: "workerd: a Queue binding retries a webhook with the same id; delivered once; dead letter",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const secret = generateWebhookSecret();
    const answers: Record<string, number[]> = { ops: [503, 503, 204], flaky: [500] };
    const received: Record<string, string[]> = { ops: [], flaky: [] };
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      async (request) => {
        const name = new URL(request.url).pathname.slice(1);
        const body = await request.text();
        new Webhook(secret).verify(body, Object.fromEntries(request.headers)); // throws unless authentic
        received[name].push(request.headers.get("webhook-id")!);
        const list = answers[name];
        return new Response(null, {
          status: list[Math.min(received[name].length - 1, list.length - 1)],
        });
      },
    );
    const base = `http://127.0.0.1:${server.addr.port}`;
    const token = `cb${crypto.randomUUID().replaceAll("-", "")}`;
    const vars = {
      WANGSU_ACCESS_KEY: "AK_MASTER",
      WANGSU_SECRET_KEY: crypto.randomUUID(),
      GATEWAY_KEYS: JSON.stringify([{ name: "r", token: crypto.randomUUID(), actions: ["read"] }]),
      GATEWAY_AUDIT_LOG: "off",
      GATEWAY_CALLBACK_TOKEN: token,
      GATEWAY_WEBHOOK_SCHEDULE_MS: "0,1000,1000",
      GATEWAY_WEBHOOKS: JSON.stringify([
        { name: "ops", url: `${base}/ops`, secret },
        { name: "flaky", url: `${base}/flaky`, secret },
      ]),
    };
    const mf = new Miniflare({
      host: "127.0.0.1",
      port: 0,
      workers: [{
        config: {
          name: "gateway",
          compatibilityDate: COMPATIBILITY_DATE,
          manifest: {
            mainModule: "worker.js",
            modules: {
              "worker.js": {
                type: "esm" as const,
                contents: await bundleWorker("workers/cloudflare.ts"),
              },
            },
          },
          env: {
            ...Object.fromEntries(
              Object.entries(vars).map(([name, value]) => [name, { type: "text" as const, value }]),
            ),
            WEBHOOK_QUEUE: { type: "queue" as const, name: "wangsu-webhooks" },
            GATEWAY_WEBHOOK_LEDGER: {
              type: "durable-object" as const,
              worker: "gateway",
              exportName: "GatewayWebhookLedger",
            },
          },
          exports: {
            GatewayWebhookLedger: { type: "durable-object" as const, storage: "sqlite" as const },
          },
          triggers: [{ type: "queue" as const, name: "wangsu-webhooks", maxBatchTimeout: 1 }],
        },
      }],
    } as never);
    try {
      await mf.ready;
      const response = await mf.dispatchFetch(
        `http://gateway.test/callbacks/${token}?action=publish&pullId=abc123&time=1767225600`,
      );
      assert.equal(response.status, 200);
      const { id } = await response.json() as { id: string };

      await until(() => received.ops.length == 3, "the third attempt to ops", {
        deadlineMs: 90_000,
      });
      assert.deepEqual(received.ops, Array(3).fill(`msg_${id}`), "the same webhook-id");

      // The dead letter, read through the object's binding, and redelivered by the same code the
      // admin route runs, over the real Queue and object.
      const bindings = await mf.getBindings("gateway") as Record<string, never>;
      const ledger = createDurableObjectWebhookLedger(bindings.GATEWAY_WEBHOOK_LEDGER);
      const letters = await until<false | WebhookDeadLetter[]>(
        async () => {
          const list = await ledger.listDeadLetters(10);
          return list.length ? list : false;
        },
        "flaky's dead letter",
        { deadlineMs: 90_000 },
      );
      assert.ok(letters);
      assert.deepEqual(letters.map((l) => [l.endpoint, l.reason, l.attempts, l.last.status]), [
        ["flaky", "exhausted", 3, 500],
      ]);
      assert.equal(letters[0].messageId, `msg_${id}`);
      const delivery = createWebhookDelivery({
        endpoints: [{ name: "flaky", url: `${base}/flaky`, secret }],
        queue: createCloudflareWebhookQueue(bindings.WEBHOOK_QUEUE),
        ledger,
        log: false,
      });
      answers.flaky = [204];
      // ops' delivered job, sent again (as after a lost ack): skipped by the consumer.
      await createCloudflareWebhookQueue(bindings.WEBHOOK_QUEUE).send({
        v: 1,
        endpoint: "ops",
        messageId: `msg_${id}`,
        event: letters[0].event,
        attempt: 3,
        firstAttemptAt: letters[0].firstAttemptAt,
      }, 0);
      assert.equal(await delivery.redeliver(letters[0].key), true);
      await until(() => received.flaky.length == 4, "the redelivery", { deadlineMs: 90_000 });
      assert.equal(received.flaky[3], `msg_${id}`);
      assert.equal(received.ops.length, 3, "nothing delivered twice after a 2xx");
      assert.deepEqual(await ledger.listDeadLetters(10), []);
    } finally {
      await mf.dispose();
      await server.shutdown();
    }
  },
});
