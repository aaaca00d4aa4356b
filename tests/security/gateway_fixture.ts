// The gateway in front of the simulator, as the security tests drive it: random-looking caller
// keys, a recording of everything that reached the upstream, and signed or bearer posts.
import { createGateway, type GatewayOptions } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { signRequestSync } from "../../src/signer.ts";

/** A secret no entropy check refuses: 32 random hex digits after a label. */
export const randomSecret = (label: string) =>
  `${label}-${crypto.randomUUID().replaceAll("-", "")}`;

export const master = { accessKey: "AK_MASTER", secretKey: randomSecret("SK_MASTER") };
export const LIST = "/live/channelManage/getChannelList";
export const CREATE = "/live/channelManage/createChannel";
export const channel = {
  channelName: "Security show",
  channelType: "live",
  pushDomain: "push.example.com",
  pullRate: "0",
};

/** A gateway over a fresh simulator; `upstream` counts what reached the service. */
export function securedGateway(overrides: Partial<GatewayOptions> = {}) {
  const simulator = createSimulator({ credentials: [master], rateLimit: false });
  const gateway = createGateway({
    upstream: { ...master, endpoint: "http://upstream.test", fetch: simulator.fetch },
    keys: [],
    auditLog: false,
    ...overrides,
  });
  const post = (path: string, body: string, headers: HeadersInit = {}) =>
    gateway.fetch(new Request(`http://gw.test${path}`, { method: "POST", headers, body }));
  /** Signs as `credentials` at `timestamp` (seconds; now by default) and posts. */
  const signed = (
    path: string,
    body: string,
    credentials: { accessKey: string; secretKey: string },
    timestamp?: number,
  ) => {
    const url = `http://gw.test${path}`;
    const headers = signRequestSync({ method: "POST", url, body }, credentials, { timestamp });
    return { send: () => post(path, body, headers), headers };
  };
  return { simulator, gateway, post, signed };
}
