// The retry policy: what is retried for which calls, how long it waits, when it gives up, and
// the one corrective retry after a clock-skew rejection.
import assert from "node:assert/strict";
import * as sdk from "../mod.ts";
import { envelope, recordingFetch, settles, testCredentials, virtualClock } from "./helpers.ts";

const status = (code: number, headers: HeadersInit = {}) =>
  Response.json({ code, message: `HTTP ${code}` }, {
    status: code,
    headers: { "x-cnc-request-id": `r${code}`, ...headers },
  });
const scripted = (...answers: (() => Response | Promise<Response>)[]) => {
  let i = 0;
  return recordingFetch(() => (answers[Math.min(i++, answers.length - 1)])());
};
const drop = () => Promise.reject(new TypeError("connection reset"));
const ok = () => envelope({ channelState: "1" });
const created = () => envelope({ pullId: "p1", createTime: "t" });
const channel = {
  channelName: "c",
  channelType: "live",
  pushDomain: "push.example.com",
  pullRate: "0",
};

/**
 * Runs `body` with `Math.random` answering `draws` in turn (the jitter's only source), restored
 * afterwards; fails if the code under test drew more than that.
 */
async function withRandom<T>(draws: number[], body: () => Promise<T>): Promise<T> {
  const random = Math.random;
  const left = [...draws];
  Math.random = () => {
    assert.ok(left.length, "Math.random drawn more often than scripted");
    return left.shift()!;
  };
  try {
    return await body();
  } finally {
    Math.random = random;
  }
}

function setup(fetch: typeof globalThis.fetch, options: sdk.ClientOptions = {}) {
  const clock = virtualClock();
  const retries: sdk.RetryInfo[] = [];
  const client = sdk.createClient({
    ...testCredentials,
    fetch,
    now: clock.now,
    sleep: clock.sleep,
    onRetry: (info) => retries.push(info),
    ...options,
  });
  return { client, clock, retries };
}

Deno.test("a read-only action is retried on 503, 502, 504, network errors and timeouts", async () => {
  const fetch = scripted(() => status(503), () => status(502), drop, () => status(504), ok);
  const { client, retries } = setup(fetch, { retries: 4 });
  assert.deepEqual(await sdk.getChannelLiveState(client, { pullId: "p" }), { channelState: "1" });
  assert.equal(fetch.requests.length, 5);
  assert.deepEqual(retries.map((r) => [r.attempt, r.reason, r.status]), [
    [1, "status", 503],
    [2, "status", 502],
    [3, "network", undefined],
    [4, "status", 504],
  ]);
  assert.equal(retries[0].requestId, "r503");
  assert.equal(retries[0].action, "getChannelLiveState");
  const stamps = fetch.requests.map((r) => Number(r.headers.get("x-cnc-timestamp")));
  for (let i = 1; i < stamps.length; i++) {
    assert.ok(stamps[i] >= stamps[i - 1] + 1, "each retry signs a later second");
  }
  assert.ok(!JSON.stringify(retries).includes(testCredentials.secretKey));
});

Deno.test("every attempt sends the call's and the client's headers, signed afresh", async () => {
  const fetch = scripted(() => status(503), ok);
  const { client } = setup(fetch, {
    headers: { "x-team": "live", "x-trace": "client" },
    signedHeaders: "content-type;host;x-trace",
  });
  const call = new Headers({ "X-Trace": "call-1" });
  await sdk.getChannelLiveState(client, { pullId: "p" }, { headers: call });
  assert.equal(fetch.requests.length, 2);
  for (const request of fetch.requests) {
    assert.equal(request.headers.get("x-team"), "live");
    assert.equal(request.headers.get("x-trace"), "call-1");
    assert.equal(request.headers.get("content-type"), "application/json");
    assert.match(request.headers.get("authorization")!, /SignedHeaders=content-type;host;x-trace,/);
  }
  const [first, second] = fetch.requests.map((r) => r.headers.get("authorization"));
  assert.notEqual(first, second);
  // The caller's own Headers are read, never written to.
  assert.deepEqual([...call], [["x-trace", "call-1"]]);
});

