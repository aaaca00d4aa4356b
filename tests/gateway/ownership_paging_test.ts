// Issue 29: an `own` key's list page that the gateway could not fill within `maxListPages`
// upstream pages comes back with `x-gateway-partial-page: 1`; the SDK's paginators ask for the
// same page again until the header is gone, so a sparse tenant's walk reaches every object once.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { channel, randomSecret } from "../security/gateway_fixture.ts";
import { tokens, twoTenants } from "../security/tenancy_fixture.ts";

const teamB = { accessKey: "AK_TEAM_B", secretKey: randomSecret("SK_TEAM_B") };

Deno.test("a paginator reaches every channel of one tenant spread thinly over 300 others", async () => {
  const { gateway, create, upstream } = twoTenants({
    maxListPages: 1,
    keys: [
      { name: "team-b", ...teamB, actions: ["*"], rateLimit: false },
      { name: "ops", token: tokens.ops, actions: ["*"], objects: "all", rateLimit: false },
    ],
  });
  const b = sdk.createClient({
    ...teamB,
    endpoint: "http://gw.test",
    fetch: (input, init) => gateway.fetch(new Request(input, init)),
    retries: 0,
  });
  const mine: string[] = [];
  for (let i = 0; i < 300; i++) {
    // One of B's channels among every 50 of the operator's: about one an upstream page of 50.
    if (i % 50 == 25) mine.push((await sdk.createChannel(b, channel)).pullId);
    await create(tokens.ops);
  }
  for (const pageSize of [50, 2]) {
    const before = upstream();
    const seen: string[] = [];
    for await (const item of sdk.paginateChannelList(b, { pageSize, listOrder: 0 })) {
      seen.push(item.pullId);
    }
    assert.equal(new Set(seen).size, seen.length, `pageSize ${pageSize}: no channel twice`);
    assert.deepEqual([...seen].sort(), [...mine].sort(), `pageSize ${pageSize}`);
    // One upstream page a request: the walk read the upstream list (7 pages) about once.
    assert.ok(upstream() - before <= 14, `pageSize ${pageSize}: ${upstream() - before} upstream`);
  }
});
