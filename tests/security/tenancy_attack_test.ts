// The security review's finding: team B deleted team A's channel with a 200. Now B's delete, by
// a signed request and by a bearer one alike, is refused with 403 naming the channel, and nothing
// reaches the service; a list of ids mixing B's own with A's is refused whole, naming A's.
import assert from "node:assert/strict";
import { channel, CREATE, randomSecret, securedGateway } from "./gateway_fixture.ts";

const DELETE = "/live/channelManage/deleteChannel";

Deno.test("team B deletes team A's channel: 403 naming it, nothing forwarded", async () => {
  const teamA = { accessKey: "AK_A", secretKey: randomSecret("SK_A") };
  const teamB = { accessKey: "AK_B", secretKey: randomSecret("SK_B") };
  const tokenB = randomSecret("tok-b");
  const { simulator, signed, post } = securedGateway({
    keys: [
      { name: "team-a", ...teamA, actions: ["*"] },
      { name: "team-b", ...teamB, actions: ["*"] },
      { name: "team-b", token: tokenB, actions: ["*"] },
    ],
    accountBudget: false,
  });
  const made = await signed(CREATE, JSON.stringify(channel), teamA).send();
  const ofA = (await made.json()).data.pullId;
  const ofB = (await (await signed(CREATE, JSON.stringify(channel), teamB).send()).json()).data
    .pullId;
  const bearer = { authorization: `Bearer ${tokenB}`, "content-type": "application/json" };
  for (
    const [how, send] of [
      ["signed", () => signed(DELETE, JSON.stringify({ pullId: ofA }), teamB).send()],
      ["bearer", () => post(DELETE, JSON.stringify({ pullId: ofA }), bearer)],
      ["mixed list", () => post(DELETE, JSON.stringify({ pullId: `${ofB},${ofA}` }), bearer)],
    ] as const
  ) {
    const before = simulator.stats.requests;
    const refused = await send();
    assert.equal(refused.status, 403, how);
    const body = await refused.json();
    assert.equal(body.reason, "not-owned", how);
    assert.equal(body.message, `Key team-b does not own channel ${ofA}`, how);
    assert.equal(simulator.stats.requests, before, `${how}: nothing forwarded`);
  }
  // Both channels are still there: B's own was not deleted by the refused list either.
  assert.equal(simulator.store.channels.has(ofA), true);
  assert.equal(simulator.store.channels.has(ofB), true);
});
