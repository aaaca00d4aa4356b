// Outgoing webhooks through a Deno KV queue on a real KV file: a receiver (a real server, which
// verifies with the standardwebhooks package) down for its first two attempts gets the event on
// the third with the same webhook-id; a job redelivered after the 2xx is not delivered again;
// what runs out of attempts is a dead letter in the KV, and its redelivery gets through.
import assert from "node:assert/strict";
import { generateWebhookSecret, parseCallback } from "../../../src/callbacks/mod.ts";
import {
  createWebhookDelivery,
  type WebhookAttemptRecord,
  type WebhookDeadLetter,
} from "../../../src/gateway/webhooks/mod.ts";
import {
  createDenoKvWebhookLedger,
  createDenoKvWebhookQueue,
} from "../../../src/adapters/deno/mod.ts";
import { until } from "../../helpers.ts";
import { webhookReceiver } from "../../gateway/webhooks/receiver_fixture.ts";

Deno.test({
  name: "Deno KV queue: retried with the same webhook-id, delivered once, dead letters redelivered",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const secret = generateWebhookSecret();
    const { base, received, answers, shutdown } = webhookReceiver(secret, {
      ops: [503, 503, 204],
      flaky: [500],
    });
    const kv = await Deno.openKv(`${await Deno.makeTempDir()}/webhooks.kv`);
    try {
      const queue = createDenoKvWebhookQueue(kv);
      const audit: WebhookAttemptRecord[] = [];
      const delivery = createWebhookDelivery({
        endpoints: [
          { name: "ops", url: `${base}/ops`, secret },
          { name: "flaky", url: `${base}/flaky`, secret },
        ],
        queue,
        ledger: createDenoKvWebhookLedger(kv),
        scheduleMs: [0, 200, 200],
        onAttempt: (record) => audit.push(record),
        log: false,
      });
      queue.listen((job) => delivery.process(job));
      const event = parseCallback("?action=publish&pullId=abc123&time=1767225600");
      assert.equal(await delivery.enqueue(event), 2);

      await until(() => received.ops.length == 3, "the third attempt to ops");
      assert.deepEqual(received.ops, Array(3).fill(`msg_${event.id}`));
      const letters = await until<WebhookDeadLetter[] | undefined>(async () => {
        const list = await delivery.listDeadLetters();
        return list.length ? list : undefined;
      }, "flaky's dead letter");
      assert.ok(letters);
      assert.deepEqual(letters.map((l) => [l.endpoint, l.reason, l.attempts, l.last.status]), [
        ["flaky", "exhausted", 3, 500],
      ]);
      assert.deepEqual(received.flaky.length, 3);

      // The queue delivers ops' last job again (as after a lost ack): skipped, not delivered.
      // Its attempt record comes after the receiver's answer: wait for it, do not assume it.
      const last = await until(
        () => audit.find((r) => r.endpoint == "ops" && r.outcome == "delivered"),
        "ops' delivered record",
      );
      assert.ok(last);
      await queue.send({
        v: 1,
        endpoint: "ops",
        messageId: last.messageId,
        event,
        attempt: last.attempt,
        firstAttemptAt: last.firstAttemptAt,
      }, 0);
      await until(() => audit.some((r) => r.outcome == "skipped"), "the redelivered job");
      assert.equal(received.ops.length, 3, "nothing delivered twice after a 2xx");

      answers.flaky = [204];
      assert.equal(await delivery.redeliver(letters[0].key), true);
      await until(() => received.flaky.length == 4, "the redelivery");
      assert.equal(received.flaky[3], `msg_${event.id}`);
      await until(async () => !(await delivery.listDeadLetters()).length, "the letter deleted");
    } finally {
      kv.close();
      await shutdown();
    }
  },
});
