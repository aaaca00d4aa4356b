// The reconciler: lost callbacks made good by polling live state, on a virtual clock, within a
// share of the account budget taken from the same budget as callers.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createGateway, createMemoryHub, type GatewayOptions } from "../../src/gateway/mod.ts";
import type { CallbackEvent } from "../../src/callbacks/parse.ts";
import { readEvent } from "../../src/callbacks/event_json.ts";
import { cronOf, runReconcilerEvery, scheduleReconciler } from "../../src/gateway/reconciler.ts";
import { createSimulator, type FaultOptions } from "../../src/simulator/mod.ts";
import { settles, virtualTimers } from "../helpers.ts";

const master = { accessKey: "AK_MASTER", secretKey: "SK_MASTER_reconciler_test_01" };
const ingressToken = `cb_${crypto.randomUUID().replaceAll("-", "")}`;
const BATCH = "/live/channelManage/batchChannelLiveState";
const MINUTE = 60_000;

/** A seeded sequence in [0, 1) (a 32-bit LCG): the same transitions on every run. */
const seeded = (seed: number) => () =>
  (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;

/** The state an event says a channel is in, by the rules a dashboard would follow. */
const stateAfter = (event: CallbackEvent): string | undefined => {
  switch (event.type) {
    case "push.started":
      return "live";
    case "push.stopped":
      return event.reason == "forbid" ? "banned" : "idle";
    case "channel.banned":
      return "banned";
    case "channel.reopened":
      return "idle";
    case "channel.state_corrected":
      return event.actual;
  }
};
const WORDS: Record<number, string> = { 1: "live", 2: "idle", 3: "banned" };

function setup(
  { faults = {}, reconciler = {}, accountBudget, channels = 30 }: {
    faults?: FaultOptions;
    reconciler?: GatewayOptions["reconciler"];
    accountBudget?: GatewayOptions["accountBudget"];
    channels?: number;
  } = {},
) {
  const clock = virtualTimers();
  const token = `tok_${crypto.randomUUID()}`;
  const simulator = createSimulator({
    credentials: [master],
    now: clock.now,
    faults,
    callbacks: { fetch: (request) => gateway.fetch(request), sleep: clock.sleep, now: clock.now },
  });
  /** Every request the gateway sent upstream: path, body and virtual time. */
  const upstream: { path: string; body: string; at: number }[] = [];
  // No order window: events come out as they arrive (the window runs on real timers).
  const hub = createMemoryHub({ now: clock.now, orderWindowMs: 0 });
  const gateway = createGateway({
    upstream: {
      ...master,
      sleep: clock.sleep,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const body = await request.clone().text();
        upstream.push({ path: new URL(request.url).pathname, body, at: clock.now() });
        return simulator.fetch(request);
      },
    },
    keys: [{ name: "ops", token, actions: ["*"], rateLimit: false, objects: "all" }],
    callbacks: { token: ingressToken, hub },
    reconciler: { intervalMs: MINUTE, ...reconciler },
    accountBudget,
    now: clock.now,
    auditLog: false,
  });
  // The setup talks to the simulator directly: only the gateway's own requests are counted.
  const client = sdk.createClient({ ...master, fetch: simulator.fetch, now: clock.now });
  const events: CallbackEvent[] = [];
  const stop = new AbortController();
  void hub.subscribe({ signal: stop.signal, onEvent: (event) => void events.push(event) });
  /** Each channel's state as the events say, applied in event-time order. */
  const view = () => {
    const latest = new Map<string, { state: string; time: string }>();
    for (const event of events) {
      const state = stateAfter(event);
      if (!state || !("pullId" in event) || !event.pullId) continue;
      const held = latest.get(event.pullId);
      if (!held || held.time <= event.time) latest.set(event.pullId, { state, time: event.time });
    }
    return new Map([...latest].map(([pullId, { state }]) => [pullId, state]));
  };
  const truth = async () => {
    const answer = await simulator.fetch("http://sim.test/_sim/state");
    const { channels } = await answer.json() as {
      channels: { pullId: string; liveState: number }[];
    };
    return new Map(channels.map((c) => [c.pullId, WORDS[c.liveState]]));
  };
  const makeChannels = async () => {
    const ids: string[] = [];
    for (let i = 0; i < channels; i++) {
      const { pullId } = await sdk.createChannel(client, {
        channelName: `Reconciled ${i}`,
        channelType: "live",
        pushDomain: "push.example.com",
        pullRate: "0",
      });
      ids.push(pullId);
    }
    await sdk.setChannelStateRealtimeBack(client, {
      domainName: "push.example.com",
      notifyUrl: `http://gateway.test/callbacks/${ingressToken}`,
      open: 1,
    });
    return ids;
  };
  /** Transitions (start, stop, ban, re-open), one virtual second apart. */
  const churn = async (ids: string[], steps: number, seed = 7) => {
    const random = seeded(seed);
    const states = await truth();
    for (let step = 0; step < steps; step++) {
      // Each channel once, then at random.
      const pullId = ids[step < ids.length ? step : Math.floor(random() * ids.length)];
      const state = states.get(pullId);
      const roll = random();
      if (state == "banned") await sdk.channelReBrodcast(client, { pullId });
      else if (roll < 0.15) await sdk.channelForbidden(client, { pullId });
      else if (state == "live") simulator.stopStream(pullId);
      else simulator.startStream(pullId);
      states.set(pullId, (await truth()).get(pullId)!);
      await clock.sleep(1_000);
    }
    await settles(simulator.settled(), "the callbacks to be delivered or given up");
  };
  const corrections = () =>
    events.filter((e) => e.type == "channel.state_corrected") as Extract<
      CallbackEvent,
      { type: "channel.state_corrected" }
    >[];
  const close = () => {
    stop.abort();
  };
  return {
    token,
    clock,
    simulator,
    gateway,
    upstream,
    events,
    view,
    truth,
    makeChannels,
    churn,
    corrections,
    close,
  };
}

