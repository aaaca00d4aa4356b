// Tenancy on `/events`: an `own` key's stream carries only events about its tenant's objects
// (channels by `pullId`, recording and relay tasks by `taskId`), live and replayed; an `all` key
// sees every event. Ownership known to another isolate reaches a stream within the refresh bound.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createGateway, createMemoryHub } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { createMemoryStore, type StateStore } from "../../src/server/state_store.ts";
import { type SseMessage, sseReader, virtualClock } from "../helpers.ts";

const secret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;
const master = { accessKey: "AK_MASTER", secretKey: secret("SK_MASTER") };
const ingressToken = `cb_${crypto.randomUUID().replaceAll("-", "")}`;
const tokens = { a: secret("tok-a"), b: secret("tok-b"), ops: secret("tok-ops") };
/** How long a read may wait for an event: bounds a hang, never a latency target. */
const hang = 5_000;
const channel = {
  channelName: "Show",
  channelType: "live",
  pushDomain: "push.example.com",
  pullRate: "0",
};

/** Two `own` tenants and an `all` operator on one account, with callbacks and a memory hub. */
function tenants(store: StateStore, now = Date.now) {
  const simulator = createSimulator({ credentials: [master], rateLimit: false, callbacks: false });
  const gateway = createGateway({
    upstream: { ...master, endpoint: "http://upstream.test", fetch: simulator.fetch },
    keys: [
      { name: "team-a", token: tokens.a, actions: ["*"], rateLimit: false },
      { name: "team-b", token: tokens.b, actions: ["*"], rateLimit: false },
      { name: "ops", token: tokens.ops, actions: ["*"], objects: "all", rateLimit: false },
    ],
    store,
    now,
    accountBudget: false,
    auditLog: false,
    callbacks: { token: ingressToken, hub: createMemoryHub({ now, orderWindowMs: 0 }) },
  });
  const client = (token: string) =>
    sdk.createClient({
      accessKey: "unused",
      secretKey: "unused-secret",
      endpoint: "http://gw.test",
      retries: 0,
      fetch: (input, init) => {
        const request = new Request(input, init);
        request.headers.set("authorization", `Bearer ${token}`);
        return gateway.fetch(request);
      },
    });
  const subscribe = async (token: string, lastEventId?: string) => {
    const response = await gateway.fetch(
      new Request("http://gw.test/events", {
        headers: {
          authorization: `Bearer ${token}`,
          ...(lastEventId === undefined ? {} : { "last-event-id": lastEventId }),
        },
      }),
    );
    if (response.status != 200) assert.fail(`/events: ${response.status} ${await response.text()}`);
    return sseReader(response);
  };
  const callback = async (query: string) => {
    const response = await gateway.fetch(
      new Request(`http://gw.test/callbacks/${ingressToken}?${query}`),
    );
    assert.equal(response.status, 200, await response.text());
  };
  return { simulator, gateway, client, subscribe, callback };
}

/** What a message is about: its type and object. */
const about = (message: SseMessage | undefined) =>
  `${message?.event} ${message?.data.taskId ?? message?.data.pullId}`;

/** The next `count` events a reader gets (comments skipped by the reader). */
const next = async (events: ReturnType<typeof sseReader>, count: number) => {
  const read: string[] = [];
  while (read.length < count) read.push(about(await events.next(hang)));
  return read;
};

Deno.test("/events: each own key sees only its tenant's events; an all key sees both", async () => {
  const { client, subscribe, callback } = tenants(createMemoryStore());
  const a = client(tokens.a), b = client(tokens.b);
  const pullA = (await sdk.createChannel(a, channel)).pullId;
  const pullB = (await sdk.createChannel(b, channel)).pullId;
  const taskA = (await sdk.createRecordTask(a, {
    pullId: pullA,
    quickStart: true,
    endTime: Math.floor(Date.now() / 1000) + 600,
  })).taskId;
  const streams = {
    a: await subscribe(tokens.a),
    b: await subscribe(tokens.b),
    ops: await subscribe(tokens.ops),
  };
  try {
    await callback(`action=publish&pullId=${pullA}`);
    await callback(`action=publish&pullId=${pullB}`);
    await callback(`action=record&taskId=${taskA}&status=0`);
    await callback("action=publish&pullId=nobodys-channel");
    // Record events naming a foreign task but an owned channel are still the task's owner's.
    await callback(`action=record&taskId=foreign-task&status=0&pullId=${pullB}`);
    await callback(`action=publish_done&pullId=${pullA}`);
    await callback(`action=publish_done&pullId=${pullB}`);
    assert.deepEqual(await next(streams.a, 3), [
      `push.started ${pullA}`,
      `record.status ${taskA}`,
      `push.stopped ${pullA}`,
    ]);
    assert.deepEqual(await next(streams.b, 2), [
      `push.started ${pullB}`,
      `push.stopped ${pullB}`,
    ], "B's stream carries none of A's events, nor the unowned ones");
    assert.deepEqual(await next(streams.ops, 7), [
      `push.started ${pullA}`,
      `push.started ${pullB}`,
      `record.status ${taskA}`,
      "push.started nobodys-channel",
      "record.status foreign-task",
      `push.stopped ${pullA}`,
      `push.stopped ${pullB}`,
    ]);
  } finally {
    await Promise.all(Object.values(streams).map((stream) => stream.close()));
  }
});

Deno.test("/events: a replayed history shows an own key only its tenant's events", async () => {
  const { client, subscribe, callback } = tenants(createMemoryStore());
  const pullA = (await sdk.createChannel(client(tokens.a), channel)).pullId;
  const pullB = (await sdk.createChannel(client(tokens.b), channel)).pullId;
  const first = await subscribe(tokens.ops);
  await callback(`action=publish&pullId=${pullA}`);
  const start = await first.next(hang);
  await first.close();
  await callback(`action=publish&pullId=${pullB}`);
  await callback(`action=publish_done&pullId=${pullA}`);
  await callback(`action=publish_done&pullId=${pullB}`);
  assert.equal(start?.data.pullId, pullA);
  const resumed = await subscribe(tokens.b, start?.id);
  try {
    assert.deepEqual(await next(resumed, 2), [`push.started ${pullB}`, `push.stopped ${pullB}`]);
  } finally {
    await resumed.close();
  }
});

Deno.test("/events: ownership recorded by another isolate reaches a stream within the refresh bound", async () => {
  const clock = virtualClock();
  const shared = createMemoryStore({ now: clock.now });
  // Another isolate: the same records behind another store object (its own ledger and cache).
  const other = tenants({ ...shared }, clock.now);
  const here = tenants(shared, clock.now);
  const stream = await here.subscribe(tokens.b);
  try {
    const pullB = (await sdk.createChannel(other.client(tokens.b), channel)).pullId;
    // Within the bound the stream may not know the channel yet; after it, it must.
    clock.time += 10_001;
    // Anything: the refresh is due, and is asked for by the first event after the bound.
    await here.callback("action=publish&pullId=nobodys-channel");
    await here.callback(`action=publish&pullId=${pullB}`);
    assert.deepEqual(await next(stream, 1), [`push.started ${pullB}`]);
  } finally {
    await stream.close();
  }
});
