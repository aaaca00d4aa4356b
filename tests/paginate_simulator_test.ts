// paginatePullChannelList and paginateForwardTaskList against the simulator (tests/paginate_test.ts
// holds the wire-shape cases on fetch doubles): every item once, in the service's order, with the
// filters applied on every page, and exactly as many page requests as the pages need (a last
// full page costs one more, empty, request: the service gives no total).
import assert from "node:assert/strict";
import * as sdk from "../mod.ts";
import { paginateForwardTaskList, paginatePullChannelList } from "../src/paginate.ts";
import { createSimulator } from "../src/simulator/mod.ts";
import { demoChannel, virtualClock } from "./helpers.ts";

const master = { accessKey: "AK_PAGINATE", secretKey: `SK-${crypto.randomUUID()}` };

/** A simulator on a virtual clock, and a client of it. */
function simulated() {
  const clock = virtualClock();
  const simulator = createSimulator({
    credentials: [master],
    now: clock.now,
    rateLimit: false,
    callbacks: false,
  });
  const client = sdk.createClient({ ...master, fetch: simulator.fetch, now: clock.now });
  /** Page requests of `action` made while `run` ran. */
  const pagesOf = async <T>(action: string, run: () => Promise<T>) => {
    const before = simulator.stats.byAction[action] ?? 0;
    const result = await run();
    return { result, pages: (simulator.stats.byAction[action] ?? 0) - before };
  };
  return { clock, simulator, client, pagesOf };
}

const collect = async <T>(items: AsyncIterable<T>) => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};

Deno.test("paginatePullChannelList against the simulator: every pull channel once, in order, page by page", async () => {
  const { clock, client, pagesOf } = simulated();
  await demoChannel(client, undefined, "push-only");
  for (let i = 0; i < 7; i++) {
    await sdk.createPullChannel(client, {
      channelName: `pull-${i}`,
      sourcePullUrl: `rtmp://origin.example.com/live/s${i}`,
      sourcePullProtocol: "0",
      pullDomain: "play.example.com",
      pullProtocol: "0",
      pullRate: "0",
    });
    clock.time += 1_000;
  }
  const names = (channels: { channelName: string }[]) => channels.map((c) => c.channelName);
  const oldest = await pagesOf(
    "getPullChannelList",
    () => collect(paginatePullChannelList(client, { pageSize: 3, listOrder: 1 })),
  );
  assert.deepEqual(names(oldest.result), [0, 1, 2, 3, 4, 5, 6].map((i) => `pull-${i}`));
  assert.equal(oldest.pages, 3, "3 + 3 + 1");
  assert.equal(new Set(oldest.result.map((c) => c.pullId)).size, 7);

  const newest = await pagesOf(
    "getPullChannelList",
    () => collect(paginatePullChannelList(client, { pageSize: 3 })),
  );
  assert.deepEqual(names(newest.result), names(oldest.result).reverse(), "newest first by default");

  const fromPage = await collect(paginatePullChannelList(client, { pageSize: 3, pageIndex: 2 }));
  assert.deepEqual(names(fromPage), names(newest.result).slice(3), "from the second page on");

  const whole = await pagesOf(
    "getPullChannelList",
    () => collect(paginatePullChannelList(client, { pageSize: 7 })),
  );
  assert.equal(whole.result.length, 7);
  assert.equal(whole.pages, 2, "a full last page needs an empty one after it");

  const defaults = await pagesOf(
    "getPullChannelList",
    () => collect(paginatePullChannelList(client)),
  );
  assert.equal(defaults.result.length, 7);
  assert.equal(defaults.pages, 1, "pages of 50 by default");
});

Deno.test("paginateForwardTaskList against the simulator: filters hold on every page; 110 tasks in pages of 50", async () => {
  const { clock, client, pagesOf } = simulated();
  const busy = await demoChannel(client, undefined, "busy");
  const quiet = await demoChannel(client, undefined, "quiet");
  const t0 = Math.floor(clock.time / 1000);
  const started: string[] = [];
  for (let i = 0; i < 110; i++) {
    const { taskId } = await sdk.startForwardTask(client, {
      pullId: busy,
      forwardUrl: `rtmp://relay.example.com/live/k${i}`,
      // Every third starts in an hour: pending (status 0); the others relay now (status 1).
      ...(i % 3 == 0 ? { startTime: t0 + 3_600, endTime: t0 + 7_200 } : {}),
    });
    started.push(taskId);
  }
  for (let i = 0; i < 4; i++) {
    await sdk.startForwardTask(client, { pullId: quiet, forwardUrl: `rtmp://other.example/k${i}` });
  }
  // Ten of the relaying ones are ended (status 2).
  const ended = started.filter((_, i) => i % 3 != 0).slice(0, 10);
  for (const taskId of ended) await sdk.endForwardTask(client, { taskId });

  const all = await pagesOf(
    "getForwardTaskList",
    () => collect(paginateForwardTaskList(client, { pullId: busy })),
  );
  assert.deepEqual(all.result.map((task) => task.taskId), started, "each once, in creation order");
  assert.equal(all.pages, 3, "50 + 50 + 10");
  assert.ok(all.result.every((task) => task.pullId == busy));

  const byStatus = async (status: string) =>
    (await collect(paginateForwardTaskList(client, { pullId: busy, status, pageSize: 8 })))
      .map((task) => task.taskId);
  const pending = started.filter((_, i) => i % 3 == 0);
  assert.deepEqual(await byStatus("0"), pending);
  assert.deepEqual(await byStatus("2"), ended);
  assert.deepEqual(
    await byStatus("0-1"),
    started.filter((taskId) => !ended.includes(taskId)),
    "pending and relaying, across pages of 8",
  );

  const other = await pagesOf(
    "getForwardTaskList",
    () => collect(paginateForwardTaskList(client, { pullId: quiet, pageSize: 2 })),
  );
  assert.equal(other.result.length, 4);
  assert.equal(other.pages, 3, "2 + 2, then an empty page");
  const one = await collect(paginateForwardTaskList(client, { taskId: ended[0] }));
  assert.deepEqual(one.map((task) => [task.taskId, task.status]), [[ended[0], 2]]);
});
