// Issue 25, item 4: every way an /events stream can end frees its subscription and its
// heartbeat timer. HEAD /events used to subscribe and never let go (its body is discarded by
// Hono unread), so 10,000 HEADs held 10,000 subscriptions. The memory hub counts its live
// subscribers; each test counts them back to zero, and Deno's op sanitizer (left on) fails any
// test that leaves a heartbeat interval running.
import assert from "node:assert/strict";
import { createMemoryHub, type EventHub, type HubSubscription } from "../../src/gateway/mod.ts";
import { type CallbackEvent, parseCallback } from "../../src/callbacks/mod.ts";
import { settles, sseReader } from "../helpers.ts";
import { eventsGateway, tokens, until } from "./events_fixture.ts";

/**
 * Bounds a hang only: an event waits out the hub's order window (1 s) before it is sent, which a
 * loaded machine stretches; a few seconds would be a latency target.
 */
const hang = 60_000;

const event = (pullId: string): CallbackEvent =>
  parseCallback(`?action=publish&pullId=${pullId}&time=1767225600`);

Deno.test("HEAD /events answers the stream's headers without subscribing", async () => {
  const { hub, open } = eventsGateway();
  for (let i = 0; i < 50; i++) {
    const response = await open(tokens.reader, { method: "HEAD" });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.equal(response.body, null);
  }
  assert.equal(hub.subscribers, 0, "no HEAD holds a subscription");
  // HEAD is refused as GET would be.
  assert.equal((await open("not-a-configured-token-0000", { method: "HEAD" })).status, 401);
  assert.equal((await open(tokens.recorder, { method: "HEAD" })).status, 200);
  assert.equal(hub.subscribers, 0);
});

Deno.test("a GET whose body is cancelled, read to its end or whose request is aborted lets go", async () => {
  const { hub, open } = eventsGateway();
  // Cancelled by its reader, before and after reading.
  const cancelledAtOnce = await open(tokens.reader);
  const cancelledLater = await open(tokens.viewer);
  assert.equal(hub.subscribers, 2);
  await cancelledAtOnce.body!.cancel();
  const events = sseReader(cancelledLater);
  await hub.publish(event("p1"));
  assert.equal((await events.next(hang))?.data.pullId, "p1");
  await events.close();
  assert.equal(hub.subscribers, 0, "both cancelled streams let go");

  // The request aborted (the client went away) while the body is still held, unread.
  const aborts = [new AbortController(), new AbortController(), new AbortController()];
  const held = [];
  for (const abort of aborts) held.push(await open(tokens.reader, { signal: abort.signal }));
  assert.equal(hub.subscribers, 3);
  for (const abort of aborts) abort.abort();
  assert.equal(hub.subscribers, 0, "aborted requests let go");
  for (const response of held) {
    const reader = response.body!.getReader();
    // The stream ends for its reader too (what waited unread was dropped).
    while (!(await reader.read()).done);
  }

  // A request aborted before the gateway answers never subscribes.
  const early = new AbortController();
  early.abort();
  const refused = await open(tokens.reader, { signal: early.signal }).catch((e) => e);
  if (refused instanceof Response) await refused.body?.cancel();
  assert.equal(hub.subscribers, 0, "an already aborted request holds nothing");
});

Deno.test("a body that is never read is dropped within two heartbeats", async () => {
  const { hub, open } = eventsGateway({ heartbeatMs: 20 });
  const dropped = [];
  for (let i = 0; i < 5; i++) dropped.push(await open(tokens.reader));
  assert.equal(hub.subscribers, 5);
  // Nobody reads these bodies: the first heartbeat finds the greeting unread.
  await until(
    () => hub.subscribers == 0,
    () => `the unread streams to be dropped (${hub.subscribers} live)`,
  );
  // A stream that is read stays: read on through 6 heartbeats (3 times what drops an unread one).
  const kept = (await open(tokens.viewer)).body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  /** Reads on until `done(text)` holds; fails if the stream ends first. */
  const readUntil = (done: (text: string) => boolean, what: string) =>
    settles(
      (async () => {
        while (!done(text)) {
          const next = await kept.read();
          assert.ok(!next.done, `the stream being read is kept; it ended after ${text}`);
          text += next.value;
        }
      })(),
      what,
    );
  try {
    await readUntil((t) => (t.match(/^: keepalive$/gm) ?? []).length >= 6, "6 heartbeats");
    assert.equal(hub.subscribers, 1, "the stream being read is kept");
    assert.doesNotMatch(text, /^(event|data):/m, "only heartbeats so far");
    // And it still carries events.
    await hub.publish(event("after-heartbeats"));
    await readUntil((t) => /^data:/m.test(t), "the event published after the heartbeats");
    assert.match(text, /^data: .*"pullId":"after-heartbeats"/m);
  } finally {
    await kept.cancel();
  }
  assert.equal(hub.subscribers, 0);
});

