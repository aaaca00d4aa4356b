// A live-streaming day, end to end: the real client, over a real loopback socket, against the
// simulator, with one clock shared by both so that recordings can run for simulated hours.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";

const START = Date.UTC(2026, 10, 24, 2, 0, 0); // 10:00 China time
const MINUTE = 60_000;

/** A simulator and a client sharing one clock that the test moves by hand. */
const timed = () => {
  const clock = { time: START };
  const simulator = createSimulator({ now: () => clock.time });
  const client = sdk.createClient({
    ...simulator.credentials[0],
    fetch: simulator.fetch,
    now: () => clock.time,
  });
  return { simulator, client, clock };
};

Deno.test("a live-streaming day, over a loopback socket", async () => {
  const clock = { time: START };
  const received: string[] = [];
  const simulator = createSimulator({
    now: () => clock.time,
    callbacks: {
      fetch: (request) => (received.push(request.url), Promise.resolve(new Response())),
    },
  });
  const served = await simulator.serve();
  const requestIds: string[] = [];
  const client = sdk.createClient({
    ...simulator.credentials[0],
    endpoint: served.url,
    now: () => clock.time,
    onResponse: (info) => info.requestId && requestIds.push(info.requestId),
  });
  const control = async (pullId: string, event: "start" | "stop") => {
    const response = await fetch(`${served.url}/_sim/streams/${pullId}/${event}`, {
      method: "POST",
    });
    return { status: response.status, body: await response.json() };
  };
  try {
    // Morning: a directory for the recordings, and a channel that records into it.
    const directory = await sdk.directoryCreate(client, {
      directoryType: "launch_day",
      firstLevelDirectory: "events",
      secondLevelDirectory: "2026",
    });
    assert.equal(directory.directoryType, "launch_day");
    assert.equal(directory.createTime, "2026-11-24 10:00:00");
    assert.deepEqual(
      await sdk.getDirectory(client, { directoryId: directory.directoryId }),
      directory,
    );

    const created = await sdk.createChannel(client, {
      channelName: "Launch event",
      channelType: "live",
      pushDomain: "push.example.com",
      pullProtocol: "0,1,2",
      pullRate: "0,2",
      directoryId: directory.directoryId,
    });
    assert.match(created.pullId, /^[0-9a-f]{20}$/);
    assert.equal(created.createTime, "2026-11-24 10:00:00");
    const { pullId } = created;

    const conf = await sdk.getChannelConf(client, { pullId });
    assert.equal(conf.channelName, "Launch event");
    assert.equal(conf.channelStatus, 2);
    assert.equal(conf.directoryId, directory.directoryId);
    const pushUrl = conf.pushConfigureInfo[0].pushUrl;
    assert.match(pushUrl, /^rtmp:\/\/push\.example\.com\/live\/[0-9a-f]{12}$/);
    assert.deepEqual(conf.pullConfigureList.map((p) => p.pullProtocol), ["0", "1", "2"]);
    const hls = conf.pullConfigureList[2].pullUrlList[0];
    assert.match(
      hls.originPullUrl,
      /^http:\/\/play\.example\.com\/live\/[0-9a-f]{12}\/playlist\.m3u8$/,
    );
    assert.equal(hls.fluentPullUrl, "", "rate 1 was not chosen");
    assert.match(hls.sdPullUrl, /_sd\/playlist\.m3u8$/);

    // Notifications for the push domain, then the encoder goes on air.
    assert.deepEqual(
      await sdk.setChannelStateRealtimeBack(client, {
        domainName: "push.example.com",
        notifyUrl: "https://hooks.example.com/state",
        open: 1,
      }),
      {},
    );
    assert.deepEqual((await control(pullId, "start")).body.data, { pullId, channelState: "1" });
    assert.deepEqual(await sdk.getChannelLiveState(client, { pullId }), { channelState: "1" });
    assert.deepEqual(await sdk.batchChannelLiveState(client, { pullIds: pullId }), [
      { channelStatus: "1", pullId },
    ]);
    const listed = await sdk.getChannelList(client, {});
    assert.equal(listed.channelToal, 1);
    assert.equal(listed.channelList[0].channelStatus, 1);
    assert.equal(listed.channelList[0].pushUrl, pushUrl);
    assert.equal(simulator.notifications.length, 1);
    assert.match(simulator.notifications[0].url, /action=publish&pullId=/);

    // Record it: a task made safe to retry by its transNo.
    const transNo = "launch-0001";
    const task = await sdk.createRecordTask(client, {
      pullId,
      transNo,
      quickStart: true,
      endTime: (clock.time + 60 * MINUTE) / 1000,
    });
    clock.time += 1000; // a retry comes later: an identical signed request would be a replay
    const again = await sdk.createRecordTask(client, {
      pullId,
      transNo,
      quickStart: true,
      endTime: (clock.time + 60 * MINUTE) / 1000,
    });
    assert.equal(again.taskId, task.taskId, "the same transNo gives the same task");
    const running = await sdk.recordTaskQuery(client, { taskId: task.taskId });
    assert.deepEqual(running, { status: 1, transNo, taskId: task.taskId, fileList: [] });
    await assert.rejects(
      sdk.createRecordTask(client, {
        pullId,
        quickStart: true,
        endTime: (clock.time + 5 * MINUTE) / 1000,
      }),
      (e) => e instanceof sdk.WangsuApiError && e.code == "RecordTaskExists",
    );

    // Relay it to a partner for the same hour.
    const relay = await sdk.startForwardTask(client, {
      pullId,
      forwardUrl: "rtmp://partner.example.com/live/k1",
      endTime: (clock.time + 60 * MINUTE) / 1000,
      codingParams: '{"bitrate":1200,"resolution":"1280x720"}',
    });
    const [relaying] = (await sdk.getForwardTaskList(client, { pullId })).forwardTastList;
    assert.equal(relaying.taskId, relay.taskId);
    assert.equal(relaying.status, 1);
    assert.equal(relaying.codingParams.bitrate, 1200);
    assert.equal(relaying.endTime, (START + 1000 + 60 * MINUTE) / 1000);

    // Twenty minutes later: stop recording and relaying; the file is there.
    clock.time += 20 * MINUTE;
    assert.deepEqual(await sdk.endRecordTask(client, { taskId: task.taskId }), {});
    const finished = await sdk.recordTaskQuery(client, { transNo });
    assert.equal(finished.status, 3);
    assert.equal(finished.fileList.length, 1);
    const [file] = finished.fileList;
    assert.equal(file.videoDuration, "1201");
    assert.equal(file.startTime, "2026-11-24 10:00:00");
    assert.equal(file.endTime, "2026-11-24 10:20:01");
    assert.match(file.fileUrl, new RegExp(`/events/2026/${pullId}-20261124100000\\.mp4$`));
    const videos = await sdk.getRecordFileInfo(client, { pullIds: pullId });
    assert.deepEqual(videos.map((v) => [v.videoId, v.videoDuration, v.startTime]), [
      [file.videoId, 1201, START / 1000],
    ]);
    assert.equal(await sdk.endForwardTask(client, { taskId: relay.taskId }), "");
    const [ended] = (await sdk.getForwardTaskList(client, { taskId: relay.taskId, status: "2" }))
      .forwardTastList;
    assert.equal(ended.status, 2);

    // Trouble: ban the channel; pushes are refused until it is re-opened.
    assert.equal(await sdk.channelForbidden(client, { pullId }), "");
    assert.deepEqual(await sdk.getChannelLiveState(client, { pullId }), { channelState: "3" });
    const refused = await control(pullId, "start");
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "ChannelBanned");
    assert.equal(await sdk.channelReBrodcast(client, { pullId }), "");
    assert.deepEqual(await sdk.getChannelLiveState(client, { pullId }), { channelState: "2" });
    assert.equal((await control(pullId, "start")).status, 200);

    // Cut the stream; it is idle until the encoder pushes again.
    assert.equal(await sdk.disconnectStream(client, { pullId }), "");
    assert.deepEqual(await sdk.getChannelLiveState(client, { pullId }), { channelState: "2" });
    const sent = received.map((url) => new URL(url).searchParams);
    assert.deepEqual(
      sent.map((query) => `${query.get("action")} ${query.get("reason") ?? ""}`.trim()),
      [
        "publish",
        "publish_done forbid",
        "forbid",
        "resume",
        "publish",
        "publish_done disconnect",
      ],
    );
    assert.ok(sent.every((query) => query.get("pullId") == pullId));
    assert.ok(simulator.notifications.every((n) => n.state == "delivered"));

    // Play codes, share page and anti-leech URLs.
    const code = await sdk.getSinglePullCode(client, {
      pullId,
      playerSize: "1280*720",
      codeType: "0",
    });
    assert.equal(code.pullId, pullId);
    assert.equal(code.videoUrl.length, 3);
    assert.match(code.swfCode, /width="1280" height="720"/);
    assert.equal(
      await sdk.getChannelShareUrl(client, { pullId }),
      `https://share.sim.example/live/${pullId}`,
    );
    const signedPush = await sdk.setPushTsatc(client, { pullId, effectiveHourLong: "3600" });
    assert.match(
      signedPush.pushUrl,
      new RegExp(`^${pushUrl}\\?wsSecret=[0-9a-f]{32}&wsTime=[0-9a-f]+$`),
    );
    const wsTime = parseInt(
      new URL(signedPush.pushUrl.replace("rtmp:", "http:")).searchParams.get("wsTime")!,
      16,
    );
    assert.equal(wsTime, clock.time / 1000 + 3600);
    const signedPull = await sdk.setPullTsatc(client, { pullId, effectiveHourLong: "600" });
    assert.equal(signedPull.length, 3);
    assert.match(signedPull[0].originPullUrl, /^rtmp:\/\/play\.example\.com\/.*\?wsSecret=/);

    // Edit: a new name and a new push id.
    const edited = await sdk.channelEdit(client, {
      pullId,
      channelName: "Launch (replay)",
      resetPushId: "1",
    });
    assert.equal(edited.channelName, "Launch (replay)");
    assert.notEqual(edited.pushUrl, pushUrl);
    assert.equal(
      (await sdk.getChannelConf(client, { pullId })).pushConfigureInfo[0].pushUrl,
      edited.pushUrl,
    );

    // Evening: delete it.
    assert.equal(await sdk.deleteChannel(client, { pullId }), pullId);
    const gone = await sdk.getChannelConf(client, { pullId }).catch((e) => e);
    assert.ok(gone instanceof sdk.WangsuApiError);
    assert.equal(gone.code, "ChannelNotFound");
    assert.equal(gone.status, 200);
    assert.match(gone.requestId ?? "", /^[0-9a-f-]{36}$/);
    assert.equal(
      new Set(requestIds).size,
      requestIds.length,
      "every response has its own request id",
    );
  } finally {
    await served.close();
  }
});

