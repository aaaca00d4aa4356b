// Outgoing webhooks: the endpoints' configuration, the attempt schedule, at-least-once delivery
// with one webhook-id per message, no second delivery after a 2xx, dead letters and their
// redelivery. The queue here is a recording one: each test hands the sent jobs to the consumer
// itself, so the schedule is read from what was sent, never waited for.
import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { Hono } from "hono";
import { generateWebhookSecret, parseCallback } from "../../../src/callbacks/mod.ts";
import { WangsuValidationError } from "../../../src/errors.ts";
import {
  checkWebhookEndpoints,
  createMemoryWebhookLedger,
  createWebhookDelivery,
  nextAttempt,
  WEBHOOK_SCHEDULE_MS,
  type WebhookAttemptRecord,
  type WebhookJob,
  type WebhookQueue,
} from "../../../src/gateway/webhooks/mod.ts";
import { createWebhookRouteHandlers } from "../../../src/gateway/webhooks/routes.ts";
import { createGateway } from "../../../src/gateway/mod.ts";
import { GatewayError } from "../../../src/gateway/gateway_error.ts";

const event = parseCallback("?action=publish&pullId=abc123&time=1767225600");
const recordingQueue = () => {
  const sent: { job: WebhookJob; delayMs: number }[] = [];
  const queue: WebhookQueue = {
    send: (job, delayMs) => {
      sent.push({ job: structuredClone(job), delayMs });
      return Promise.resolve();
    },
  };
  return { sent, queue, take: () => sent.splice(0, sent.length) };
};

/** A receiver that verifies with the standardwebhooks package and answers `answers` in turn. */
const receiver = (secret: string, answers: number[]) => {
  const received: { id: string; event: unknown; attempt: number }[] = [];
  let calls = 0;
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    assert.equal(request.method, "POST");
    assert.equal(request.redirect, "manual");
    const body = await request.text();
    const headers = Object.fromEntries(request.headers);
    const verified = new Webhook(secret).verify(body, headers); // throws unless authentic
    const status = answers[Math.min(calls++, answers.length - 1)];
    received.push({ id: headers["webhook-id"], event: verified, attempt: calls });
    return new Response(null, { status });
  };
  return { fetch: fetch as typeof globalThis.fetch, received, calls: () => calls };
};

Deno.test("endpoints: each refusal names the endpoint and the field, never the secret", () => {
  const secret = generateWebhookSecret();
  const good = { name: "ops", url: "https://hooks.example.com/w", secret };
  assert.equal(checkWebhookEndpoints([good])[0].name, "ops");
  assert.equal(checkWebhookEndpoints([{ ...good, url: "http://127.0.0.1:9/w" }]).length, 1);
  const refusal = (raw: unknown) => {
    try {
      checkWebhookEndpoints(raw);
    } catch (error) {
      assert.ok(error instanceof WangsuValidationError);
      assert.ok(!JSON.stringify(error).includes(secret.slice(6)), "no secret in the error");
      assert.ok(!error.message.includes(secret.slice(6)));
      return error.issues.map((issue) => `${issue.path} ${issue.rule}`).join("; ");
    }
    assert.fail("accepted");
  };
  assert.equal(refusal({}), "webhooks type");
  assert.equal(refusal([{ ...good, name: "Bad Name" }]), "webhooks.0.name format");
  assert.equal(refusal([{ ...good, url: "http://hooks.example.com/w" }]), "webhooks.0.url format");
  assert.equal(refusal([{ ...good, secret: secret.slice(6) }]), "webhooks.0.secret format");
  assert.equal(refusal([{ ...good, secret: [secret, "whsec_x"] }]), "webhooks.0.secret.1 format");
  assert.equal(refusal([{ ...good, types: ["push.started", "nope"] }]), "webhooks.0.types.1 enum");
  assert.equal(refusal([{ ...good, timeoutMs: 0 }]), "webhooks.0.timeoutMs min_value");
  assert.equal(refusal([{ ...good, colour: 1 }]), "webhooks.0.colour unknown_field");
  assert.equal(refusal([good, { ...good }]), "webhooks.1.name unique");
  assert.equal(refusal([{ url: good.url, secret }]), "webhooks.0.name required");
  // A checked endpoint prints and serialises without its secret.
  const [checked] = checkWebhookEndpoints([good]);
  assert.ok(!JSON.stringify(checked).includes(secret));
  assert.ok(!Deno.inspect(checked).includes(secret));
  assert.equal(checked.secret, secret);
});

