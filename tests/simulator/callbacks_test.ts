// The simulator's callback delivery: real HTTP GETs to the notifyUrl, retried with backoff,
// each attempt and the outcome kept for inspection.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { parseCallback } from "../../src/callbacks/mod.ts";
import { demoChannel } from "../helpers.ts";

const master = { accessKey: "AK_CB", secretKey: "SK_CB_delivery_test_0001" };

Deno.test("receiver down for two attempts: delivered on the third, every attempt recorded", async () => {
  const arrivals: string[] = [];
  const receiver = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    arrivals.push(request.url);
    return new Response(null, { status: arrivals.length <= 2 ? 503 : 200 });
  });
  const simulator = createSimulator({ credentials: [master], callbacks: { backoffMs: 20 } });
  const served = await simulator.serve();
  const client = sdk.createClient({ ...master, endpoint: served.url });
  try {
    const hook = `http://127.0.0.1:${receiver.addr.port}/hooks/state?tenant=7`;
    const pullId = await demoChannel(client, hook);
    const started = Date.now();
    const start = await fetch(`${served.url}/_sim/streams/${pullId}/start`, { method: "POST" });
    assert.equal(start.status, 200);
    await start.body?.cancel();
    await simulator.settled();
    assert.equal(arrivals.length, 3);
    assert.ok(arrivals.every((url) => url == arrivals[0]), "each attempt sends the same URL");
    const event = parseCallback(arrivals[0]);
    assert.ok(event.type == "push.started" && event.pullId == pullId);
    assert.deepEqual(event.extra, { tenant: "7" });

    const listed = await (await fetch(`${served.url}/_sim/notifications`)).json();
    assert.equal(listed.length, 1);
    assert.equal(listed[0].state, "delivered");
    assert.deepEqual(listed[0].attempts.map((a: { status: number }) => a.status), [503, 503, 200]);
    const gaps = listed[0].attempts.map((a: { at: number }) => a.at - started);
    assert.ok(gaps[1] - gaps[0] >= 20 && gaps[2] - gaps[1] >= 40, `backoff doubles: ${gaps}`);

    // Redelivery over HTTP: a new notification with the same URL.
    const again = await fetch(`${served.url}/_sim/notifications/n1/redeliver`, { method: "POST" });
    assert.equal((await again.json()).redeliveryOf, "n1");
    await simulator.settled();
    assert.equal(arrivals.length, 4);
    assert.equal(arrivals[3], arrivals[0]);
    const missing = await fetch(`${served.url}/_sim/notifications/n99/redeliver`, {
      method: "POST",
    });
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
  } finally {
    simulator.close();
    await served.close();
    await receiver.shutdown();
  }
});

Deno.test("a receiver that never answers well: failed after the set attempts, errors recorded", async () => {
  // A port nobody listens on: connection refused each time.
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const simulator = createSimulator({
    credentials: [master],
    callbacks: { attempts: 3, backoffMs: 5 },
  });
  const client = sdk.createClient({ ...master, fetch: simulator.fetch });
  try {
    const pullId = await demoChannel(client, `http://127.0.0.1:${port}/down`);
    simulator.startStream(pullId);
    await simulator.settled();
    const [notification] = simulator.notifications;
    assert.equal(notification.state, "failed");
    assert.equal(notification.attempts.length, 3);
    assert.ok(notification.attempts.every((a) => a.status === undefined && a.error));
  } finally {
    simulator.close();
  }
});

Deno.test("recording and relay tasks notify each status change with the clock; off records only", async () => {
  let time = Date.UTC(2026, 10, 25, 8, 0, 0);
  const sent: URLSearchParams[] = [];
  const simulator = createSimulator({
    credentials: [master],
    now: () => time,
    callbacks: {
      fetch: (
        request,
      ) => (sent.push(new URL(request.url).searchParams), Promise.resolve(new Response())),
    },
  });
  const client = sdk.createClient({ ...master, fetch: simulator.fetch, now: () => time });
  const pullId = await demoChannel(client);
  const minute = 60_000;
  const record = await sdk.createRecordTask(client, {
    pullId,
    quickStart: true,
    endTime: Math.floor((time + 30 * minute) / 1000),
    notifyUrl: "http://hooks.test/record",
  });
  const relay = await sdk.startForwardTask(client, {
    pullId,
    forwardUrl: "rtmp://relay.example.com/live/x",
    startTime: Math.floor((time + 2 * minute) / 1000),
    notifyUrl: "http://hooks.test/forward",
  });
  time += 5 * minute;
  simulator.tick();
  await sdk.endRecordTask(client, { taskId: record.taskId });
  await sdk.endForwardTask(client, { taskId: relay.taskId });
  await simulator.settled();
  assert.deepEqual(
    sent.map((q) =>
      `${q.get("action")} ${q.get("taskId") == record.taskId ? "R" : "F"} ${q.get("status")}`
    ),
    ["record R 1", "forward F 0", "forward F 1", "record R 3", "forward F 2"],
  );
  simulator.close();

  const quiet = createSimulator({ credentials: [master], callbacks: false });
  const quietClient = sdk.createClient({ ...master, fetch: quiet.fetch });
  quiet.startStream(await demoChannel(quietClient, "http://hooks.test/state"));
  assert.equal(quiet.notifications[0].state, "recorded");
  assert.equal(quiet.notifications[0].attempts.length, 0);
});
