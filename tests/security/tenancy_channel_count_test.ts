// The review's finding: an `own` key's getChannelList answered the account's `channelToal`. Now
// it counts the tenant's channels on the page.
import assert from "node:assert/strict";
import { tokens, twoTenants } from "./tenancy_fixture.ts";

Deno.test("an own key's getChannelList counts its tenant's channels only", async () => {
  const { call, create } = twoTenants();
  for (let i = 0; i < 3; i++) await create(tokens.a);
  await create(tokens.b);
  const page = await call(tokens.b, "/live/channelManage/getChannelList", { pageSize: 10 });
  assert.equal(page.body.data.channelList.length, 1);
  assert.equal(Number(page.body.data.channelToal), 1);
});