Deno.test("with 30% of callbacks lost, /events matches the truth within one interval", async () => {
  const t = setup({ faults: { seed: 3, callbackDropRate: 0.3 } });
  const ids = await t.makeChannels();
  await t.churn(ids, 240);
  const dropped = t.simulator.notifications.filter((n) => n.state == "failed");
  assert.ok(dropped.length > 40, `the faults dropped ${dropped.length} callbacks`);
  const truth = await t.truth();
  const before = t.view();
  const wrong = ids.filter((id) => before.get(id) != truth.get(id));
  assert.ok(wrong.length >= 5, `the lost callbacks left ${wrong.length} channels wrong`);

  const stop = new AbortController();
  const loop = runReconcilerEvery(t.gateway.reconcile!, {
    intervalMs: MINUTE,
    sleep: t.clock.sleep,
    signal: stop.signal,
  });
  const start = t.clock.now();
  await t.clock.sleep(MINUTE + 1);
  await settles(
    (async () => {
      // The run due at the interval may still be answering: wait on the clock, not real time.
      while (t.corrections().length < wrong.length) await t.clock.sleep(1);
    })(),
    "one correction per wrong channel",
  );
  assert.ok(t.clock.now() - start <= 2 * MINUTE, "corrected within one interval");
  stop.abort();
  const after = t.view();
  // A channel whose every callback was lost is not known to the gateway; with this seed every
  // channel had at least one delivered.
  assert.deepEqual(
    ids.filter((id) => after.get(id) != truth.get(id)).map((id) => [id, after.get(id)]),
    [],
  );
  const corrections = t.corrections();
  assert.deepEqual(corrections.map((c) => c.pullId).sort(), [...wrong].sort());
  for (const correction of corrections) {
    // What a receiver reads back is a typed, valid event.
    assert.deepEqual(readEvent(JSON.parse(JSON.stringify(correction))), correction);
    assert.equal(correction.believed, before.get(correction.pullId));
    assert.equal(correction.actual, truth.get(correction.pullId));
    assert.ok(correction.missing.length >= 1);
    // The transition it names is one whose callback was really dropped for that channel.
    const lost: string[] = dropped.filter((n) => n.url.includes(`pullId=${correction.pullId}&`))
      .map((n) => n.action);
    const ACTION_OF: Record<string, string> = {
      "push.started": "publish",
      "push.stopped": "publish_done",
      "channel.banned": "forbid",
      "channel.reopened": "resume",
    };
    assert.ok(
      correction.missing.some((type) => lost.includes(ACTION_OF[type])),
      `${correction.pullId}: missing ${correction.missing} but lost ${lost}`,
    );
    // Since when: the time of the last event believed for the channel.
    const believedAt = t.events.filter((e) =>
      e.type != "channel.state_corrected" && "pullId" in e && e.pullId == correction.pullId
    ).map((e) => e.time).sort().at(-1);
    assert.equal(correction.believedSince, believedAt);
  }
  // The same discrepancy makes the same id: two isolates' runs are one event.
  assert.equal(new Set(corrections.map((c) => c.id)).size, corrections.length);
  await loop;
  t.close();
});

Deno.test("no correction when no callback was lost", async () => {
  const t = setup();
  const ids = await t.makeChannels();
  await t.churn(ids, 120);
  const before = t.upstream.length;
  const report = await t.gateway.reconcile!();
  assert.equal(report.polled, ids.length);
  assert.ok(t.upstream.slice(before).every((r) => r.path == BATCH));
  assert.equal(t.upstream.length - before, report.requests);
  assert.ok(report.requests >= 1);
  assert.deepEqual(t.corrections(), []);
  t.close();
});

