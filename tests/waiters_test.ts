// Waiters against the simulator on a moving (virtual) clock: the client's sleep moves time, the
// simulator reads the same clock, so tasks start and end as the waiter polls.
import assert from "node:assert/strict";
import * as sdk from "../mod.ts";
import { createRateLimiter } from "../src/rate_limiter.ts";
import { createSimulator } from "../src/simulator/mod.ts";
import { virtualClock } from "./helpers.ts";

const MINUTE = 60_000;

function setup(rateLimit?: { limit: number; windowMs: number }) {
  const clock = virtualClock();
  const simulator = createSimulator({ now: clock.now, callbacks: false, rateLimit: false });
  const arrivals: number[] = [];
  const client = sdk.createClient({
    ...simulator.credentials[0],
    fetch: (input, init) => {
      arrivals.push(clock.time);
      return simulator.fetch(input, init);
    },
    now: clock.now,
    sleep: clock.sleep,
    rateLimit: rateLimit &&
      createRateLimiter({ ...rateLimit, now: clock.now, sleep: clock.sleep }),
  });
  return { clock, simulator, client, arrivals };
}

async function recordingIn(client: sdk.WangsuClient, clock: { time: number }, startsIn: number) {
  const { pullId } = await sdk.createChannel(client, {
    channelName: "Wait",
    channelType: "live",
    pushDomain: "push.example.com",
    pullRate: "0",
  });
  const start = Math.floor((clock.time + startsIn) / 1000);
  const { taskId } = await sdk.createRecordTask(client, {
    pullId,
    quickStart: false,
    startTime: start,
    endTime: start + 10 * 60,
  });
  return { pullId, taskId };
}

Deno.test("waitForRecordTask: returns once finished, polling with backoff on the moving clock", async () => {
  const { clock, client } = setup();
  const { taskId } = await recordingIn(client, clock, 2 * MINUTE);
  const seen: string[] = [];
  const polledAt: number[] = [];
  const started = clock.time;
  const task = await sdk.waitForRecordTask(client, { taskId }, {
    until: "finished",
    timeoutMs: 30 * MINUTE,
    intervalMs: 30_000,
    maxIntervalMs: 120_000,
    onPoll: (state) => {
      seen.push(state);
      polledAt.push(clock.time - started);
    },
  });
  assert.equal(task.status, 2);
  assert.equal(task.taskId, taskId);
  // The task records from 2 to 12 minutes. Polls back off by half each time (30 s, 45 s,
  // 67.5 s, 101.25 s), then every 120 s, the cap; the first after 12 minutes sees it finished.
  assert.deepEqual(polledAt, [
    0,
    30_000,
    75_000,
    142_500,
    243_750,
    363_750,
    483_750,
    603_750,
    723_750,
  ]);
  assert.deepEqual(seen, [
    "pending",
    "pending",
    "pending",
    "recording",
    "recording",
    "recording",
    "recording",
    "recording",
    "finished",
  ]);
  assert.equal(clock.time - started, 723_750, "it returned at the poll that saw it finished");
});

Deno.test("waitForRecordTask: the deadline, an abort, and a state that can no longer come", async () => {
  const { clock, client } = setup();
  const { taskId } = await recordingIn(client, clock, 2 * MINUTE);
  await assert.rejects(
    sdk.waitForRecordTask(client, { taskId }, { timeoutMs: 5 * MINUTE, intervalMs: MINUTE }),
    (error: unknown) =>
      error instanceof sdk.WangsuWaitError && error.reason == "deadline" &&
      error.lastState == "recording" && /still recording after 300000 ms/.test(error.message),
  );

  const stop = new AbortController();
  const reason = new Error("user left");
  await assert.rejects(
    sdk.waitForRecordTask(client, { taskId }, {
      intervalMs: 1_000,
      signal: stop.signal,
      onPoll: () => stop.abort(reason),
    }),
    (error: unknown) => error === reason,
  );

  let polls = 0;
  await assert.rejects(
    sdk.waitForRecordTask(client, { taskId }, {
      until: "finished",
      intervalMs: 1_000,
      onPoll: () => {
        if (++polls == 2) void sdk.endRecordTask(client, { taskId });
      },
    }),
    (error: unknown) =>
      error instanceof sdk.WangsuWaitError && error.reason == "unreachable" &&
      error.lastState == "stopped" && /can no longer become finished/.test(error.message),
  );
  await assert.rejects(
    sdk.waitForRecordTask(client, { taskId }, { until: "done" as "finished" }),
    (error: unknown) =>
      error instanceof sdk.WangsuValidationError && error.issues[0].path == "until",
  );
});

Deno.test("waitForChannelState and waitForForwardTask", async () => {
  const { clock, simulator, client } = setup();
  const { pullId } = await recordingIn(client, clock, MINUTE);
  let polls = 0;
  const live = await sdk.waitForChannelState(client, { pullId }, {
    state: "live",
    intervalMs: 1_000,
    onPoll: () => ++polls == 3 && simulator.startStream(pullId),
  });
  assert.deepEqual(live, { channelState: "1" });
  assert.equal(polls, 4);

  const { taskId } = await sdk.startForwardTask(client, {
    pullId,
    forwardUrl: "rtmp://relay.example.com/live/x",
    startTime: Math.floor((clock.time + 3 * MINUTE) / 1000),
  });
  const relaying = await sdk.waitForForwardTask(client, { taskId }, { intervalMs: MINUTE });
  assert.equal(relaying.status, 1);
  await sdk.endForwardTask(client, { taskId });
  await assert.rejects(
    sdk.waitForForwardTask(client, { taskId }, { until: "forwarding" }),
    (error: unknown) => error instanceof sdk.WangsuWaitError && error.reason == "unreachable",
  );
});

Deno.test("waiters make no more calls than the client's rate limiter allows", async () => {
  const { clock, client, arrivals } = setup({ limit: 3, windowMs: MINUTE });
  const { pullId } = await sdk.createChannel(client, {
    channelName: "Limited",
    channelType: "live",
    pushDomain: "push.example.com",
    pullRate: "0",
  });
  const from = arrivals.length;
  const started = clock.time;
  await assert.rejects(
    sdk.waitForChannelState(client, { pullId }, {
      state: "live",
      intervalMs: 100,
      maxIntervalMs: 100,
      timeoutMs: 5 * MINUTE,
    }),
    sdk.WangsuWaitError,
  );
  for (const at of arrivals) {
    const inWindow = arrivals.filter((t) => t > at - MINUTE && t <= at).length;
    assert.ok(inWindow <= 3, `${inWindow} calls within one minute, limit 3`);
  }
  // Every 100 ms as asked while the limiter lets it (the channel's creation took the first slot
  // of the first minute), then three at the start of each minute, up to the deadline.
  assert.equal(from, 1);
  assert.deepEqual(arrivals.map((t) => t - started), [
    0,
    0,
    100,
    ...[1, 2, 3, 4].flatMap((m) => [m * MINUTE, m * MINUTE + 100, m * MINUTE + 200]),
    5 * MINUTE,
  ]);
  assert.equal(clock.time - started, 5 * MINUTE, "it gave up at its deadline, not later");
});
