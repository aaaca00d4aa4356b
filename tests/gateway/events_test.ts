// The gateway's callback ingress and event stream, in-process: the simulator delivers its
// callbacks into the gateway's fetch, subscribers read /events as Server-Sent Events.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createGateway, createMemoryHub } from "../../src/gateway/mod.ts";
import type { AuditEntry, GatewayOptions, HubOptions } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { WangsuValidationError } from "../../src/errors.ts";
import { demoChannel, manualTimers, type SseMessage, sseReader } from "../helpers.ts";
import type { PushSession } from "../../src/callbacks/mod.ts";

const master = { accessKey: "AK_MASTER", secretKey: "SK_MASTER_events_test_0001" };
const ingressToken = "cb_0123456789abcdef0123456789abcdef";
/** How long a read may wait for an event: bounds a hang, never a latency target. */
const hang = 60_000;
const tokens = {
  reader: "reader-token-0123456789",
  recorder: "recorder-token-0123456789",
  channels: "channels-token-0123456789",
  admin: "admin-token-0123456789ab",
};

function setup(extra: Partial<GatewayOptions> = {}, hubOptions: HubOptions = {}) {
  const audit: AuditEntry[] = [];
  const simulator = createSimulator({
    credentials: [master],
    callbacks: { fetch: (request) => gateway.fetch(request), backoffMs: 10 },
  });
  const gateway = createGateway({
    upstream: { ...master, fetch: simulator.fetch },
    keys: [
      { name: "reader", token: tokens.reader, actions: ["read"], objects: "all" as const },
      { name: "recorder", token: tokens.recorder, actions: ["recording"], objects: "all" as const },
      { name: "channels", token: tokens.channels, actions: ["channels"], objects: "all" as const },
      { name: "admin", token: tokens.admin, actions: ["*"], objects: "all" as const },
    ],
    callbacks: { token: ingressToken, hub: createMemoryHub(hubOptions) },
    auditLog: false,
    onAudit: (entry) => audit.push(entry),
    ...extra,
  });
  const client = sdk.createClient({
    accessKey: "unused",
    secretKey: "unused-secret",
    endpoint: "http://gateway.test",
    fetch: (input, init) => {
      const request = new Request(input, init);
      request.headers.set("authorization", `Bearer ${tokens.admin}`);
      return gateway.fetch(request);
    },
  });
  const subscribe = async (token: string, query = "", lastEventId?: string) => {
    const response = await gateway.fetch(
      new Request(`http://gateway.test/events${query}`, {
        headers: {
          authorization: `Bearer ${token}`,
          ...(lastEventId === undefined ? {} : { "last-event-id": lastEventId }),
        },
      }),
    );
    return { response, events: response.ok ? sseReader(response) : undefined };
  };
  /** A callback as the platform would send it, straight to the ingress. */
  const callback = async (query: string) => {
    const response = await gateway.fetch(
      new Request(`http://gateway.test/callbacks/${ingressToken}?${query}`),
    );
    assert.equal(response.status, 200, await response.text());
  };
  return { simulator, gateway, client, subscribe, callback, audit };
}

/** The session a `push.stopped` carries. */
const sessionOf = (message: SseMessage | undefined) =>
  message?.data.session as PushSession | undefined;

const liveChannel = (client: sdk.WangsuClient) =>
  demoChannel(client, `http://gateway.test/callbacks/${ingressToken}`, "Events");

Deno.test("push events reach the keys that may read live state, once each", async () => {
  const { simulator, client, subscribe, callback } = setup();
  const pullId = await liveChannel(client);
  const reader = await subscribe(tokens.reader);
  const recorder = await subscribe(tokens.recorder);
  assert.equal(reader.response.headers.get("content-type"), "text/event-stream; charset=utf-8");
  try {
    simulator.startStream(pullId);
    const started = await reader.events!.next(hang);
    assert.equal(started?.event, "push.started");
    assert.equal(started?.data.pullId, pullId);
    assert.equal(started?.data.pushDomain, "push.example.com");
    assert.match(started?.id ?? "", /^\w+\.1$/, "the id: is the position in the history");
    assert.match(
      String(started?.data.id),
      /^[0-9a-f]{16,}$/,
      "the callback's own id is in the data",
    );

    // The platform sends it again: subscribers do not see it twice.
    await simulator.settled();
    const first = simulator.notifications[0];
    assert.equal(first.state, "delivered");
    simulator.redeliver(first.id);
    await simulator.settled();
    assert.equal(simulator.notifications[1].state, "delivered");

    // Had the redelivery been published, it would come before this.
    simulator.stopStream(pullId);
    assert.equal((await reader.events!.next(hang))?.event, "push.stopped");
    await sdk.channelForbidden(client, { pullId });
    assert.equal((await reader.events!.next(hang))?.event, "channel.banned");
    // Markers published after everything above: what a subscriber reads next is its marker, so
    // nothing else was on its way to it.
    await callback("action=publish&pullId=marker-push");
    await callback("action=record&taskId=marker-record&status=0");
    const readerNext = await reader.events!.next(hang);
    assert.deepEqual(
      [readerNext?.event, readerNext?.data.pullId],
      ["push.started", "marker-push"],
      "nothing more: the redelivery was dropped",
    );
    const recorderNext = await recorder.events!.next(hang);
    assert.deepEqual(
      [recorderNext?.event, recorderNext?.data.taskId],
      ["record.status", "marker-record"],
      "a recording key sees no push events",
    );
  } finally {
    await reader.events?.close();
    await recorder.events?.close();
    simulator.close();
  }
});

