/**
 * A second reference for the gateway benchmark: the least a re-signing proxy must do, with nothing
 * else. Hono routes one path, checks a fixed bearer token, reads and parses the JSON body,
 * re-serialises it, signs it with our synchronous signer, fetches the upstream, reads and parses
 * the answer and relays it. There are no timeouts, retries, schemas, budgets, audit or request ids.
 * Its CPU per request over the bare forwarder's shows how much of the gateway's cost any
 * re-signing proxy pays.
 */
import { Hono } from "hono";
import { signRequestSync } from "../src/signer.ts";

const PATH = "/live/channelManage/getChannelList";
const app = new Hono<{ Bindings: { UPSTREAM: string; TOKEN: string } }>();
app.post(PATH, async (c) => {
  if (c.req.header("authorization") != `Bearer ${c.env.TOKEN}`) return c.text("unknown token", 401);
  const body = JSON.stringify(JSON.parse(await c.req.text()));
  const url = c.env.UPSTREAM + PATH;
  const headers = signRequestSync({ method: "POST", url, body }, {
    accessKey: "AK_PROXY",
    secretKey: "SK_proxy_secret",
  });
  const text = await (await fetch(url, { method: "POST", headers, body })).text();
  JSON.parse(text);
  return new Response(text, { headers: { "content-type": "application/json" } });
});
export default app;
