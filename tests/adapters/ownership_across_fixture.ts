// What the two "ownership across instances" tests share (one per platform: Deno KV processes,
// workerd isolates on Durable Objects): an upstream simulator, two tenants' keys, and the scenario
// run through two gateway instances on the same shared state.
import assert from "node:assert/strict";
import { createSimulator } from "../../src/simulator/mod.ts";
import { recordingUpstream } from "../helpers.ts";

const secret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;
const CREATE = "/live/channelManage/createChannel";
const READ = "/live/channelManage/getChannelConfigure";

/**
 * Starts a recording upstream on the simulator; `vars` is a gateway's configuration for it with
 * two tenants' keys, `team-a` and `team-b`.
 */
export function ownershipUpstream() {
  const master = { accessKey: "AK_MASTER", secretKey: secret("SK_MASTER") };
  const tokens = { a: secret("tok-a"), b: secret("tok-b") };
  const simulator = createSimulator({ credentials: [master], rateLimit: false });
  const upstream = recordingUpstream(simulator.fetch);
  const vars = {
    WANGSU_ACCESS_KEY: master.accessKey,
    WANGSU_SECRET_KEY: master.secretKey,
    WANGSU_ENDPOINT: upstream.url,
    GATEWAY_KEYS: JSON.stringify([
      { name: "team-a", token: tokens.a, actions: ["*"], rateLimit: false },
      { name: "team-b", token: tokens.b, actions: ["*"], rateLimit: false },
    ]),
  };
  return { upstream, vars, tokens };
}

/**
 * A channel created by team-a through `one` is refused to team-b through `two` (403 naming it,
 * nothing forwarded) and read by team-a there.
 */
export async function assertOwnershipAcross(
  one: string,
  two: string,
  { upstream, tokens }: ReturnType<typeof ownershipUpstream>,
): Promise<void> {
  const call = async (base: string, token: string, path: string, body: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const created = await call(one, tokens.a, CREATE, {
    channelName: "Show",
    channelType: "live",
    pushDomain: "push.example.com",
    pullRate: "0",
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const pullId = created.body.data.pullId as string;
  const forwarded = upstream.arrivals.length;
  const refused = await call(two, tokens.b, READ, { pullId });
  assert.equal(refused.status, 403, JSON.stringify(refused.body));
  assert.match(refused.body.message, new RegExp(`team-b does not own channel ${pullId}`));
  assert.equal(upstream.arrivals.length, forwarded, "nothing forwarded for the refusal");
  const owner = await call(two, tokens.a, READ, { pullId });
  assert.equal(owner.status, 200, JSON.stringify(owner.body));
  assert.equal(owner.body.data.channelName, "Show");
}