Deno.test("the schedule: 2xx delivered, 410 dead at once, else the next delay until exhausted", () => {
  const job: WebhookJob = {
    v: 1,
    endpoint: "ops",
    messageId: `msg_${event.id}`,
    event,
    attempt: 1,
    firstAttemptAt: 0,
  };
  const schedule = { scheduleMs: WEBHOOK_SCHEDULE_MS, random: () => 0.5 };
  assert.deepEqual(nextAttempt(job, { status: 204, durationMs: 1 }, schedule), {
    kind: "delivered",
  });
  assert.deepEqual(nextAttempt(job, { status: 410, durationMs: 1 }, schedule), {
    kind: "dead",
    reason: "gone",
  });
  const retry = nextAttempt(job, { status: 500, durationMs: 1 }, schedule);
  assert.deepEqual(retry, { kind: "retry", job: { ...job, attempt: 2 }, delayMs: 5_000 });
  // A 3xx is no delivery (redirects are not followed), nor is a network error.
  assert.equal(nextAttempt(job, { status: 302, durationMs: 1 }, schedule).kind, "retry");
  assert.equal(nextAttempt(job, { error: "network", durationMs: 1 }, schedule).kind, "retry");
  // Jitter stays within ±10%, and Retry-After lengthens (never shortens) the wait.
  const low = nextAttempt(job, { status: 500, durationMs: 1 }, { ...schedule, random: () => 0 });
  const high = nextAttempt(job, { status: 500, durationMs: 1 }, { ...schedule, random: () => 1 });
  assert.deepEqual([low.kind == "retry" && low.delayMs, high.kind == "retry" && high.delayMs], [
    4_500,
    5_500,
  ]);
  const later = nextAttempt(job, { status: 429, retryAfterMs: 60_000, durationMs: 1 }, schedule);
  assert.equal(later.kind == "retry" && later.delayMs, 60_000);
  const last = { ...job, attempt: WEBHOOK_SCHEDULE_MS.length };
  assert.deepEqual(nextAttempt(last, { status: 500, durationMs: 1 }, schedule), {
    kind: "dead",
    reason: "exhausted",
  });
});

Deno.test("enqueue refuses an event whose id cannot be a webhook-id, naming event.id; nothing is sent", async () => {
  const secret = generateWebhookSecret();
  const { sent, queue } = recordingQueue();
  const delivery = createWebhookDelivery({
    endpoints: [{ name: "ops", url: "https://hooks.example.com/w", secret }],
    queue,
    log: false,
  });
  for (const id of ["a.b", "a b", "", "x".repeat(253), "é"]) {
    await assert.rejects(delivery.enqueue({ ...event, id }), (error) => {
      assert.ok(error instanceof WangsuValidationError, String(error));
      assert.deepEqual(error.issues.map((issue) => [issue.path, issue.rule]), [[
        "event.id",
        "format",
      ]]);
      assert.match(error.issues[0].message, /^event\.id: .*252/);
      return true;
    }, JSON.stringify(id));
  }
  assert.equal(sent.length, 0);
  // The longest id that fits (msg_ + 252 = 256 characters) is delivered, verified by the receiver.
  const down = receiver(secret, [204]);
  const longest = createWebhookDelivery({
    endpoints: [{ name: "ops", url: "https://hooks.example.com/w", secret }],
    queue,
    fetch: down.fetch,
    log: false,
  });
  assert.equal(await longest.enqueue({ ...event, id: "x".repeat(252) }), 1);
  await longest.process(sent[0].job);
  assert.deepEqual(down.received.map((r) => r.id), [`msg_${"x".repeat(252)}`]);
});

