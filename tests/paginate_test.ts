import assert from "node:assert/strict";
import {
  createClient,
  paginateChannelList,
  paginateDirectoryList,
  paginateForwardTaskList,
  paginatePullChannelList,
  WangsuError,
} from "../mod.ts";
import { envelope, recordingFetch, testCredentials } from "./helpers.ts";

/** A fake list endpoint over `total` items that answers with `shape(pageItems)`. */
function pagedFetch(total: number, shape: (items: Record<string, unknown>[]) => unknown) {
  return recordingFetch(async (request) => {
    const { pageIndex = 1, pageSize = 10 } = await request.json();
    const items = Array.from({ length: total }, (_, i) => ({ id: i + 1 }))
      .slice((pageIndex - 1) * pageSize, pageIndex * pageSize);
    return envelope(shape(items));
  });
}
const channel = (item: Record<string, unknown>) => ({
  pullId: `p${item.id}`,
  channelName: "c",
  channelStatus: 2,
  channelType: "live",
  createTime: "2026-11-24 10:00:00",
  appScenario: "",
  live2vod: "0",
  pushUrl: "rtmp://x",
  srtPushUrl: "srt://x",
  userId: "u",
});
const collect = async <T>(iterator: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const item of iterator) out.push(item);
  return out;
};

Deno.test("paginateChannelList walks pages of 50 and stops at the short one", async () => {
  const fetch = pagedFetch(
    120,
    (items) => ({ channelList: items.map(channel), channelToal: items.length }),
  );
  const client = createClient({ ...testCredentials, fetch });
  const all = await collect(paginateChannelList(client, { listOrder: 1 }));
  assert.deepEqual(all.map((c) => c.pullId), Array.from({ length: 120 }, (_, i) => `p${i + 1}`));
  assert.deepEqual(fetch.bodies.map((b) => JSON.parse(b)), [
    { listOrder: 1, pageIndex: 1, pageSize: 50 },
    { listOrder: 1, pageIndex: 2, pageSize: 50 },
    { listOrder: 1, pageIndex: 3, pageSize: 50 },
  ]);
});

Deno.test("an exact multiple of the page size ends on an empty page", async () => {
  const fetch = pagedFetch(
    20,
    (items) => ({ channelList: items.map(channel), channelToal: items.length }),
  );
  const client = createClient({ ...testCredentials, fetch });
  assert.equal((await collect(paginateChannelList(client, { pageSize: 10 }))).length, 20);
  assert.equal(fetch.requests.length, 3);
});

Deno.test("breaking out of the loop stops fetching", async () => {
  const fetch = pagedFetch(
    500,
    (items) => ({ channelList: items.map(channel), channelToal: items.length }),
  );
  const client = createClient({ ...testCredentials, fetch });
  for await (const item of paginateChannelList(client, { pageSize: 10 })) {
    if (item.pullId == "p15") break;
  }
  assert.equal(fetch.requests.length, 2);
});

Deno.test("paginatePullChannelList reads channelToal sent as a string", async () => {
  const fetch = pagedFetch(7, (items) => ({
    channelToal: String(items.length),
    channelList: items.map((i) => ({
      pullId: `p${i.id}`,
      channelName: "c",
      channelType: "pull",
      sourcePullProtocol: "0",
      sourcePullUrl: "rtmp://o",
      createTime: "t",
      userId: "u",
    })),
  }));
  const client = createClient({ ...testCredentials, fetch });
  assert.equal((await collect(paginatePullChannelList(client, { pageSize: 5 }))).length, 7);
  assert.equal(fetch.requests.length, 2);
});

Deno.test("paginateDirectoryList flattens the page-list shape", async () => {
  const directory = (i: Record<string, unknown>) => ({
    directoryId: `d${i.id}`,
    directoryType: "t",
    firstLevelDirectory: "a",
    secondLevelDirectory: "",
    thirdLevelDirectory: "",
    createTime: "t",
    updateTime: "t",
  });
  const fetch = pagedFetch(
    60,
    (items) => [{ totalCount: 60, directoryList: items.map(directory) }],
  );
  const client = createClient({ ...testCredentials, fetch });
  const all = await collect(paginateDirectoryList(client));
  assert.equal(all.length, 60);
  assert.equal(all[59].directoryId, "d60");
  assert.equal(fetch.requests.length, 2);
});

Deno.test("paginateForwardTaskList accepts the list as an array or, per the spec, an object", async () => {
  const task = (i: Record<string, unknown>) => ({
    taskId: `f${i.id}`,
    pullId: "p1",
    status: "1",
    forwardUrl: "rtmp://r",
    startTime: 1,
    endTime: 2,
    notifyUrl: "",
    createUser: "u",
    crreateTime: 1,
    codingParams: {
      bitrate: 1,
      resolution: "",
      frameRate: 25,
      vcodec: "",
      acodec: "",
      wmimage: "",
      wmposition: "",
    },
  });
  const asArray = pagedFetch(
    3,
    (items) => ({ total: items.length, forwardTastList: items.map(task) }),
  );
  const tasks = await collect(
    paginateForwardTaskList(createClient({ ...testCredentials, fetch: asArray }), {
      pullId: "p1",
      pageSize: 2,
    }),
  );
  assert.deepEqual(tasks.map((t) => [t.taskId, t.status]), [["f1", 1], ["f2", 1], ["f3", 1]]);
  const asObject = pagedFetch(
    1,
    (items) => ({ total: items.length, forwardTastList: task(items[0]) }),
  );
  const single = await collect(
    paginateForwardTaskList(createClient({ ...testCredentials, fetch: asObject })),
  );
  assert.deepEqual(single.map((t) => t.taskId), ["f1"]);
});

Deno.test("a page marked partial by the gateway is asked again, its items yielded once", async () => {
  // The gateway's answers to page 1: found so far (p1), then the full page (p1, p2) unmarked.
  let calls = 0;
  const fetch = recordingFetch(() => {
    calls++;
    return calls == 1
      ? envelope({ channelList: [channel({ id: 1 })] }, { "x-gateway-partial-page": "1" })
      : envelope({ channelList: [channel({ id: 1 }), channel({ id: 2 })] });
  });
  const client = createClient({ ...testCredentials, fetch });
  const all = await collect(paginateChannelList(client, { pageSize: 10 }));
  assert.deepEqual(all.map((c) => c.pullId), ["p1", "p2"]);
  assert.deepEqual(fetch.bodies.map((b) => JSON.parse(b).pageIndex), [1, 1]);
});

Deno.test("a page still partial after 100 repeats is a clear error", async () => {
  const fetch = recordingFetch(() =>
    envelope({ channelList: [] }, { "x-gateway-partial-page": "1" })
  );
  const client = createClient({ ...testCredentials, fetch });
  await assert.rejects(
    collect(paginateChannelList(client, { pageSize: 10, pageIndex: 3 })),
    (error: Error) =>
      error instanceof WangsuError &&
      /^getChannelList: page 3 .*partial.* 101 /.test(error.message),
  );
  assert.equal(fetch.requests.length, 101);
});