Deno.test("record-task events reach recording keys; filters by pullId and type", async () => {
  let time = Date.UTC(2026, 10, 25, 8, 0, 0);
  const audit: AuditEntry[] = [];
  const simulator = createSimulator({
    credentials: [master],
    now: () => time,
    callbacks: { fetch: (request) => gateway.fetch(request) },
  });
  const gateway = createGateway({
    upstream: { ...master, fetch: simulator.fetch, now: () => time },
    now: () => time,
    keys: [{ name: "admin", token: tokens.admin, actions: ["*"], objects: "all" as const }],
    callbacks: { token: ingressToken },
    auditLog: false,
    onAudit: (entry) => audit.push(entry),
  });
  const client = sdk.createClient({
    ...master,
    fetch: simulator.fetch,
    now: () => time,
  });
  const pullId = await demoChannel(client, undefined, "Rec");
  const response = await gateway.fetch(
    new Request(`http://gateway.test/events?type=record.status&pullId=${pullId}`, {
      headers: { authorization: `Bearer ${tokens.admin}` },
    }),
  );
  const events = sseReader(response);
  try {
    const minute = 60_000;
    const { taskId } = await sdk.createRecordTask(client, {
      pullId,
      quickStart: false,
      startTime: Math.floor((time + 2 * minute) / 1000),
      endTime: Math.floor((time + 10 * minute) / 1000),
      notifyUrl: `http://gateway.test/callbacks/${ingressToken}`,
    });
    const pending = await events.next(hang);
    assert.deepEqual(
      [pending?.event, pending?.data.taskId, pending?.data.status],
      ["record.status", taskId, "pending"],
    );
    time += 3 * minute;
    simulator.tick();
    assert.equal((await events.next(hang))?.data.status, "recording");
    time += 10 * minute;
    simulator.tick();
    const finished = await events.next(hang);
    assert.equal(finished?.data.status, "finished");
    assert.equal(finished?.data.statusCode, 2);
    await simulator.settled();
    assert.deepEqual(
      audit.filter((e) => e.callback).map((e) => [e.path, e.callback!.type, e.status]),
      Array(3).fill(["/callbacks/[token]", "record.status", 200]),
      "audited without the token",
    );
    assert.ok(!JSON.stringify(audit).includes(ingressToken));
  } finally {
    await events.close();
    simulator.close();
  }
});

Deno.test("the ingress refuses a wrong token, a foreign source and malformed callbacks", async () => {
  const { gateway } = setup({
    callbacks: { token: ingressToken, allowFrom: ["10.0.0.0/8", "::1"] },
  });
  const call = (path: string, address?: string) =>
    gateway.fetch(
      new Request(`http://gateway.test${path}`),
      address ? { remoteAddr: { hostname: address } } : undefined,
    );
  const good = `/callbacks/${ingressToken}?action=publish&pullId=abc&time=1767225600`;
  assert.equal((await call(good, "10.1.2.3")).status, 200);
  assert.equal((await call(good, "::1")).status, 200);
  assert.equal((await call(good, "192.0.2.1")).status, 403);
  assert.equal((await call(good)).status, 403, "an unknown source is refused");
  const wrong = await call(`/callbacks/${ingressToken.replace("c", "d")}?action=publish`, "::1");
  assert.equal(wrong.status, 404);
  const malformed = await call(`/callbacks/${ingressToken}?action=publish&pullId=%ZZ`, "::1");
  assert.equal(malformed.status, 400);
  const body = await malformed.json();
  assert.equal(body.issues[0].path, "pullId");
  assert.equal(body.issues[0].rule, "encoding");
  const huge = await call(`/callbacks/${ingressToken}?x=${"a".repeat(9000)}`, "::1");
  assert.equal(huge.status, 400);
});

Deno.test("/events: no token is 401, a key that may read no event kind is 403", async () => {
  const { gateway, subscribe } = setup();
  const anonymous = await gateway.fetch(new Request("http://gateway.test/events"));
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
  const { response } = await subscribe(tokens.channels);
  assert.equal(response.status, 403);
  assert.match((await response.json()).message, /Key channels may read neither live state/);
  // EventSource cannot send headers: the token may come in the query.
  const queried = await gateway.fetch(
    new Request(`http://gateway.test/events?access_token=${tokens.reader}`),
  );
  assert.equal(queried.status, 200);
  await queried.body?.cancel();
});

