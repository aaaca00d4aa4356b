// Issue 25, item 1: replay in the last second of the window. The verifier floors its clock to
// whole seconds and accepts |floor(now) - ts| <= maxSkew, so a signature is acceptable until
// (ts + maxSkew + 1) * 1000 ms, not (ts + maxSkew) * 1000. A captured createChannel is replayed
// every 50 ms across both edges of its window, through the gateway (memory store and a Deno KV
// file) and the simulator, each on an injected clock: exactly one copy may ever run.
import assert from "node:assert/strict";
import { signRequest } from "../../src/signer.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { createGateway, createMemoryStore, type StateStore } from "../../src/gateway/mod.ts";
import { createDenoKvStore } from "../../src/adapters/deno/mod.ts";
import { rememberSignature } from "../../src/server/replay_guard.ts";

const SKEW = 300;
const START = Date.UTC(2026, 10, 24, 8, 0, 0);
const PATH = "/live/channelManage/createChannel";
const master = { accessKey: "AK_REPLAY_MASTER", secretKey: "Mq7v2Xk9pL4sT8wZ3nR6yB1cF5hJ0dGe" };
const caller = { accessKey: "GW_REPLAY_OPS", secretKey: "Vb8Nq3Lz6Tx1Kc9Rw4Hs7Pm2Yf5Jd0Ga" };

/** The instants to replay at: every 50 ms from `fromSeconds` to `toSeconds`, both included. */
const steps = (fromSeconds: number, toSeconds: number) =>
  Array.from(
    { length: Math.round((toSeconds - fromSeconds) * 20) + 1 },
    (_, i) => fromSeconds * 1000 + i * 50,
  );

/** A signed createChannel, captured: signed at `timestamp` with the caller's key. */
const capture = async (url: string, timestamp: number, credentials = caller) => {
  const body = JSON.stringify({
    channelName: `replayed-${timestamp}`,
    channelType: "live",
    pushDomain: "push.example.com",
    pullRate: "0",
  });
  const headers = await signRequest({ method: "POST", url, body }, credentials, { timestamp });
  return () => new Request(url, { method: "POST", headers, body });
};

/**
 * Replays a captured request at every instant of both edges of its window. Lower edge: signed
 * SKEW s ahead of the clock, sent from ts - SKEW - 1 to ts - SKEW + 1. Upper edge: sent once at
 * ts, then from ts + SKEW - 1 to ts + SKEW + 2.
 *
 * @returns The instants (ms after the window opened or before it closed) a copy was accepted.
 */
const replayAcrossTheWindow = async (
  clock: { time: number },
  fetch: (request: Request) => Promise<Response>,
  url: string,
) => {
  const accepted: { edge: string; at: number }[] = [];
  const send = async (edge: string, at: number, request: Request) => {
    clock.time = at;
    const response = await fetch(request);
    await response.body?.cancel();
    if (response.status == 200) accepted.push({ edge, at });
  };
  const lower = Math.floor(clock.time / 1000) + SKEW;
  const early = await capture(url, lower);
  for (const at of steps(lower - SKEW - 1, lower - SKEW + 1)) await send("lower", at, early());

  const upper = lower + 10;
  const late = await capture(url, upper);
  await send("upper", upper * 1000, late());
  for (const at of steps(upper + SKEW - 1, upper + SKEW + 2)) await send("upper", at, late());
  return { accepted, lower, upper };
};

const expectOneEach = (
  { accepted, lower, upper }: Awaited<ReturnType<typeof replayAcrossTheWindow>>,
) => {
  assert.deepEqual(
    accepted.map(({ edge, at }) =>
      `${edge} at ts ${edge == "lower" ? "-" : "+"} ${
        Math.abs(at / 1000 - (edge == "lower" ? lower : upper)).toFixed(2)
      } s`
    ),
    [`lower at ts - ${SKEW.toFixed(2)} s`, "upper at ts + 0.00 s"],
    "each captured request runs once, at the first instant it is acceptable, never again",
  );
};

const gatewayOver = (clock: { time: number; now: () => number }, store?: StateStore) => {
  const simulator = createSimulator({ credentials: [master], now: clock.now, rateLimit: false });
  const gateway = createGateway({
    upstream: { ...master, fetch: simulator.fetch, now: clock.now, retries: 0 },
    keys: [{ name: "ops", ...caller, actions: ["*"] }],
    now: clock.now,
    store,
    auditLog: false,
  });
  return { gateway, simulator };
};

const clockAt = (time: number) => {
  const clock = { time, now: () => clock.time };
  return clock;
};

Deno.test("item 1: the gateway's memory store refuses every replay across both window edges", async () => {
  const clock = clockAt(START);
  const { gateway, simulator } = gatewayOver(clock);
  expectOneEach(
    await replayAcrossTheWindow(clock, (r) => gateway.fetch(r), `http://gw.test${PATH}`),
  );
  assert.equal(simulator.store.channels.size, 2, "two channels: one per captured request");
});

Deno.test("item 1: the gateway's Deno KV store refuses every replay across both window edges", async () => {
  const clock = clockAt(START);
  const kv = await Deno.openKv(await Deno.makeTempFile({ suffix: ".kv" }));
  try {
    const { gateway, simulator } = gatewayOver(clock, createDenoKvStore(kv, { now: clock.now }));
    expectOneEach(
      await replayAcrossTheWindow(clock, (r) => gateway.fetch(r), `http://gw.test${PATH}`),
    );
    assert.equal(simulator.store.channels.size, 2, "two channels: one per captured request");
  } finally {
    kv.close();
  }
});

Deno.test("item 1: the simulator refuses every replay across both window edges", async () => {
  const clock = clockAt(START);
  const simulator = createSimulator({ credentials: [caller], now: clock.now, rateLimit: false });
  expectOneEach(
    await replayAcrossTheWindow(clock, (r) => simulator.fetch(r), `http://sim.test${PATH}`),
  );
  assert.equal(simulator.store.channels.size, 2, "two channels: one per captured request");
});

Deno.test("item 1: a store whose clock runs 20 s ahead of the verifier's still refuses every replay", async () => {
  // The Durable Object and Deno KV stores expire entries by their own clocks.
  const clock = clockAt(START);
  const ahead = () => clock.time + 20_000;
  const kv = await Deno.openKv(await Deno.makeTempFile({ suffix: ".kv" }));
  try {
    for (
      const store of [createMemoryStore({ now: ahead }), createDenoKvStore(kv, { now: ahead })]
    ) {
      clock.time = START;
      const { gateway } = gatewayOver(clock, store);
      expectOneEach(
        await replayAcrossTheWindow(clock, (r) => gateway.fetch(r), `http://gw.test${PATH}`),
      );
    }
  } finally {
    kv.close();
  }
});

Deno.test("item 1: a 'fresh' answer that took longer than 10 s is not trusted", async () => {
  let elapsed = 0;
  const slow = {
    remember: () => {
      elapsed += 10_001; // by then a store's clock may be past the margin
      return Promise.resolve(true as const);
    },
  };
  const verified = { accessKey: "GW_REPLAY_OPS", signature: "ab".repeat(32), timestamp: 1 };
  const failure = await rememberSignature(slow, verified, SKEW, { elapsed: () => elapsed });
  assert.equal(failure?.reason, "replay-check-unavailable");
  elapsed = 0;
  slow.remember = () => {
    elapsed += 9_999;
    return Promise.resolve(true);
  };
  assert.equal(
    await rememberSignature(slow, verified, SKEW, { elapsed: () => elapsed }),
    undefined,
  );
});
