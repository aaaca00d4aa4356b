/**
 * The worker of `gateway_parts.ts`: each request runs `n` iterations of one part of a gateway
 * request (`?part=…&n=…`) inside the isolate, with no socket and no upstream beyond a `Response`
 * made in the isolate, so that workerd's CPU over the call is that part's cost and nothing else's.
 *
 * @module
 */
import { Hono } from "hono";
import { createGateway } from "../src/gateway/mod.ts";
import { digest, sameBytes } from "../src/gateway/secret_digest.ts";
import { readActionBody } from "../src/action.ts";
import { getChannelListAction } from "../src/actions/channels/get_channel_list.ts";
import { signInto } from "../src/signing.ts";
import { createClient } from "../src/client.ts";
import { send } from "../src/transport.ts";

const PATH = "/live/channelManage/getChannelList";
const BODY = '{"pageSize":10}';
const TOKEN = "bench-token-0123456789abcdef";
const master = { accessKey: "AK_BENCH_MASTER", secretKey: "SK_BENCH_master_secret" };
const envelope = JSON.stringify({
  code: 200,
  message: "ok",
  data: { channelList: [], channelToal: 0 },
});
/** The upstream: an answer made in the isolate. */
const upstream = () =>
  Promise.resolve(
    new Response(envelope, {
      headers: { "content-type": "application/json", "x-cnc-request-id": "upstream-id" },
    }),
  );
/** An incoming bearer request, as the runtime would hand it over. */
const incoming = () =>
  new Request(`http://gw.test${PATH}`, {
    method: "POST",
    body: BODY,
    headers: {
      "content-type": "application/json",
      "content-length": String(BODY.length),
      authorization: `Bearer ${TOKEN}`,
    },
  });

const gateway = createGateway({
  upstream: { ...master, endpoint: "http://upstream.test", fetch: upstream },
  keys: [{ token: TOKEN, actions: ["read"] }],
  accountBudget: { limit: 1_000_000_000, windowSeconds: 1 },
  auditLog: false,
});
const client = createClient({ ...master, endpoint: "http://upstream.test", fetch: upstream });
const app = new Hono();
app.use("*", async (_c, next) => await next());
app.post(PATH, (c) => c.text("ok"));
const url = new URL(`http://upstream.test${PATH}`);
const tokenDigest = digest(TOKEN);

/** Each part, as one iteration. */
const parts: Record<string, (i: number) => unknown> = {
  // Read the body, ask the upstream, relay its answer: what any handler in front of an API does.
  forwarder: async () => {
    const request = incoming();
    await request.text();
    const answer = await upstream();
    return await new Response(await answer.text(), {
      headers: { "content-type": "application/json" },
    }).text();
  },
  gateway: async () => await (await gateway.fetch(incoming())).text(),
  request: () => incoming(),
  hono: async () => await (await app.fetch(incoming())).text(),
  "request id": () => crypto.randomUUID(),
  "bearer check": () => sameBytes(digest(TOKEN), tokenDigest),
  "body check": () => readActionBody(getChannelListAction, BODY),
  signature: (i) =>
    signInto("POST", url, new Headers({ "x-gateway-request-id": `id-${i}` }), BODY, master, {
      signedHeaders: "content-type;host;x-gateway-request-id",
    }),
  transport: async (i) =>
    await send(
      client,
      {
        path: PATH,
        body: { pageSize: 10 },
        headers: { "x-gateway-request-id": `id-${i}` },
        distinct: true,
      },
      "getChannelList",
      true,
    ),
  reply: async () =>
    await new Response(envelope, {
      headers: {
        "x-gateway-request-id": "id",
        "x-cnc-request-id": "upstream-id",
        "content-type": "application/json; charset=utf-8",
      },
    }).text(),
};

export default {
  async fetch(request: Request): Promise<Response> {
    const query = new URL(request.url).searchParams;
    const part = parts[query.get("part") ?? ""];
    if (!part) return new Response(`parts: ${Object.keys(parts).join(", ")}`, { status: 404 });
    const n = Number(query.get("n"));
    for (let i = 0; i < n; i++) await part(i);
    return new Response("done");
  },
};
