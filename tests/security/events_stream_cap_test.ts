// Issue 25, item 5: /events was unbounded (3,000 streams on one read token; 4,070 streams under
// a 4,096-descriptor limit made the process exit). Each key name now holds at most
// `callbacks.maxStreamsPerKey` concurrent streams in an isolate (default 10: 429), and the isolate
// at most `callbacks.maxStreams` (default 1,000: 503), each refusal with `Retry-After`; a stream
// that ends gives its place back.
import assert from "node:assert/strict";
import { createGateway } from "../../src/gateway/mod.ts";
import { WangsuValidationError } from "../../src/errors.ts";
import { eventsGateway, ingressToken, master, tokens } from "./events_fixture.ts";

Deno.test("one key holds at most 10 streams by default: the 11th is 429 with Retry-After", async () => {
  const { hub, open } = eventsGateway();
  const held: Response[] = [];
  try {
    for (let i = 0; i < 10; i++) {
      const response = await open(tokens.reader);
      assert.equal(response.status, 200, `stream ${i + 1}`);
      held.push(response);
    }
    const refused = await open(tokens.reader);
    assert.equal(refused.status, 429);
    assert.match(refused.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
    const { message } = await refused.json();
    assert.match(message, /Key reader/);
    assert.match(message, /\b10\b/);
    assert.equal(hub.subscribers, 10, "the refused request holds nothing");

    // HEAD is refused as GET would be, and takes no place either.
    assert.equal((await open(tokens.reader, { method: "HEAD" })).status, 429);
    // Another key is not held back by this one.
    const other = await open(tokens.viewer);
    assert.equal(other.status, 200);
    held.push(other);

    // A stream that ends gives its place back.
    await held.shift()!.body!.cancel();
    const again = await open(tokens.reader);
    assert.equal(again.status, 200);
    held.push(again);
  } finally {
    for (const response of held) await response.body?.cancel();
  }
  assert.equal(hub.subscribers, 0);
});

Deno.test("keys that share a name share their streams; the isolate's total cap is 503", async () => {
  const { hub, open } = eventsGateway({ maxStreamsPerKey: 2, maxStreams: 3 });
  const held: Response[] = [];
  try {
    for (const token of [tokens.rotatingOld, tokens.rotatingNew]) {
      const response = await open(token);
      assert.equal(response.status, 200);
      held.push(response);
    }
    const third = await open(tokens.rotatingOld);
    assert.equal(third.status, 429, "two tokens of one key name count as one key");
    assert.match((await third.json()).message, /Key rotating.*\b2\b/);

    const reader = await open(tokens.reader);
    assert.equal(reader.status, 200);
    held.push(reader);
    const full = await open(tokens.viewer);
    assert.equal(full.status, 503, "the isolate holds its most streams");
    assert.match(full.headers.get("retry-after") ?? "", /^[1-9]\d*$/);
    assert.match((await full.json()).message, /\b3\b/);
    assert.equal(hub.subscribers, 3);

    // An aborted request frees its place as a cancelled body does.
    await held.pop()!.body!.cancel();
    const abort = new AbortController();
    const viewer = await open(tokens.viewer, { signal: abort.signal });
    assert.equal(viewer.status, 200);
    abort.abort();
    await viewer.body!.cancel();
    const last = await open(tokens.viewer);
    assert.equal(last.status, 200);
    held.push(last);
  } finally {
    for (const response of held) await response.body?.cancel();
  }
  assert.equal(hub.subscribers, 0);
});

Deno.test("the caps must be whole numbers of at least 1, named in the error", () => {
  for (const field of ["maxStreamsPerKey", "maxStreams"] as const) {
    for (const value of [0, -1, 1.5, Number.NaN, "10"]) {
      assert.throws(
        () =>
          createGateway({
            upstream: master,
            keys: [{ token: tokens.reader, actions: ["read"] }],
            callbacks: { token: ingressToken, [field]: value as number },
          }),
        (e: unknown) =>
          e instanceof WangsuValidationError && e.issues[0].path == `callbacks.${field}` &&
          e.message.includes(`callbacks.${field}`),
        `${field}: ${String(value)}`,
      );
    }
  }
});
