/**
 * The local demo behind `deno task start` when no credentials are set: the simulator serves as
 * the upstream on its own port, the gateway runs in front of it with freshly generated demo
 * keys, and everything needed to try it is printed. The simulator's callbacks go to the gateway's
 * ingress, so `/events` shows a demo channel going live as soon as its simulated encoder starts.
 *
 * @module
 */

import { createGateway } from "../src/gateway/mod.ts";
import { createSimulator } from "../src/simulator/mod.ts";
import { createChannel, createClient, setChannelStateRealtimeBack } from "../mod.ts";
import { simulatorConsolePage } from "./console_assets.ts";

const port = Number(Deno.env.get("PORT") ?? 8787);
const hostname = "127.0.0.1";
const random = () => crypto.randomUUID().replaceAll("-", "");

const simulator = createSimulator();
const upstream = await simulator.serve({ hostname, port: port + 1 });
const token = `demo-${random()}`;
const pair = { accessKey: `GW_DEMO_${random().slice(0, 8)}`, secretKey: `gw-${random()}` };
const ingress = `cb_${random()}`;
const gateway = createGateway({
  callbacks: { token: ingress, allowFrom: ["127.0.0.1", "::1"] },
  // The page at /: the reference, and the live console with the read-only demo token.
  page: simulatorConsolePage(simulator, token),
  upstream: { ...simulator.credentials[0], endpoint: upstream.url },
  keys: [
    { name: "demo-browser", token, actions: ["read"] },
    { name: "demo-service", ...pair, actions: ["*"] },
  ],
  corsOrigins: ["*"],
});
const server = Deno.serve({ hostname, port, onListen() {} }, gateway.fetch);
const url = `http://${hostname}:${server.addr.port}`;

// A demo channel, and push-state callbacks for its domain sent to the gateway's ingress.
const operator = createClient({ ...simulator.credentials[0], endpoint: upstream.url });
const { pullId } = await createChannel(operator, {
  channelName: "Demo channel",
  channelType: "live",
  pushDomain: "push.example.com",
  pullRate: "0",
});
await setChannelStateRealtimeBack(operator, {
  domainName: "push.example.com",
  notifyUrl: `${url}/callbacks/${ingress}`,
  open: 1,
});

console.log(`Wangsu gateway on ${url}  (open it in a browser: API reference and live console)
  upstream: the embedded simulator at ${upstream.url} (set WANGSU_ACCESS_KEY, WANGSU_SECRET_KEY
  and GATEWAY_KEYS to front the real service instead)

Demo bearer token, read-only actions:
  ${token}
Demo access/secret pair, all actions (CNC-HMAC-SHA256, as the vendor SDKs sign):
  access key ${pair.accessKey}
  secret key ${pair.secretKey}

Try it:
  curl -s -X POST ${url}/live/channelManage/getChannelList -H 'Authorization: Bearer ${token}' -d '{"pageSize":10}'
  curl -s -X POST ${url}/live/channelManage/createChannel -H 'Authorization: Bearer ${token}' -d '{}'   # 403: read-only key
  curl -s ${url}/openapi.json

Call it with the SDK (all actions):
  WANGSU_ENDPOINT=${url} WANGSU_ACCESS_KEY=${pair.accessKey} WANGSU_SECRET_KEY=${pair.secretKey} \\
    deno eval 'import * as w from "./mod.ts"; const c = w.createClient(); console.log(await w.createChannel(c, { channelName: "demo", channelType: "live", pushDomain: "push.example.com", pullRate: "0" }))'

Watch live events (Server-Sent Events), then in another terminal start the demo channel's
simulated encoder: the push.started event arrives at once (stop it with .../stop):
  curl -N ${url}/events -H 'Authorization: Bearer ${token}'
  curl -s -X POST ${upstream.url}/_sim/streams/${pullId}/start

Stop with Ctrl+C.`);