Deno.test("pull-mode channels and directory pages", async () => {
  const simulator = createSimulator();
  const client = sdk.createClient({ ...simulator.credentials[0], fetch: simulator.fetch });
  const { pullId } = await sdk.createPullChannel(client, {
    channelName: "Relay of origin",
    sourcePullUrl: "rtmp://origin.example.com/live/s1",
    sourcePullProtocol: "0",
    pullDomain: "play.example.com",
    pullProtocol: "0,2",
    pullRate: "0,1",
  });
  assert.deepEqual(
    await sdk.editPullChannel(client, {
      pullId,
      sourcePullUrl: "rtmp://origin2.example.com/live/s1",
    }),
    {},
  );
  const conf = await sdk.getPullChannelConfigure(client, { pullId });
  assert.equal(conf.channelName, "Relay of origin");
  assert.equal(
    conf.sourcePullConfigureInfoList[0].sourcePullUrl,
    "rtmp://origin2.example.com/live/s1",
  );
  assert.deepEqual(
    conf.sourcePullConfigureInfoList[0].pullConfigureList.map((p) => p.pullProtocol),
    ["0", "2"],
  );
  const list = await sdk.getPullChannelList(client, {});
  assert.equal(list.channelToal, "1");
  assert.equal(list.channelList[0].pullId, pullId);
  const wrongMode = await sdk.getChannelConf(client, { pullId }).catch((e) => e);
  assert.equal(wrongMode.code, "WrongChannelMode");

  for (let i = 0; i < 12; i++) {
    await sdk.directoryCreate(client, {
      directoryType: `d${i}`,
      firstLevelDirectory: `level-${i}`,
    });
  }
  const [firstPage] = await sdk.getDirectoryList(client, { pageSize: 5 });
  assert.equal(firstPage.totalCount, 12);
  assert.equal(firstPage.directoryList.length, 5);
  const all = [];
  for await (const directory of sdk.paginateDirectoryList(client, { pageSize: 5 })) {
    all.push(directory);
  }
  assert.deepEqual(all.map((d) => d.directoryType), Array.from({ length: 12 }, (_, i) => `d${i}`));
  const duplicate = await sdk.directoryCreate(client, {
    directoryType: "d0",
    firstLevelDirectory: "x",
  })
    .catch((e) => e);
  assert.equal(duplicate.code, "DirectoryTypeExists");
});