Deno.test("a receiver down for its first attempts gets the event later, same webhook-id, once", async () => {
  const secret = generateWebhookSecret();
  const down = receiver(secret, [503, 500, 204]);
  const { queue, take } = recordingQueue();
  const audit: WebhookAttemptRecord[] = [];
  const delivery = createWebhookDelivery({
    endpoints: [{ name: "ops", url: "https://hooks.example.com/w", secret }],
    queue,
    fetch: down.fetch,
    random: () => 0.5,
    onAttempt: (record) => audit.push(record),
    log: false,
  });
  assert.equal(await delivery.enqueue(event), 1);
  const delays: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const { job, delayMs } of take()) {
      delays.push(delayMs);
      await delivery.process(job);
    }
  }
  assert.deepEqual(delays, [0, 5_000, 300_000], "enqueued at once, then the schedule");
  assert.equal(down.calls(), 3);
  assert.deepEqual(new Set(down.received.map((r) => r.id)), new Set([`msg_${event.id}`]));
  assert.deepEqual(down.received[2].event, event);
  assert.deepEqual(audit.map((r) => [r.attempt, r.status, r.outcome]), [
    [1, 503, "retry"],
    [2, 500, "retry"],
    [3, 204, "delivered"],
  ]);
  const logged = JSON.stringify(audit);
  assert.ok(!logged.includes(secret.slice(6)) && !logged.includes("abc123"), "no secret, no body");

  // The queue redelivers the last job (its ack was lost): it is not delivered twice.
  const again: WebhookJob = {
    v: 1,
    endpoint: "ops",
    messageId: `msg_${event.id}`,
    event,
    attempt: 3,
    firstAttemptAt: audit[0].firstAttemptAt,
  };
  await delivery.process(again);
  assert.equal(down.calls(), 3, "nothing is delivered twice after a 2xx");
  assert.equal(audit.at(-1)!.outcome, "skipped");
  // A new callback for the same event (the platform redelivered it) is not delivered again either.
  await delivery.enqueue(event);
  for (const { job } of take()) await delivery.process(job);
  assert.equal(down.calls(), 3);
});

Deno.test("what runs out of attempts is a dead letter, listed and redelivered with its id", async () => {
  const secret = generateWebhookSecret();
  let up = false;
  const sink = receiver(secret, [204]);
  const fetch: typeof globalThis.fetch = (input, init) =>
    up ? sink.fetch(input, init) : Promise.resolve(new Response("down", { status: 502 }));
  const { queue, take } = recordingQueue();
  const ledger = createMemoryWebhookLedger();
  let time = Date.now(); // moved by hand; the receiver checks the timestamp on the real clock
  const delivery = createWebhookDelivery({
    endpoints: [
      { name: "ops", url: "https://hooks.example.com/w", secret },
      { name: "gone", url: "https://gone.example.com/w", secret, types: ["push.started"] },
      { name: "records", url: "https://r.example.com/w", secret, types: ["record.status"] },
    ],
    queue,
    ledger,
    fetch: (input, init) =>
      new Request(input, init).url.startsWith("https://gone.")
        ? Promise.resolve(new Response(null, { status: 410 }))
        : fetch(input, init),
    now: () => time,
    scheduleMs: [0, 1_000, 2_000],
    random: () => 0.5,
    log: false,
  });
  assert.equal(await delivery.enqueue(event), 2, "the records endpoint takes no push events");
  for (let round = 0; round < 5; round++) {
    for (const { job, delayMs } of take()) {
      time += delayMs;
      await delivery.process(job);
    }
  }
  const letters = await delivery.listDeadLetters();
  assert.deepEqual(
    letters.map((l) => [l.endpoint, l.reason, l.attempts, l.last.status]).sort(),
    [["gone", "gone", 1, 410], ["ops", "exhausted", 3, 502]],
  );
  const ops = letters.find((letter) => letter.endpoint == "ops")!;
  assert.equal(ops.messageId, `msg_${event.id}`);
  assert.deepEqual(ops.event, event);
  assert.equal(ops.lastAttemptAt - ops.firstAttemptAt, 3_000);
  assert.ok(!JSON.stringify(letters).includes(secret.slice(6)));

  up = true;
  assert.equal(await delivery.redeliver("nope"), false);
  assert.equal(await delivery.redeliver(ops.key), true);
  for (const { job } of take()) await delivery.process(job);
  assert.deepEqual(sink.received.map((r) => r.id), [`msg_${event.id}`]);
  assert.deepEqual((await delivery.listDeadLetters()).map((l) => l.endpoint), ["gone"]);
});

