/**
 * The local demo behind `deno task start` when no credentials are set: the simulator serves as
 * the upstream on its own port, the gateway runs in front of it with freshly generated demo
 * keys, and everything needed to try it is printed. The simulator's callbacks go to the gateway's
 * ingress, so `/events` shows a demo channel going live as soon as its simulated encoder starts.
 *
 * Both ports listen on 127.0.0.1 and answer only to a loopback `Host` (`127.0.0.1`, `localhost`
 * or `[::1]` with their port): a page whose name an attacker re-points at 127.0.0.1 (DNS
 * rebinding) would otherwise be same-origin with the demo and read its token.
 *
 * @module
 */

import { createGateway } from "../src/gateway/mod.ts";
import { createSimulator } from "../src/simulator/mod.ts";
import { createChannel, createClient, setChannelStateRealtimeBack } from "../mod.ts";
import { simulatorConsolePage } from "./console_assets.ts";

const port = Number(Deno.env.get("PORT") ?? 8787);
const hostname = "127.0.0.1";
/** 128 bits from the system's CSPRNG, as hex. */
const random = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0"))
    .join("");

/**
 * `handler`, behind a check of the `Host` header: only the loopback names with the listening
 * port pass; anything else gets a 421 saying where the demo is.
 */
const loopbackOnly = (
  handler: Deno.ServeHandler<Deno.NetAddr>,
): { onListen(address: Deno.NetAddr): void; handler: Deno.ServeHandler<Deno.NetAddr> } => {
  let hosts = new Set<string>();
  let home = "";
  return {
    onListen({ port }) {
      const names = ["127.0.0.1", "localhost", "[::1]"];
      hosts = new Set(names.flatMap((name) => [`${name}:${port}`, ...(port == 80 ? [name] : [])]));
      home = `http://127.0.0.1:${port}`;
    },
    handler(request, info) {
      if (hosts.has(request.headers.get("host")?.toLowerCase() ?? "")) {
        return handler(request, info);
      }
      const message = `This local demo answers only to a loopback Host (127.0.0.1, localhost or ` +
        `[::1] with its port), as a defence against DNS rebinding: open ${home}/`;
      return new Response(JSON.stringify({ code: 421, message }), {
        status: 421,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "cache-control": "no-store",
          "x-content-type-options": "nosniff",
        },
      });
    },
  };
};

const simulator = createSimulator();
// The simulator's own routes (/_sim/...) hold no credentials: served behind the same check.
const simulated = loopbackOnly((request) => simulator.fetch(request));
const upstreamServer = Deno.serve({
  hostname,
  port: port + 1,
  onListen: simulated.onListen,
}, simulated.handler);
const upstream = { url: `http://${hostname}:${upstreamServer.addr.port}` };
// Task callbacks fall due with the clock, not only with requests.
setInterval(simulator.tick, 1000);
const token = `demo-${random()}`;
const pair = { accessKey: `GW_DEMO_${random().slice(0, 8)}`, secretKey: `gw-${random()}` };
const ingress = `cb_${random()}`;
const gateway = createGateway({
  callbacks: { token: ingress, allowFrom: ["127.0.0.1", "::1"] },
  // The page at /: the reference, and the live console with the read-only demo token.
  page: simulatorConsolePage(simulator, token),
  upstream: { ...simulator.credentials[0], endpoint: upstream.url },
  keys: [
    // The operator's own keys: they see the whole account, the demo channel included (a
    // partner's key would keep the default `objects: "own"`).
    { name: "demo-browser", token, actions: ["read"], objects: "all" },
    { name: "demo-service", ...pair, actions: ["*"], objects: "all" },
  ],
  // CORS on the API routes only (the gateway never sends it on / or /_console/...), so that a
  // page of your own on another port can call the demo with the token printed below.
  corsOrigins: ["*"],
  // The MCP endpoint for AI agents at /mcp (printed below).
  mcp: () => import("../src/gateway/mcp/mod.ts"),
});
const guarded = loopbackOnly(gateway.fetch);
const server = Deno.serve({ hostname, port, onListen: guarded.onListen }, guarded.handler);
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

// The command that runs Deno the way this process was started: under `npx -y deno task start`
// (npm's exec sets npm_command) no `deno` is on the PATH, so a printed `deno eval` would fail.
const deno = Deno.env.get("npm_command") == "exec" ? "npx -y deno" : "deno";

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
    ${deno} eval 'import * as w from "./mod.ts"; const c = w.createClient(); console.log(await w.createChannel(c, { channelName: "demo", channelType: "live", pushDomain: "push.example.com", pullRate: "0" }))'

Watch live events (Server-Sent Events), then in another terminal start the demo channel's
simulated encoder: the push.started event arrives at once (stop it with .../stop):
  curl -N ${url}/events -H 'Authorization: Bearer ${token}'
  curl -s -X POST ${upstream.url}/_sim/streams/${pullId}/start

Connect an AI agent over MCP (Streamable HTTP; this token's tools are the read-only actions):
  URL ${url}/mcp  with header  Authorization: Bearer ${token}
  e.g. claude mcp add --transport http wangsu-demo ${url}/mcp --header 'Authorization: Bearer ${token}'

Stop with Ctrl+C.`);