Deno.test("channel lists page and order by creation, as the notes describe", async () => {
  const { client, clock } = timed();
  const ids = [];
  for (let i = 0; i < 23; i++) {
    clock.time += 1000;
    ids.push(
      (await sdk.createChannel(client, {
        channelName: `c${i}`,
        channelType: "live",
        pushDomain: "push.example.com",
        pullRate: "0",
        appScenario: i % 2 ? "odd" : "even",
      })).pullId,
    );
  }
  const newest = await sdk.getChannelList(client, { pageSize: 10 });
  assert.equal(newest.channelToal, 10);
  assert.equal(newest.channelList[0].pullId, ids[22]);
  const oldest = await sdk.getChannelList(client, { pageSize: 10, listOrder: 1, pageIndex: 3 });
  assert.deepEqual(oldest.channelList.map((c) => c.pullId), ids.slice(20));
  assert.equal(oldest.channelToal, 3, "channelToal counts the current page only");
  const odd = [];
  for await (
    const channel of sdk.paginateChannelList(client, { appScenario: "odd", listOrder: 1 })
  ) {
    odd.push(channel.pullId);
  }
  assert.deepEqual(odd, ids.filter((_, i) => i % 2));
  const states = await sdk.batchChannelLiveState(client, { pullIds: "" });
  assert.equal(states.length, 23);
});

