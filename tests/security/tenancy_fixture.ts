// Two tenants on one simulator account, for the tenancy findings: team-a and team-b (`own`
// keys), ops (`all`, admin), each by bearer token; the upstream's requests counted.
import { createGateway, type GatewayOptions } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { createMemoryStore } from "../../src/server/state_store.ts";
import { channel, master, randomSecret } from "./gateway_fixture.ts";
import { countingUpstream } from "../helpers.ts";

/** Bearer tokens of the fixture's keys. */
export const tokens = {
  a: randomSecret("tok-a"),
  b: randomSecret("tok-b"),
  ops: randomSecret("ops"),
};

/** The fixture's gateway and simulator, a bearer call, and the upstream's request count. */
export function twoTenants(options: Partial<GatewayOptions> = {}) {
  const simulator = createSimulator({ credentials: [master], rateLimit: false, callbacks: false });
  const counted = countingUpstream(simulator, master);
  const gateway = createGateway({
    upstream: counted.upstream,
    keys: [
      { name: "team-a", token: tokens.a, actions: ["*"], rateLimit: false },
      { name: "team-b", token: tokens.b, actions: ["*"], rateLimit: false },
      {
        name: "ops",
        token: tokens.ops,
        actions: ["*"],
        objects: "all",
        admin: true,
        rateLimit: false,
      },
    ],
    store: createMemoryStore(),
    accountBudget: false,
    auditLog: false,
    ...options,
  });
  const call = async (token: string, path: string, body: unknown) => {
    const response = await gateway.fetch(
      new Request(`http://gw.test${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    return { status: response.status, headers: response.headers, body: await response.json() };
  };
  const create = async (token: string) =>
    (await call(token, "/live/channelManage/createChannel", channel)).body.data.pullId as string;
  return { simulator, gateway, call, create, upstream: counted.requests };
}