Deno.test("the default is two retries; retries: 0 disables, per client and per call", async () => {
  const always503 = () => scripted(() => status(503));
  const byDefault = always503();
  await assert.rejects(
    sdk.getChannelLiveState(setup(byDefault).client, { pullId: "p" }),
    /HTTP 503/,
  );
  assert.equal(byDefault.requests.length, 3);
  const off = always503();
  await assert.rejects(sdk.getChannelLiveState(setup(off, { retries: 0 }).client, { pullId: "p" }));
  assert.equal(off.requests.length, 1);
  const perCall = always503();
  await assert.rejects(
    sdk.getChannelLiveState(setup(perCall, { retries: 0 }).client, { pullId: "p" }, { retries: 3 }),
  );
  assert.equal(perCall.requests.length, 4);
});

Deno.test("a write that may have reached the service is never re-sent", async () => {
  for (const failure of [() => status(503), () => status(502), () => status(504), drop]) {
    const fetch = scripted(failure, created);
    const error = await sdk.createChannel(setup(fetch).client, channel).catch((e) => e);
    assert.ok(error instanceof sdk.WangsuApiError || error instanceof sdk.WangsuNetworkError);
    assert.equal(fetch.requests.length, 1);
  }
  const viaInvoke = scripted(() => status(503), ok);
  await assert.rejects(sdk.invoke(setup(viaInvoke).client, { path: "/live/x", body: {} }));
  assert.equal(viaInvoke.requests.length, 1, "invoke does not know the path is safe");
});

Deno.test("a write is retried on 429, after its Retry-After", async () => {
  const fetch = scripted(() => status(429, { "retry-after": "3" }), created);
  const { client, retries, clock } = setup(fetch);
  const start = clock.now();
  // The largest jitter the first step allows (200 ms by default) is still shorter than 3 s.
  const result = await withRandom([1 - 1e-9], () => sdk.createChannel(client, channel));
  assert.equal(result.pullId, "p1");
  assert.equal(fetch.requests.length, 2);
  assert.equal(retries[0].delayMs, 3000);
  assert.equal(clock.now() - start, 3000);
});

Deno.test("a write is retried when declared repeatable, or when its transNo makes it so", async () => {
  const repeatable = scripted(() => status(503), created);
  await sdk.createChannel(setup(repeatable).client, channel, { repeatable: true });
  assert.equal(repeatable.requests.length, 2);

  const task = { pullId: "p", quickStart: true, endTime: 1_764_003_600 };
  const withTransNo = scripted(drop, () => envelope({ taskId: "t1" }));
  assert.deepEqual(
    await sdk.createRecordTask(setup(withTransNo).client, { ...task, transNo: "n-1" }),
    { taskId: "t1" },
  );
  assert.equal(withTransNo.requests.length, 2);
  const withoutTransNo = scripted(drop, () => envelope({ taskId: "t1" }));
  await assert.rejects(
    sdk.createRecordTask(setup(withoutTransNo).client, task),
    sdk.WangsuNetworkError,
  );
  assert.equal(withoutTransNo.requests.length, 1);
});

Deno.test("backoff: full jitter under a doubling cap; Retry-After wins when longer", async () => {
  const fetch = scripted(() => status(503));
  const { client, retries, clock } = setup(fetch, {
    retries: 6,
    retryBaseDelayMs: 100,
    retryMaxDelayMs: 1000,
  });
  const start = clock.now();
  // The draws scale each step's cap (100 doubling to the 1000 ceiling): half, a quarter, all but
  // nothing, nothing, half, half.
  const draws = [0.5, 0.25, 1 - 1e-9, 0, 0.5, 0.5];
  await withRandom(draws, () =>
    assert.rejects(
      sdk.getChannelLiveState(client, { pullId: "p" }),
      (e) => e instanceof sdk.WangsuApiError && e.status == 503,
    ));
  assert.deepEqual(retries.map((r) => r.attempt), [1, 2, 3, 4, 5, 6]);
  const delays = [50, 50, (1 - 1e-9) * 400, 0, 500, 500];
  assert.deepEqual(retries.map((r) => r.delayMs), delays);
  assert.equal(fetch.requests.length, 7);
  // Each wait moves the clock by its delay, in turn (so rounded as the clock rounds it).
  assert.equal(clock.now(), delays.reduce((time, ms) => time + ms, start));
});