Deno.test("scheduled recordings follow the clock and produce files only when over", async () => {
  const { simulator, client, clock } = timed();
  const { pullId } = await sdk.createChannel(client, {
    channelName: "scheduled",
    channelType: "live",
    pushDomain: "push.example.com",
    pullRate: "0",
  });
  const { taskId } = await sdk.createRecordTask(client, {
    pullId,
    quickStart: false,
    startTime: (clock.time + 10 * MINUTE) / 1000,
    endTime: (clock.time + 40 * MINUTE) / 1000,
    fileType: "flv",
  });
  assert.equal((await sdk.recordTaskQuery(client, { taskId })).status, 0);
  simulator.startStream(pullId);
  clock.time += 15 * MINUTE;
  assert.equal((await sdk.recordTaskQuery(client, { taskId })).status, 1);
  simulator.stopStream(pullId);
  clock.time += 5 * MINUTE;
  simulator.startStream(pullId);
  clock.time += 30 * MINUTE;
  const done = await sdk.recordTaskQuery(client, { taskId });
  assert.equal(done.status, 2);
  assert.deepEqual(done.fileList.map((f) => [f.videoDuration, f.fileName.slice(-8)]), [
    ["300", "1000.flv"],
    ["1200", "2000.flv"],
  ]);
  const past = await sdk.createRecordTask(client, {
    pullId,
    quickStart: false,
    startTime: (clock.time - MINUTE) / 1000,
    endTime: (clock.time + MINUTE) / 1000,
  }).catch((e) => e);
  assert.equal(past.code, "InvalidParameter");
  assert.match(past.message, /startTime must be a later minute than now/);
});