Deno.test("a reader that falls 64 KiB behind is dropped, not buffered for ever", async () => {
  const { hub, open } = eventsGateway();
  const behind = await open(tokens.reader);
  assert.equal(hub.subscribers, 1);
  let sent = 0;
  while (hub.subscribers && sent < 5_000) await hub.publish(event(`slow${sent++}`));
  assert.equal(hub.subscribers, 0, `still subscribed after ${sent} unread events`);
  assert.ok(sent > 100, `dropped after ${sent} events, not at once`);
  await behind.body!.cancel();
});

Deno.test("a stream the hub ends is closed and lets go", async () => {
  const inner = createMemoryHub();
  const ends: (() => void)[] = [];
  const hub: EventHub = {
    publish: (e) => inner.publish(e),
    async subscribe(subscription: HubSubscription) {
      await inner.subscribe(subscription);
      ends.push(() => subscription.onEnd?.());
    },
  };
  const { open } = eventsGateway({ hub });
  const events = sseReader(await open(tokens.reader));
  assert.equal(inner.subscribers, 1);
  ends[0]();
  assert.equal(await events.next(hang), undefined);
  assert.equal(events.ended, true, "the reader sees the stream end");
  assert.equal(inner.subscribers, 0);
});

Deno.test({
  name: "through a real server: clients that connect and go away leave no subscription",
  async fn() {
    const { gateway, hub } = eventsGateway();
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      (request, info) => gateway.fetch(request, info),
    );
    const base = `http://127.0.0.1:${server.addr.port}`;
    const auth = { authorization: `Bearer ${tokens.reader}` };
    try {
      // fetch clients that read the greeting, then go away.
      const clients = [];
      for (let i = 0; i < 5; i++) {
        const abort = new AbortController();
        const response = await fetch(`${base}/events`, { headers: auth, signal: abort.signal });
        assert.equal(response.status, 200);
        const reader = response.body!.getReader();
        assert.match(new TextDecoder().decode((await reader.read()).value), /subscribed as reader/);
        clients.push(abort);
      }
      // The query token, as EventSource sends it.
      const queried = await fetch(`${base}/events?access_token=${tokens.viewer}`);
      assert.equal(queried.status, 200);
      const queriedReader = queried.body!.getReader();
      await queriedReader.read();
      // Raw sockets: one reads the head and closes, one closes while the gateway answers.
      const raw = async (method: string, read: boolean) => {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
        await conn.write(new TextEncoder().encode(
          `${method} /events HTTP/1.1\r\nhost: gateway.test\r\n` +
            `authorization: Bearer ${tokens.reader}\r\n\r\n`,
        ));
        if (read) await conn.read(new Uint8Array(4096));
        conn.close();
      };
      await raw("GET", true);
      await raw("GET", false);
      await raw("HEAD", true);
      for (let i = 0; i < 20; i++) {
        const head = await fetch(`${base}/events`, { method: "HEAD", headers: auth });
        assert.equal(head.status, 200);
        await head.body?.cancel();
      }
      await until(() => hub.subscribers >= 6, "the fetch clients to be subscribed");
      for (const abort of clients) abort.abort();
      await queriedReader.cancel();
      await until(
        () => hub.subscribers == 0,
        () => `every subscription to be freed (${hub.subscribers} live)`,
      );
    } finally {
      // A leaked stream would hold its connection, and the shutdown with it: bounded.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        server.shutdown(),
        new Promise((resolve) => timer = setTimeout(resolve, 5_000)),
      ]);
      clearTimeout(timer);
    }
  },
});