Deno.test("the reconciler spends at most its share of the account budget", async () => {
  // 100 requests per 300 s, 6% of it: 6 per window (and its 2 s margin), so one per 60 s
  // interval; 5 channels per request.
  const t = setup({
    channels: 40,
    accountBudget: { limit: 100, windowSeconds: 300 },
    reconciler: { budgetShare: 0.06, batchSize: 5 },
  });
  const ids = await t.makeChannels();
  await t.churn(ids, 80);
  const before = t.upstream.length;
  const reports = [];
  for (let run = 0; run < 12; run++) {
    reports.push(await t.gateway.reconcile!());
    await t.clock.sleep(MINUTE);
  }
  const polls = t.upstream.slice(before).filter((r) => r.path == BATCH);
  assert.equal(t.upstream.length - before, polls.length);
  // In any window (300 s and its 2 s margin), at most 6 polls (the share); one each interval.
  for (const poll of polls) {
    const inWindow = polls.filter((p) => p.at >= poll.at && p.at < poll.at + 302_000);
    assert.ok(inWindow.length <= 6, `${inWindow.length} polls within 302 s of ${poll.at}`);
  }
  assert.deepEqual(reports.map((r) => r.requests), reports.map(() => 1));
  assert.ok(reports.every((r) => r.unpolled == ids.length - 5));
  // Every channel is polled in turn across the intervals.
  const polled = new Set(polls.flatMap((p) => JSON.parse(p.body).pullIds.split(",")));
  assert.deepEqual([...polled].sort(), [...ids].sort());
  t.close();
});

Deno.test("the reconciler refuses to poll rather than take callers' last slots", async () => {
  const t = setup({
    channels: 3,
    accountBudget: { limit: 20, windowSeconds: 300, maxWaitMs: 0 },
    reconciler: { budgetShare: 0.25 },
  });
  const ids = await t.makeChannels();
  await t.churn(ids, 6);
  // Callers take the account to within the reconciler's share (5) of its limit.
  const before = t.upstream.length;
  for (let i = 0; i < 15; i++) {
    const response = await t.gateway.fetch(
      new Request(`http://gateway.test${BATCH}`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${t.token}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({ pullIds: ids[0] }),
      }),
    );
    assert.equal(response.status, 200, await response.text());
  }
  const report = await t.gateway.reconcile!();
  assert.equal(report.requests, 0);
  assert.equal(report.skipped, "budget");
  assert.equal(t.upstream.length - before, 15);
  // The callers' five remaining slots are still theirs.
  for (let i = 0; i < 5; i++) {
    const response = await t.gateway.fetch(
      new Request(`http://gateway.test${BATCH}`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.token}`, "content-type": "application/json" },
        body: JSON.stringify({ pullIds: ids[1] }),
      }),
    );
    assert.equal(response.status, 200, await response.text());
  }
  t.close();
});

Deno.test("two runs in one interval poll once (another isolate ran it)", async () => {
  const t = setup({ channels: 3 });
  const ids = await t.makeChannels();
  await t.churn(ids, 6);
  const first = await t.gateway.reconcile!();
  const second = await t.gateway.reconcile!();
  assert.equal(first.requests, 1);
  assert.equal(second.requests, 0);
  assert.equal(second.skipped, "ran-this-interval");
  t.close();
});

Deno.test("the reconciler's options are checked, naming the option", () => {
  const base = {
    upstream: master,
    keys: [],
    callbacks: { token: ingressToken },
    auditLog: false,
  };
  for (
    const [reconciler, path] of [
      [{ budgetShare: 0 }, "reconciler.budgetShare"],
      [{ budgetShare: 0.6 }, "reconciler.budgetShare"],
      [{ intervalMs: 0 }, "reconciler.intervalMs"],
      [{ recentMs: -1 }, "reconciler.recentMs"],
      [{ batchSize: 1.5 }, "reconciler.batchSize"],
    ] as const
  ) {
    assert.throws(
      () => createGateway({ ...base, reconciler }),
      (error: sdk.WangsuValidationError) => error.issues[0].path == path,
      path,
    );
  }
  assert.throws(
    () => createGateway({ ...base, callbacks: undefined, reconciler: {} }),
    (error: sdk.WangsuValidationError) => error.issues[0].path == "reconciler",
  );
  assert.equal(createGateway({ ...base, reconciler: false }).reconcile, undefined);
});

Deno.test("Deno.cron: the reconciler is registered with its schedule, and the handler runs it", async () => {
  const t = setup({ channels: 2 });
  const ids = await t.makeChannels();
  await t.churn(ids, 4);
  const registered: { name: string; schedule: string; handler: () => Promise<void> }[] = [];
  const host = {
    cron: (name: string, schedule: string, handler: () => Promise<void>) => {
      registered.push({ name, schedule, handler });
      return new Promise<void>(() => {});
    },
  };
  assert.equal(scheduleReconciler(t.gateway, 5 * MINUTE, host), "cron");
  assert.deepEqual(registered.map((r) => [r.name, r.schedule]), [[
    "gateway-reconciler",
    "*/5 * * * *",
  ]]);
  const before = t.upstream.length;
  await registered[0].handler();
  assert.equal(t.upstream.slice(before).filter((r) => r.path == BATCH).length, 1);
  assert.equal(scheduleReconciler({}, MINUTE, host), "off");
  assert.equal(cronOf(MINUTE), "* * * * *");
  assert.equal(cronOf(60 * MINUTE), "0 * * * *");
  assert.throws(() => cronOf(7 * MINUTE), /reconciler\.intervalMs/);
  t.close();
});
