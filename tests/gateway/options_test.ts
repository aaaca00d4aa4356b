// createGateway's options that no other test sets: `maxSkewSeconds` (the clock window of signed
// callers, and so how long their signatures are remembered) and `callbacks.heartbeatMs` (the
// keep-alive comment on idle `/events` streams, and the Retry-After of a refused stream).
import assert from "node:assert/strict";
import { signRequestSync } from "../../src/signer.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { createGateway, createMemoryStore, type GatewayOptions } from "../../src/gateway/mod.ts";
import { WangsuValidationError } from "../../src/errors.ts";
import { virtualClock } from "../helpers.ts";

const secret = () => crypto.randomUUID().replaceAll("-", "");
const master = { accessKey: "AK_OPTIONS_MASTER", secretKey: `SK-${secret()}` };
const caller = { accessKey: "GW_OPTIONS_CALLER", secretKey: `gw-${secret()}` };
const LIST = "/live/channelManage/getChannelList";

/** A gateway over a simulator on the same virtual clock, with one signed read key. */
function signedGateway(
  overrides: Partial<GatewayOptions> | ((now: () => number) => Partial<GatewayOptions>),
) {
  const clock = virtualClock();
  const simulator = createSimulator({
    credentials: [master],
    now: clock.now,
    rateLimit: false,
    callbacks: false,
  });
  const gateway = createGateway({
    upstream: { ...master, fetch: simulator.fetch },
    keys: [{ name: "caller", ...caller, actions: ["read"], rateLimit: false }],
    accountBudget: false,
    auditLog: false,
    now: clock.now,
    ...(typeof overrides == "function" ? overrides(clock.now) : overrides),
  });
  let nonce = 0;
  /** A fresh list request signed `offset` seconds from the clock (or the request `again`). */
  const sign = (offset = 0) => {
    const url = `http://gw.test${LIST}`;
    const body = "{}";
    const headers = signRequestSync(
      { method: "POST", url, body, headers: { "x-nonce": String(nonce++) } },
      caller,
      { signedHeaders: "content-type;host;x-nonce", timestamp: clock.time / 1000 + offset },
    );
    return async () => {
      const response = await gateway.fetch(new Request(url, { method: "POST", headers, body }));
      const json = await response.json();
      return { status: response.status, reason: json.reason as string | undefined };
    };
  };
  return { clock, sign };
}

Deno.test("gateway maxSkewSeconds: signed callers are served at the window's edge, refused a second beyond", async () => {
  const { sign } = signedGateway({ maxSkewSeconds: 30 });
  for (const offset of [-30, 30]) {
    assert.deepEqual(await sign(offset)(), { status: 200, reason: undefined }, `${offset} s`);
  }
  for (const offset of [-31, 31]) {
    assert.deepEqual(await sign(offset)(), { status: 401, reason: "skew" }, `${offset} s`);
  }
  const standard = signedGateway({}).sign;
  assert.equal((await standard(-31)()).status, 200, "the default window is wider");
  assert.equal((await standard(-300)()).status, 200);
  assert.deepEqual(await standard(-301)(), { status: 401, reason: "skew" });
});

Deno.test("gateway maxSkewSeconds: a signature is remembered for the window it was accepted in", async () => {
  // A memory with room for one signature: the second is refused until the first expires, which
  // is 1 s after the last instant the window accepts it, plus the stores' 30 s clock margin.
  for (const [maxSkewSeconds, keptMs] of [[30, 61_000], [300, 331_000]]) {
    const { clock, sign } = signedGateway((now) => ({
      maxSkewSeconds,
      store: createMemoryStore({ now, capacity: 1 }),
    }));
    const start = clock.time;
    const first = sign();
    assert.equal((await first()).status, 200);
    clock.time = start + maxSkewSeconds * 1000;
    assert.deepEqual(await first(), { status: 401, reason: "replay" }, "a replay in the window");
    clock.time = start + keptMs - 1;
    assert.deepEqual(
      await sign()(),
      { status: 503, reason: "replay-memory-full" },
      `${maxSkewSeconds} s: the first signature still held 1 ms before ${keptMs} ms`,
    );
    clock.time = start + keptMs;
    assert.equal((await sign()()).status, 200, `${maxSkewSeconds} s: forgotten at ${keptMs} ms`);
  }
});

/** A gateway with callbacks on, and a bearer read key to subscribe to `/events` with. */
function eventsGateway(callbacks: Partial<GatewayOptions["callbacks"]> = {}) {
  const token = `tok-${secret()}`;
  const gateway = createGateway({
    upstream: master,
    keys: [{ name: "reader", token, actions: ["read"] }],
    auditLog: false,
    callbacks: { token: `cb_${secret()}`, ...callbacks },
  });
  const open = (signal?: AbortSignal) =>
    gateway.fetch(
      new Request("http://gw.test/events", {
        headers: { authorization: `Bearer ${token}` },
        signal,
      }),
    );
  return { open };
}

Deno.test("gateway callbacks.heartbeatMs: an idle /events stream carries a keep-alive comment each interval", async () => {
  const { open } = eventsGateway({ heartbeatMs: 50 });
  const response = await open();
  assert.equal(response.status, 200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  // Read until three keep-alives have come. The deadline bounds a hang only: at the default
  // interval (25 s) none would come before it.
  const deadline = Date.now() + 15_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    while (text.split(": keepalive\n\n").length <= 3) {
      const hang = new Promise<"hang">((resolve) => {
        timer = setTimeout(() => resolve("hang"), Math.max(0, deadline - Date.now()));
      });
      const read = await Promise.race([reader.read(), hang]);
      clearTimeout(timer);
      if (read == "hang") assert.fail(`no third keep-alive within 15 s; read so far: ${text}`);
      if (read.done) assert.fail(`the stream ended; read so far: ${text}`);
      text += read.value;
    }
  } finally {
    await reader.cancel();
  }
  assert.match(text, /^retry: 3000\n: subscribed as reader to [^\n]+\n\n(: keepalive\n\n){3}/);
  assert.doesNotMatch(text, /^(event|data|id):/m, "comments only: no event was published");
});

Deno.test("gateway callbacks.heartbeatMs: it sets a refused stream's Retry-After, and must be a whole number ≥ 1", async () => {
  for (const [heartbeatMs, retryAfter] of [[4_500, "5"], [60_000, "60"], [50, "1"]] as const) {
    const { open } = eventsGateway({ heartbeatMs, maxStreamsPerKey: 1 });
    const held = new AbortController();
    const first = await open(held.signal);
    assert.equal(first.status, 200);
    const refused = await open();
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("retry-after"), retryAfter, `heartbeatMs ${heartbeatMs}`);
    await refused.body?.cancel();
    held.abort();
    await first.body?.cancel();
  }
  for (const heartbeatMs of [0, -1, 1.5, Number.NaN, "100" as unknown as number]) {
    assert.throws(
      () => eventsGateway({ heartbeatMs }),
      (error) =>
        error instanceof WangsuValidationError &&
        error.issues[0].path == "callbacks.heartbeatMs" &&
        /callbacks\.heartbeatMs: must be a whole number of at least 1/.test(error.message),
      `heartbeatMs ${String(heartbeatMs)}`,
    );
  }
});
