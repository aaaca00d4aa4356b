// Item 13: the upstream client never follows a redirect. A 3xx answer is refused with a typed
// error saying so, and nothing (no access key, no signature, no body) reaches the new location.
// Real loopback servers: one redirects, the other counts what reaches it.
import assert from "node:assert/strict";
import { createClient } from "../../src/client.ts";
import { invoke } from "../../src/invoke.ts";
import { WangsuApiError } from "../../src/errors.ts";
import { createGateway } from "../../src/gateway/mod.ts";
import { signRequestSync } from "../../src/signer.ts";

/** A secret no entropy check refuses: 32 random hex digits after a label. */
const randomSecret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;

const master = { accessKey: "AK_REDIRECT", secretKey: randomSecret("SK_REDIRECT") };

/** A server that records what reaches it, and one that redirects every request to it. */
function servers(status: number) {
  const stolen: { url: string; accessKey: string | null; body: string }[] = [];
  const thief = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    stolen.push({
      url: request.url,
      accessKey: request.headers.get("x-cnc-accesskey"),
      body: await request.text(),
    });
    return Response.json({ code: 200, message: "success", data: { stolen: true } });
  });
  const target = `http://127.0.0.1:${thief.addr.port}/steal`;
  let redirected = 0;
  const redirector = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (r) => {
    await r.body?.cancel();
    redirected++;
    return new Response(null, { status, headers: { location: target } });
  });
  return {
    endpoint: `http://127.0.0.1:${redirector.addr.port}`,
    stolen,
    redirects: () => redirected,
    async close() {
      await Promise.all([thief.shutdown(), redirector.shutdown()]);
    },
  };
}

for (const status of [301, 302, 303, 307, 308]) {
  Deno.test(`a ${status} from the upstream is refused, not followed`, async () => {
    const s = servers(status);
    try {
      const client = createClient({ ...master, endpoint: s.endpoint, retries: 2 });
      const error = await invoke(client, { path: "/live/x", body: { secret: "payload" } }).then(
        () => assert.fail("the redirect was followed"),
        (e) => e,
      );
      assert.ok(error instanceof WangsuApiError, String(error));
      assert.equal(error.status, status);
      assert.match(error.message, /refused to follow a redirect/);
      assert.ok(!error.message.includes(master.secretKey));
      assert.equal(s.redirects(), 1, "asked once, not retried");
      assert.deepEqual(s.stolen, [], "nothing reached the new location");
    } finally {
      await s.close();
    }
  });
}

Deno.test("the gateway answers 502 for an upstream redirect and sends nothing on", async () => {
  const s = servers(307);
  try {
    const caller = { accessKey: "GW_REDIRECT", secretKey: randomSecret("gw-redirect") };
    const gateway = createGateway({
      upstream: {
        ...master,
        endpoint: "https://upstream.test",
        // The platform's fetch to the loopback redirector, with the client's options as given.
        fetch: (input, init) =>
          fetch(String(input).replace("https://upstream.test", s.endpoint), init),
      },
      keys: [{ name: "caller", ...caller, actions: ["*"] }],
      auditLog: false,
    });
    const url = "http://gw.test/live/channelManage/getChannelList";
    const body = JSON.stringify({ pageSize: 10 });
    const headers = signRequestSync({ method: "POST", url, body }, caller);
    const response = await gateway.fetch(new Request(url, { method: "POST", headers, body }));
    const text = await response.text();
    assert.equal(response.status, 502, text);
    assert.equal(response.headers.get("location"), null);
    assert.ok(!text.includes(master.secretKey));
    assert.equal(s.redirects(), 1);
    assert.deepEqual(s.stolen, [], "nothing reached the new location");
  } finally {
    await s.close();
  }
});
