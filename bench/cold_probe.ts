/**
 * Prints how long one cold start took in this process, ms: an import (`hono`, `mod`), the gateway's
 * import and `createGateway()` (`gateway`), or, with `first`, the same until the first request is
 * answered (`hono-first`: a Hono app with one JSON route; `gateway-first`: a bearer-authenticated
 * `getChannelList` forwarded to an in-process upstream).
 */
const started = performance.now();
const which = Deno.args[0];
const TOKEN = "a-token-of-sixteen-chars";
if (which.startsWith("hono")) {
  const { Hono } = await import("hono");
  const app = new Hono();
  if (which == "hono-first") {
    app.post("/live/channelManage/getChannelList", async (c) => c.json(await c.req.json()));
    const response = await app.fetch(
      new Request("http://gw.test/live/channelManage/getChannelList", {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      }),
    );
    if (response.status != 200) throw new Error(`hono answered ${response.status}`);
  }
} else if (which == "mod") {
  await import("../mod.ts");
} else {
  const { createGateway } = await import("../src/gateway/mod.ts");
  const gateway = createGateway({
    upstream: {
      accessKey: "AK",
      secretKey: "SK",
      fetch: () =>
        Promise.resolve(
          new Response('{"code":200,"message":"ok","data":{"channelToal":0,"list":[]}}', {
            headers: { "content-type": "application/json" },
          }),
        ),
    },
    keys: [{ token: TOKEN, actions: ["read"] }],
    auditLog: false,
  });
  if (which == "gateway-first") {
    const response = await gateway.fetch(
      new Request("http://gw.test/live/channelManage/getChannelList", {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      }),
    );
    if (response.status != 200) throw new Error(`gateway answered ${response.status}`);
  }
}
console.log(performance.now() - started);
