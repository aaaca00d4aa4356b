// Outgoing webhooks in real workerd (miniflare) through a real Queue binding: the Workers entry's
// bundle receives a callback, its queue() consumer attempts the delivery to a receiver here (a
// real server that verifies with the standardwebhooks package), which is down for the first two
// attempts and gets the event on the third with the same webhook-id; a job sent again after the
// 2xx is not delivered twice; the dead letter (a second endpoint that never answers 2xx) is in
// the GatewayWebhookLedger object, and an operator's redelivery gets through.
import assert from "node:assert/strict";
import { generateWebhookSecret } from "../../../src/callbacks/mod.ts";
import {
  createCloudflareWebhookQueue,
  createDurableObjectWebhookLedger,
} from "../../../src/adapters/cloudflare/webhook_queue.ts";
import { createWebhookDelivery } from "../../../src/gateway/webhooks/delivery.ts";
import type { WebhookDeadLetter } from "../../../src/gateway/webhooks/ledger.ts";
import { bundleWorker, startWorkers } from "../../../scripts/workerd.ts";
import { until } from "../../helpers.ts";
import { webhookReceiver } from "../../gateway/webhooks/receiver_fixture.ts";

Deno.test({
  name: "workerd: a Queue binding retries a webhook with the same id; delivered once; dead letter",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const secret = generateWebhookSecret();
    const { base, received, answers, shutdown } = webhookReceiver(secret, {
      ops: [503, 503, 204],
      flaky: [500],
    });
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
    const { urls, bindings: bindingsOf, stop } = await startWorkers([{
      name: "gateway",
      script: await bundleWorker("workers/cloudflare.ts"),
      vars,
      durableObjects: { GATEWAY_WEBHOOK_LEDGER: { className: "GatewayWebhookLedger" } },
      queues: { WEBHOOK_QUEUE: "wangsu-webhooks" },
    }]);
    try {
      const response = await fetch(
        `${urls.gateway}/callbacks/${token}?action=publish&pullId=abc123&time=1767225600`,
      );
      assert.equal(response.status, 200);
      const { id } = await response.json() as { id: string };

      await until(() => received.ops.length == 3, "the third attempt to ops", {
        deadlineMs: 90_000,
      });
      assert.deepEqual(received.ops, Array(3).fill(`msg_${id}`), "the same webhook-id");

      // The dead letter, read through the object's binding, and redelivered by the same code the
      // admin route runs, over the real Queue and object.
      const bindings = await bindingsOf("gateway") as Record<string, never>;
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
      await stop();
      await shutdown();
    }
  },
});