Deno.test("the accepts hook filters events per endpoint (tenancy)", async () => {
  const secret = generateWebhookSecret();
  const { queue, sent } = recordingQueue();
  const delivery = createWebhookDelivery({
    endpoints: [
      { name: "a", url: "https://a.example.com/w", secret, tenant: "t1" },
      { name: "b", url: "https://b.example.com/w", secret, tenant: "t2" },
    ],
    queue,
    accepts: (endpoint) => endpoint.tenant == "t2",
    log: false,
  });
  assert.equal(await delivery.enqueue(event), 1);
  assert.deepEqual(sent.map((s) => s.job.endpoint), ["b"]);
});

Deno.test("admin routes: list and redeliver for an admin caller only", async () => {
  const secret = generateWebhookSecret();
  const { queue, sent } = recordingQueue();
  const delivery = createWebhookDelivery({
    endpoints: [{ name: "ops", url: "https://hooks.example.com/w", secret }],
    queue,
    fetch: () => Promise.resolve(new Response(null, { status: 410 })),
    log: false,
  });
  await delivery.enqueue(event);
  await delivery.process(sent.shift()!.job);
  const app = new Hono();
  app.use("*", async (c, next) => {
    c.set("audit" as never, {} as never);
    await next();
  });
  app.onError((error, c) =>
    error instanceof GatewayError
      ? c.json({ message: error.message }, error.status as 403)
      : c.text("?", 500)
  );
  const handlers = createWebhookRouteHandlers(delivery, {
    authenticate: (request) =>
      Promise.resolve(
        request.headers.get("authorization") == "Bearer admin"
          ? { name: "root", kind: "bearer", allowed: new Set(), admin: true }
          : request.headers.get("authorization") == "Bearer user"
          ? { name: "user", kind: "bearer", allowed: new Set(["getChannelList"]) }
          : { reason: "unknown-token", message: "Unknown bearer token" },
      ),
  });
  // Mounted as the gateway mounts them.
  app.get("/webhooks/dead-letters", (c) => handlers.list(c as never));
  app.post("/webhooks/dead-letters/:key/redeliver", (c) => handlers.redeliver(c as never));
  const call = (path: string, token: string, method = "GET") =>
    app.request(path, { method, headers: { authorization: `Bearer ${token}` } });
  assert.equal((await call("/webhooks/dead-letters", "nobody")).status, 401);
  assert.equal((await call("/webhooks/dead-letters", "user")).status, 403);
  const listed = await (await call("/webhooks/dead-letters", "admin")).json();
  assert.equal(listed.deadLetters.length, 1);
  const key = listed.deadLetters[0].key;
  assert.ok(!JSON.stringify(listed).includes(secret.slice(6)));
  assert.equal((await call(`/webhooks/dead-letters/${key}/redeliver`, "user", "POST")).status, 403);
  assert.equal((await call(`/webhooks/dead-letters/x/redeliver`, "admin", "POST")).status, 404);
  const redelivered = await call(`/webhooks/dead-letters/${key}/redeliver`, "admin", "POST");
  assert.equal(redelivered.status, 202);
  assert.deepEqual(sent.map((s) => s.job.messageId), [`msg_${event.id}`]);
});

