// Issue 25, item 16: the Deno KV store kept one expiry time per slot in a bucket's single value,
// which KV refuses past 64 KiB ("Value too large"): past about 5,465 slots every request failed
// closed. A budget of 10,000 requests per 300 s (GATEWAY_ACCOUNT_BUDGET=10000/300) must hold:
// 9,990 slots taken one every 25 ms (so that they free at ~2,000 distinct instants, the most a
// bucket's value holds), then the gateway serves the last 10 and refuses the next with 429.
import assert from "node:assert/strict";
import { createSimulator } from "../../src/simulator/mod.ts";
import { createGateway } from "../../src/gateway/mod.ts";
import { createDenoKvStore } from "../../src/adapters/deno/mod.ts";

const START = Date.UTC(2026, 10, 24, 8, 0, 0);
const LIMIT = 10_000;
const WINDOW_SECONDS = 300;
const MARGIN_MS = 2_000;
const master = { accessKey: "AK_KV_MASTER", secretKey: "Jm6Tq1Wz8Lc3Nv5Hk9Rp2Bs7Yf4Xd0Ga" };
const token = "kv-budget-token-Qz4Lm9Tc2Wx7Nk1Hv6Rp3Bs8Yf5Jd0Gu";

Deno.test("item 16: a Deno KV account budget of 10,000 per 300 s holds every slot", async () => {
  let time = START;
  const now = () => time;
  const kv = await Deno.openKv(":memory:");
  try {
    const store = createDenoKvStore(kv, { now });
    const windowMs = WINDOW_SECONDS * 1000 + MARGIN_MS; // as the gateway's budget asks
    for (let i = 0; i < LIMIT - 10; i++) {
      const reservation = await store.reserve("account", LIMIT, windowMs).catch((e) => e);
      assert.deepEqual(reservation, { ok: true }, `slot ${i + 1}`);
      time += 25;
    }

    const simulator = createSimulator({ credentials: [master], now, rateLimit: false });
    const gateway = createGateway({
      upstream: { ...master, fetch: simulator.fetch, now, retries: 0 },
      keys: [{ name: "reader", token, actions: ["read"], rateLimit: false }],
      store,
      accountBudget: { limit: LIMIT, windowSeconds: WINDOW_SECONDS, marginMs: MARGIN_MS },
      now,
      auditLog: false,
    });
    const read = () =>
      gateway.fetch(
        new Request("http://gw.test/live/channelManage/getChannelList", {
          method: "POST",
          headers: { authorization: `Bearer ${token}` },
          body: "{}",
        }),
      );
    for (let i = 0; i < 10; i++) {
      const response = await read();
      assert.equal(response.status, 200, await response.text());
    }
    const refused = await read();
    assert.equal(refused.status, 429);
    assert.match((await refused.json()).message, /budget of 10000 requests per 300 s is used up/);
    // The first slot was taken at START: it frees a window (and at most a 2,000th of it) later.
    const retryAfter = Number(refused.headers.get("retry-after"));
    const frees = (START + windowMs - time) / 1000;
    assert.ok(retryAfter >= frees && retryAfter <= frees + 1, `Retry-After ${retryAfter}`);
    assert.equal(simulator.stats.requests, 10, "the refused request was not forwarded");
  } finally {
    kv.close();
  }
});
