// `GET /_sim/state` on a simulator served on loopback: every channel with its mode and live state
// (live, idle, banned), the directories, the record and relay tasks with their status at the
// simulated clock's time, and the request counts; and the statuses move with the clock.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { demoChannel, virtualClock } from "../helpers.ts";

const master = { accessKey: "AK_SIM_STATE", secretKey: `SK-${crypto.randomUUID()}` };

Deno.test("GET /_sim/state: channels, directories, tasks with their status at the clock's time, and counts", async () => {
  const clock = virtualClock();
  const t0 = Math.floor(clock.time / 1000);
  const simulator = createSimulator({ credentials: [master], now: clock.now, callbacks: false });
  const served = await simulator.serve();
  try {
    const client = sdk.createClient({ ...master, endpoint: served.url, now: clock.now });
    const live = await demoChannel(client, undefined, "Live show");
    const banned = await demoChannel(client, undefined, "Banned show");
    const { pullId: pulled } = await sdk.createPullChannel(client, {
      channelName: "Relay in",
      sourcePullUrl: "rtmp://origin.example.com/live/s1",
      sourcePullProtocol: "0",
      pullDomain: "play.example.com",
      pullProtocol: "0",
      pullRate: "0",
    });
    await sdk.channelForbidden(client, { pullId: banned });
    const started = await fetch(`${served.url}/_sim/streams/${live}/start`, { method: "POST" });
    assert.equal(started.status, 200);
    await started.body?.cancel();
    const { directoryId } = await sdk.directoryCreate(client, {
      directoryType: "events_2026",
      firstLevelDirectory: "events",
    });
    const { taskId: recordTask } = await sdk.createRecordTask(client, {
      pullId: live,
      transNo: "0f8fad5bd9cb469fa16570867728950e",
      quickStart: true,
      endTime: t0 + 3_600,
    });
    const { taskId: forwardTask } = await sdk.startForwardTask(client, {
      pullId: live,
      forwardUrl: "rtmp://relay.example.com/live/k1",
      startTime: t0 + 600,
      endTime: t0 + 1_800,
    });

    const state = async () => {
      const response = await fetch(`${served.url}/_sim/state`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
      return await response.json();
    };
    const statuses = (body: Record<string, { taskId: string; status: number }[]>) => ({
      record: body.recordTasks.map((task) => [task.taskId, task.status]),
      forward: body.forwardTasks.map((task) => [task.taskId, task.status]),
    });

    const now = await state();
    assert.deepEqual(now.channels, [
      { pullId: live, mode: "push", channelName: "Live show", liveState: 1 },
      { pullId: banned, mode: "push", channelName: "Banned show", liveState: 3 },
      { pullId: pulled, mode: "pull", channelName: "Relay in", liveState: 2 },
    ]);
    assert.deepEqual(
      now.directories.map((d: Record<string, unknown>) => [d.directoryId, d.directoryType]),
      [[directoryId, "events_2026"]],
    );
    assert.equal(now.recordTasks[0].pullId, live);
    assert.equal(now.forwardTasks[0].forwardUrl, "rtmp://relay.example.com/live/k1");
    assert.deepEqual(statuses(now), {
      record: [[recordTask, 1]],
      forward: [[forwardTask, 0]],
    }, "recording now; the relay starts in 10 minutes");
    const counts = {
      createChannel: 2,
      createPullChannel: 1,
      channelForbidden: 1,
      directoryCreate: 1,
      createRecordTask: 1,
      startForwardTask: 1,
    };
    assert.deepEqual(now.stats, { requests: 7, byAction: counts, applied: counts });

    clock.time += 900_000;
    assert.deepEqual(statuses(await state()), {
      record: [[recordTask, 1]],
      forward: [[forwardTask, 1]],
    }, "15 minutes on: relaying");
    clock.time += 3_600_000;
    const later = await state();
    assert.deepEqual(statuses(later), {
      record: [[recordTask, 2]],
      forward: [[forwardTask, 2]],
    }, "75 minutes on: both ended");
    assert.deepEqual(
      later.channels.map((c: { liveState: number }) => c.liveState),
      [1, 3, 2],
      "the live channel still live, the ban (7 days) still on",
    );
    assert.deepEqual(later.stats, now.stats, "reading the state is no API request");

    const posted = await fetch(`${served.url}/_sim/state`, { method: "POST" });
    assert.equal(posted.status, 404, "the state is read with GET only");
    await posted.body?.cancel();
  } finally {
    await served.close();
  }
});
