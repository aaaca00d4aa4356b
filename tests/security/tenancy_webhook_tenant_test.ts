// The review's finding: a webhook endpoint's `tenant` was ignored (applied only by an `accepts`
// hook nothing wired), so team-b's events reached team-a's endpoint. Now the gateway wires it
// from the ownership ledger: an endpoint with a tenant gets only events about that tenant's
// objects, events about no owned object go only to endpoints without a tenant, and a delivery
// used with no `accepts` at all sends nothing to an endpoint with a tenant (fail closed).
import assert from "node:assert/strict";
import { createMemoryHub } from "../../src/gateway/mod.ts";
import { createWebhookDelivery, type WebhookJob } from "../../src/gateway/webhooks/mod.ts";
import { generateWebhookSecret } from "../../src/callbacks/mod.ts";
import { tokens, twoTenants } from "./tenancy_fixture.ts";

const endpoints = [
  {
    name: "team-a-hook",
    url: "https://a.example.com/hook",
    secret: generateWebhookSecret(),
    tenant: "team-a",
  },
  { name: "everything", url: "https://ops.example.com/hook", secret: generateWebhookSecret() },
];

const queued = () => {
  const jobs: WebhookJob[] = [];
  const queue = {
    send: (job: WebhookJob) => {
      jobs.push(structuredClone(job));
      return Promise.resolve();
    },
  };
  return { jobs, queue };
};

Deno.test("a webhook endpoint with a tenant receives only its tenant's events", async () => {
  const { jobs, queue } = queued();
  const ingress = `cb_${crypto.randomUUID().replaceAll("-", "")}`;
  const webhooks = createWebhookDelivery({ endpoints, queue, log: false });
  const { gateway, create } = twoTenants({
    callbacks: { token: ingress, hub: createMemoryHub({ orderWindowMs: 0 }) },
    webhooks,
  });
  const ofA = await create(tokens.a);
  const ofB = await create(tokens.b);
  for (const pullId of [ofB, ofA, "nobody-owns-this"]) {
    const url =
      `http://gw.test/callbacks/${ingress}?action=publish&pullId=${pullId}&time=1767225600`;
    const response = await gateway.fetch(new Request(url));
    assert.equal(response.status, 200, await response.text());
  }
  const to = (endpoint: string) =>
    jobs.filter((job) => job.endpoint == endpoint).map((job) =>
      (job.event as { pullId: string }).pullId
    );
  assert.deepEqual(to("team-a-hook"), [ofA], "team-a's endpoint: team-a's channel only");
  assert.deepEqual(to("everything"), [ofB, ofA, "nobody-owns-this"]);
});

Deno.test("a delivery with no accepts sends nothing to an endpoint with a tenant", async () => {
  const { jobs, queue } = queued();
  const delivery = createWebhookDelivery({ endpoints, queue, log: false });
  const event = { id: "e1", type: "stream.published", pullId: "p1" };
  const sent = await delivery.enqueue(event as never);
  assert.equal(sent, 1);
  assert.deepEqual(jobs.map((job) => job.endpoint), ["everything"]);
});
