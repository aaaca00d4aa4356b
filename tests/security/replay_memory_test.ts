// Issue 25, item 2 (the store side): the replay memory never forgets an unexpired signature. One
// key floods a gateway whose memory store holds 100 signatures (50 per key): its own requests are
// refused with 503 once its share is full, a signature captured before the flood still replays
// as a replay, and other keys are still served; once the window has passed, the flooder is
// served again.
import assert from "node:assert/strict";
import { signRequest } from "../../src/signer.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { createGateway, createMemoryStore } from "../../src/gateway/mod.ts";

const START = Date.UTC(2026, 10, 24, 8, 0, 0);
const LIST = "/live/channelManage/getChannelList";
const master = { accessKey: "AK_MEMORY_MASTER", secretKey: "Rk4Wz8Qm1Tn6Yc3Hv9Lp2Xs7Bf0Jd5Ga" };
const ops = { accessKey: "GW_MEMORY_OPS", secretKey: "Pn7Kc2Vx9Lm4Tz1Qw6Hr3Bs8Yf5Jd0Ge" };
const flooder = { accessKey: "GW_MEMORY_FLOOD", secretKey: "Ht3Wq8Nz5Lc1Vm7Ks2Xp9Bf4Yr6Jd0Gu" };
const other = { accessKey: "GW_MEMORY_OTHER", secretKey: "Zc6Lm1Qv8Tn3Wk9Hs4Xp7Bf2Yr5Jd0Ga" };

Deno.test("item 2: a full replay memory refuses new signatures (503) and forgets none", async () => {
  let time = START;
  const now = () => time;
  const simulator = createSimulator({ credentials: [master], now, rateLimit: false });
  const gateway = createGateway({
    upstream: { ...master, fetch: simulator.fetch, now, retries: 0 },
    keys: [ops, flooder, other].map((key) => ({ ...key, actions: ["read"] })),
    store: createMemoryStore({ now, capacity: 100, ownerShare: 50 }),
    accountBudget: false,
    now,
    auditLog: false,
  });
  let nonce = 0;
  const signed = async (key: typeof ops) => {
    const url = `http://gw.test${LIST}`;
    const body = JSON.stringify({ pageSize: 10 });
    const headers = await signRequest(
      { method: "POST", url, body, headers: { "x-nonce": String(nonce++) } },
      key,
      { signedHeaders: "content-type;host;x-nonce", timestamp: Math.floor(time / 1000) },
    );
    return () => new Request(url, { method: "POST", headers, body });
  };
  const send = async (request: Request) => {
    const response = await gateway.fetch(request);
    const body = await response.json();
    return { status: response.status, reason: body.reason, message: body.message, response };
  };

  const captured = await signed(ops);
  assert.equal((await send(captured())).status, 200);

  const flood: { status: number; reason?: string }[] = [];
  for (let i = 0; i < 120; i++) flood.push(await send((await signed(flooder))()));
  const full = flood.filter((r) => r.reason == "replay-memory-full");
  assert.equal(full.length, 70, "the flooder's share is 50 signatures; the other 70 are refused");
  assert.deepEqual(new Set(full.map((r) => r.status)), new Set([503]));
  const last = await send((await signed(flooder))());
  assert.match(last.message, /replay memory/);
  assert.ok(Number(last.response.headers.get("retry-after")) > 0, "with a Retry-After");

  const replayed = await send(captured());
  assert.equal(replayed.status, 401, "the captured signature was not forgotten");
  assert.equal(replayed.reason, "replay");

  // The flooder filled its share, not the memory: another key is served.
  for (let i = 0; i < 45; i++) assert.equal((await send((await signed(other))())).status, 200);
  // Now the memory is full (1 + 50 + 49 = 100): nobody new fits, nothing is forgotten.
  assert.equal((await send((await signed(other))())).status, 200);
  for (let i = 0; i < 3; i++) {
    assert.equal((await send((await signed(other))())).status, 200, `other ${i}`);
  }
  const none = await send((await signed(other))());
  assert.equal(none.status, 503, "the whole memory is full");
  assert.equal(none.reason, "replay-memory-full");
  assert.equal((await send(captured())).reason, "replay", "still not forgotten");

  // The signatures expire with the window (300 s, plus the stores' clock margin).
  time += 332_000;
  const later = await signed(flooder);
  assert.equal((await send(later())).status, 200, "served again once the window has passed");
});