Deno.test("gateway: a callback reaches the webhook endpoints, in process, with retries", async () => {
  const secret = generateWebhookSecret();
  const sink = receiver(secret, [500, 204]);
  const { queue, take } = recordingQueue();
  const token = `cb_${crypto.randomUUID().replaceAll("-", "")}`;
  const delivery = createWebhookDelivery({
    endpoints: [{ name: "ops", url: "https://hooks.example.com/w", secret }],
    queue,
    fetch: sink.fetch,
    log: false,
  });
  const gateway = createGateway({
    upstream: { accessKey: "AK_MASTER", secretKey: crypto.randomUUID() },
    keys: [{ name: "reader", token: crypto.randomUUID(), actions: ["read"] }],
    auditLog: false,
    callbacks: { token },
    webhooks: delivery,
  });
  const answer = await gateway.fetch(
    new Request(`http://gateway.test/callbacks/${token}?action=publish&pullId=p9&time=1767225600`),
  );
  assert.equal(answer.status, 200);
  for (let round = 0; round < 3; round++) {
    for (const { job } of take()) await delivery.process(job);
  }
  assert.equal(sink.calls(), 2);
  assert.equal((sink.received[1].event as { pullId: string }).pullId, "p9");
  // The admin routes are mounted; a key without the admin right is refused.
  const listed = await gateway.fetch(new Request("http://gateway.test/webhooks/dead-letters"));
  assert.equal(listed.status, 401);
});

Deno.test("gateway: the dead-letter routes refuse like the other admin route, and check ?limit", async () => {
  const { queue, sent } = recordingQueue();
  const delivery = createWebhookDelivery({
    endpoints: [{
      name: "ops",
      url: "https://hooks.example.com/w",
      secret: generateWebhookSecret(),
    }],
    queue,
    fetch: () => Promise.resolve(new Response(null, { status: 410 })),
    log: false,
  });
  await delivery.enqueue(event);
  await delivery.process(sent.shift()!.job);
  const [admin, user] = [crypto.randomUUID(), crypto.randomUUID()];
  const audits: { refusal?: string; key?: string }[] = [];
  const gateway = createGateway({
    upstream: { accessKey: "AK_MASTER", secretKey: crypto.randomUUID() },
    keys: [
      { name: "root", token: admin, actions: ["read"], admin: true },
      { name: "user", token: user, actions: ["read"] },
    ],
    auditLog: false,
    onAudit: (entry) => void audits.push(entry),
    callbacks: { token: `cb_${crypto.randomUUID().replaceAll("-", "")}` },
    webhooks: delivery,
  });
  const call = (path: string, token: string, method = "GET") =>
    gateway.fetch(
      new Request(`http://gateway.test${path}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
      }),
    );
  const refused = await call("/webhooks/dead-letters", user);
  assert.equal(refused.status, 403);
  assert.match((await refused.json()).message, /user has no admin right/);
  assert.equal(audits.at(-1)?.refusal, "not-admin", "the same reason as /admin/ownership");
  const unknown = await call("/webhooks/dead-letters", crypto.randomUUID());
  assert.equal(unknown.status, 401);
  assert.equal(audits.at(-1)?.refusal, "unknown-token");
  assert.equal((audits.at(-1) as { authFailure?: string })?.authFailure, "unknown-token");
  for (const limit of ["abc", "0", "-3", "2.5", "1001", "1e3"]) {
    const answer = await call(`/webhooks/dead-letters?limit=${limit}`, admin);
    assert.equal(answer.status, 400, limit);
    assert.match((await answer.json()).message, /limit: a whole number from 1 to 1000/, limit);
  }
  const one = await call("/webhooks/dead-letters?limit=1", admin);
  assert.equal((await one.json()).deadLetters.length, 1);
  // A key no letter has (even one far too long for any store) is a 404, not a store error.
  const long = await call(`/webhooks/dead-letters/${"k".repeat(5_000)}/redeliver`, admin, "POST");
  assert.equal(long.status, 404);
});