Deno.test("the deadline bounds every attempt and wait together", async () => {
  const fetch = scripted(() => status(503, { "retry-after": "30" }));
  const { client, clock } = setup(fetch, { retries: 5, deadlineMs: 10_000 });
  const start = clock.now();
  const error = await sdk.getChannelLiveState(client, { pullId: "p" }).catch((e) => e);
  assert.ok(error instanceof sdk.WangsuApiError && error.status == 503);
  assert.equal(fetch.requests.length, 1, "a 30 s wait does not fit a 10 s deadline");
  assert.equal(clock.now(), start);
});

Deno.test("a caller's abort ends the wait between attempts at once", async () => {
  const controller = new AbortController();
  const fetch = scripted(() => status(503));
  const slept: number[] = [];
  const client = sdk.createClient({
    ...testCredentials,
    fetch,
    retryBaseDelayMs: 60_000,
    retryMaxDelayMs: 60_000,
    // A wait that never ends by itself: only the abort can end the call.
    sleep: (ms) => (slept.push(ms), new Promise(() => {})),
    onRetry: () => queueMicrotask(() => controller.abort(new Error("stop"))),
  });
  await withRandom([0.5], () =>
    settles(
      assert.rejects(
        sdk.getChannelLiveState(client, { pullId: "p" }, { signal: controller.signal }),
        /stop/,
      ),
      "the aborted call",
    ));
  assert.deepEqual(slept, [30_000], "the abort came during the wait");
  assert.equal(fetch.requests.length, 1);
});

// A server whose clock is `offsetMs` from `now`'s, rejecting timestamps outside its 5-minute window.
const skewedServer = (now: () => number, offsetMs: number) =>
  recordingFetch((request) => {
    const serverNow = now() + offsetMs;
    const timestamp = Number(request.headers.get("x-cnc-timestamp")) * 1000;
    const headers = { date: new Date(serverNow).toUTCString(), "x-cnc-request-id": "skew" };
    return Math.abs(serverNow - timestamp) > 300_000
      ? Response.json({ status: 0, result: "authorization is error! timestamp expired" }, {
        status: 462,
        headers,
      })
      : envelope({ pullId: "p1", createTime: "t" }, headers);
  });

Deno.test("clock skew: one corrective retry, even for a write, and the offset is kept", async () => {
  const clock = virtualClock();
  const fetch = skewedServer(clock.now, 20 * 60_000);
  const retries: sdk.RetryInfo[] = [];
  const client = sdk.createClient({
    ...testCredentials,
    fetch,
    now: clock.now,
    sleep: clock.sleep,
    onRetry: (r) => retries.push(r),
  });
  assert.equal((await sdk.createChannel(client, channel)).pullId, "p1");
  assert.deepEqual(retries.map((r) => [r.reason, r.status, r.delayMs]), [["clock-skew", 462, 0]]);
  await sdk.createChannel(client, { ...channel, channelName: "second" });
  assert.equal(retries.length, 1, "the next call uses the corrected clock");
  assert.equal(fetch.requests.length, 3);
});

Deno.test("clock skew with retries off: the call fails, the next one uses the server's clock", async () => {
  const clock = virtualClock(); // starts on a whole second, so the Date header loses nothing
  const fetch = skewedServer(clock.now, -20 * 60_000);
  const client = sdk.createClient({ ...testCredentials, fetch, now: clock.now, retries: 0 });
  const error = await sdk.createChannel(client, channel).catch((e) => e);
  assert.ok(error instanceof sdk.WangsuApiError && error.status == 462);
  assert.equal(error.serverTime, clock.now() - 20 * 60_000);
  assert.equal((await sdk.createChannel(client, channel)).pullId, "p1");
});

Deno.test("a signature rejected for another reason is not retried as skew", async () => {
  const clock = virtualClock();
  const fetch = recordingFetch(() =>
    Response.json({ status: 0, result: "authorization is error!" }, {
      status: 462,
      headers: { date: new Date(clock.now()).toUTCString() }, // the client's clock, as the server's
    })
  );
  const client = sdk.createClient({ ...testCredentials, fetch, now: clock.now });
  await assert.rejects(
    sdk.createChannel(client, channel),
    (e) => e instanceof sdk.WangsuApiError && e.status == 462,
  );
  assert.equal(fetch.requests.length, 1);
});