Deno.test("callback configuration errors name the field", () => {
  const simulator = createSimulator({ credentials: [master], callbacks: false });
  const base = {
    upstream: { ...master, fetch: simulator.fetch },
    keys: [{ token: tokens.reader, actions: ["read"], objects: "all" as const }],
  };
  assert.throws(
    () => createGateway({ ...base, callbacks: { token: "short" } }),
    (e: unknown) => e instanceof WangsuValidationError && e.issues[0].path == "callbacks.token",
  );
  assert.throws(
    () =>
      createGateway({ ...base, callbacks: { token: ingressToken, allowFrom: ["10.0.0.0/40"] } }),
    (e: unknown) =>
      e instanceof WangsuValidationError && e.issues[0].path == "callbacks.allowFrom.0",
  );
});

Deno.test("/events resumes after Last-Event-ID: exactly the missed events, then live ones, none twice", async () => {
  const { subscribe, callback } = setup({}, { orderWindowMs: 0 });
  const first = await subscribe(tokens.reader);
  await callback("action=publish&pullId=r1&time=1767225600");
  const seen = await first.events!.next(hang);
  assert.equal(seen?.data.pullId, "r1");
  await first.events!.close();
  // Cut: three events while nobody listens, one a recording event this key may also read.
  await callback("action=publish&pullId=r2&time=1767225601");
  await callback("action=publish_done&pullId=r2&reason=stop&time=1767225661");
  await callback("action=publish&pullId=r3&time=1767225602");
  const again = await subscribe(tokens.reader, "", seen!.id);
  try {
    const replayed = [];
    for (let i = 0; i < 3; i++) replayed.push(await again.events!.next(hang));
    assert.deepEqual(
      replayed.map((e) => [e?.event, e?.data.pullId]),
      [["push.started", "r2"], ["push.stopped", "r2"], ["push.started", "r3"]],
    );
    assert.equal(sessionOf(replayed[1])?.durationMs, 60_000, "the replayed stop's session");
    // Live from here, and a replayed event is not sent again.
    await callback("action=publish&pullId=r4&time=1767225603");
    const live = await again.events!.next(hang);
    assert.equal(live?.data.pullId, "r4");
    const ids = [seen!.id, ...replayed.map((e) => e!.id), live!.id];
    assert.equal(new Set(ids).size, 5, "one position each");
  } finally {
    await again.events?.close();
  }
  // The query form, for a first connection that resumes.
  const queried = await subscribe(tokens.reader, `?lastEventId=${encodeURIComponent(seen!.id)}`);
  try {
    assert.equal((await queried.events!.next(hang))?.data.pullId, "r2");
  } finally {
    await queried.events?.close();
  }
});

Deno.test("/events: an id older than the history, or unknown, gets a reset event, then live events", async () => {
  const { subscribe, callback } = setup({}, { orderWindowMs: 0, historyLength: 2 });
  const first = await subscribe(tokens.reader);
  await callback("action=publish&pullId=h1&time=1767225600");
  const old = await first.events!.next(hang);
  await first.events!.close();
  for (const id of ["h2", "h3", "h4"]) {
    await callback(`action=publish&pullId=${id}&time=1767225600`);
  }
  for (const lastEventId of [old!.id, "not-a-position"]) {
    const again = await subscribe(tokens.reader, "", lastEventId);
    try {
      const reset = await again.events!.next(hang);
      assert.equal(reset?.event, "reset", lastEventId);
      assert.deepEqual(reset?.data, { reason: "history" });
      await callback(`action=publish&pullId=after-${lastEventId}&time=1767225600`);
      const live = await again.events!.next(hang);
      assert.equal(live?.data.pullId, `after-${lastEventId}`);
      // The reset stands under the newest position, so a reconnect resumes from there.
      const [resetAt, liveAt] = [reset!.id, live!.id].map((id) => Number(id.split(".")[1]));
      assert.equal(liveAt, resetAt + 1, "under the newest position, to resume from");
    } finally {
      await again.events?.close();
    }
  }
});

Deno.test("/events: callbacks out of order within the window come out in event-time order, the stop with its session", async () => {
  // The window on timers moved by hand: on real ones, a second callback slower than the window (a
  // loaded machine) would find the stop already let out.
  const timers = manualTimers();
  const { subscribe, callback } = setup({}, { orderWindowMs: 300, orderTimers: timers });
  const reader = await subscribe(tokens.reader, "?pullId=o1");
  try {
    await callback("action=publish_done&pullId=o1&reason=stop&time=1767225690");
    timers.advance(299);
    await callback("action=publish&pullId=o1&time=1767225600");
    timers.advance(1);
    const [a, b] = [await reader.events!.next(hang), await reader.events!.next(hang)];
    assert.deepEqual([a?.event, b?.event], ["push.started", "push.stopped"]);
    assert.equal(sessionOf(b)?.status, "complete");
    assert.equal(sessionOf(b)?.durationMs, 90_000);
    assert.equal(sessionOf(b)?.reason, "stop");
  } finally {
    await reader.events?.close();
  }
});
