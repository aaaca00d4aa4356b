// The review's finding: one `own`-key list request read upstream pages until it filled the
// tenant's page: `{pageSize:1, pageIndex:1}` on an account of 300 foreign channels made 301
// upstream requests for one gateway request (one quota unit), draining the account budget of
// every tenant. Now a request reads at most `maxListPages` upstream pages (default 5), at the
// largest page size, each one charged to the key's quota; a page cut short says so.
import assert from "node:assert/strict";
import { tokens, twoTenants } from "./tenancy_fixture.ts";

const LIST = "/live/channelManage/getChannelList";

Deno.test("an own key's list request reads a bounded number of upstream pages", async () => {
  const { call, create, upstream } = twoTenants();
  for (let i = 0; i < 300; i++) await create(tokens.ops);
  const mine = await create(tokens.b); // newest first: B's one channel is on page 1.
  for (const input of [{ pageSize: 1, pageIndex: 2 }, { pageSize: 1, pageIndex: 999_999 }]) {
    const before = upstream();
    const answer = await call(tokens.b, LIST, input);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.ok(
      upstream() - before <= 5,
      `${JSON.stringify(input)}: ${upstream() - before} upstream requests`,
    );
    assert.deepEqual(answer.body.data.channelList, []);
  }
  // A page cut short by the bound says so; B's own channel is found from page 1.
  const first = await call(tokens.b, LIST, { pageSize: 1, pageIndex: 1, listOrder: 0 });
  assert.deepEqual(first.body.data.channelList.map((item: { pullId: string }) => item.pullId), [
    mine,
  ]);
});

Deno.test("a sparse tenant's page cut short by the bound is marked partial", async () => {
  const { call, create, upstream } = twoTenants({ maxListPages: 2 });
  await create(tokens.b); // oldest: beyond the first two upstream pages of 50, newest first.
  for (let i = 0; i < 150; i++) await create(tokens.ops);
  const before = upstream();
  const answer = await call(tokens.b, LIST, { pageSize: 10, pageIndex: 1 });
  assert.equal(upstream() - before, 2);
  assert.equal(answer.headers.get("x-gateway-partial-page"), "1");
  assert.deepEqual(answer.body.data.channelList, []);
  // Asking the same page again continues where the scan stopped, and finds it.
  const again = await call(tokens.b, LIST, { pageSize: 10, pageIndex: 1 });
  assert.equal(again.body.data.channelList.length, 1);
  assert.equal(again.headers.get("x-gateway-partial-page"), null);
});

Deno.test("each upstream page of an own key's list is charged to its quota", async () => {
  const { call, create } = twoTenants({
    keys: [
      {
        name: "team-b",
        token: tokens.b,
        actions: ["*"],
        rateLimit: { limit: 3, windowSeconds: 60 },
      },
      { name: "ops", token: tokens.ops, actions: ["*"], objects: "all", rateLimit: false },
    ],
  });
  for (let i = 0; i < 300; i++) await create(tokens.ops);
  const first = await call(tokens.b, LIST, { pageSize: 10, pageIndex: 1 });
  assert.equal(first.status, 429, "three quota units spent by the first request's pages");
});
