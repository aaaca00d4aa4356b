// The gateway in-process, in front of the simulator: every status it answers, scopes, CORS, the
// OpenAPI document, and full flows with our client and with code that is not ours.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { type AuditEntry, createGateway, type GatewayOptions } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { signRequest } from "../../src/signer.ts";
import { actions } from "../../src/actions/table.ts";
import { moduleGraph, python } from "../helpers.ts";

const master = { accessKey: "AK_MASTER", secretKey: "SK_MASTER_never_leaves_the_gateway" };
const ops = { accessKey: "GW_OPS", secretKey: "gw-ops-secret-0123456789" };
const partner = { accessKey: "GW_PARTNER", secretKey: "gw-partner-secret-0123456789" };
const viewerToken = "viewer-token-0123456789abcdef";
const keys = [
  { name: "ops", ...ops, actions: ["*"], objects: "all" as const },
  { name: "viewer", token: viewerToken, actions: ["read"], objects: "all" as const },
  { name: "partner", ...partner, actions: ["channels", "getChannelLiveState"] },
];

function setup(overrides: Partial<GatewayOptions> = {}, simulatorOptions = {}) {
  const simulator = createSimulator({ credentials: [master], ...simulatorOptions });
  const responses: string[] = [];
  const gateway = createGateway({
    upstream: { ...master, endpoint: "http://upstream.test", fetch: simulator.fetch },
    keys,
    corsOrigins: ["https://dash.example.com"],
    auditLog: false,
    ...overrides,
  });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await gateway.fetch(new Request(input, init));
    const text = await response.clone().text();
    responses.push([...response.headers].join("\n") + text);
    return response;
  };
  const client = (credentials = ops) =>
    sdk.createClient({ ...credentials, endpoint: "http://gw.test", fetch });
  const post = (path: string, body: unknown, headers: HeadersInit = {}) =>
    fetch(`http://gw.test${path}`, {
      method: "POST",
      headers,
      body: typeof body == "string" ? body : JSON.stringify(body),
    });
  const signedPost = async (path: string, body: string, credentials = ops, timestamp?: number) => {
    const url = `http://gw.test${path}`;
    const headers = await signRequest({ method: "POST", url, body }, credentials, { timestamp });
    return fetch(url, { method: "POST", headers, body });
  };
  return { simulator, gateway, client, post, signedPost, fetch, responses };
}

const LIST = "/live/channelManage/getChannelList";
const CREATE = "/live/channelManage/createChannel";
const channel = {
  channelName: "Gateway show",
  channelType: "live",
  pushDomain: "push.example.com",
  pullRate: "0",
};

Deno.test("a full flow through the gateway with a gateway-issued key", async () => {
  const { simulator, client, responses } = setup();
  const caller = client();
  const { pullId } = await sdk.createChannel(caller, channel);
  assert.equal(simulator.store.channels.get(pullId)?.channelName, "Gateway show");
  simulator.startStream(pullId);
  assert.deepEqual(await sdk.getChannelLiveState(caller, { pullId }), { channelState: "1" });
  const conf = await sdk.getChannelConf(caller, { pullId });
  assert.equal(conf.channelStatus, 1);
  const missing = await sdk.getChannelConf(caller, { pullId: "nope" }).catch((e) => e);
  assert.ok(missing instanceof sdk.WangsuApiError);
  assert.equal(missing.code, "ChannelNotFound", "business errors pass through unchanged");
  assert.equal(missing.status, 200);
  for (const text of responses) assert.ok(!text.includes(master.secretKey));
  assert.equal(simulator.stats.requests, 4);
});

Deno.test("the upstream request id is passed back", async () => {
  const { post } = setup();
  const response = await post(LIST, {}, { authorization: `Bearer ${viewerToken}` });
  assert.equal(response.status, 200);
  const upstreamId = response.headers.get("x-cnc-request-id");
  assert.match(upstreamId ?? "", /^[0-9a-f-]{36}$/);
  assert.notEqual(upstreamId, response.headers.get("x-gateway-request-id"));
});

Deno.test("a successful answer is relayed byte for byte, as the service wrote it", async () => {
  // An upstream whose JSON has its own spacing, key order and escapes: re-encoding would change it.
  const text =
    '{ "data": {"channelToal": 0, "channelList": []},\n "code": "200", "message": "\\u6210\\u529f" }';
  const { post } = setup({
    upstream: {
      ...master,
      endpoint: "http://upstream.test",
      fetch: () => Promise.resolve(new Response(text, { headers: { "x-cnc-request-id": "up-1" } })),
    },
  });
  const response = await post(LIST, {}, { authorization: `Bearer ${viewerToken}` });
  assert.equal(response.status, 200);
  assert.equal(await response.text(), text);
  assert.equal(response.headers.get("x-cnc-request-id"), "up-1");
});

Deno.test("a signed caller's body is verified as the gateway reads it, non-ASCII included", async () => {
  const { signedPost, simulator, fetch } = setup();
  const body = JSON.stringify({ ...channel, channelName: "直播 频道 ✓" });
  const created = await signedPost(CREATE, body);
  assert.equal(created.status, 200, await created.clone().text());
  assert.equal(simulator.stats.byAction.createChannel, 1);
  // A signature over these bytes does not pass for other bytes, and nothing more goes upstream.
  const url = `http://gw.test${CREATE}`;
  const headers = await signRequest({ method: "POST", url, body }, ops);
  const tampered = await fetch(url, { method: "POST", headers, body: body.replace("✓", "x") });
  assert.equal(tampered.status, 401);
  assert.equal(simulator.stats.byAction.createChannel, 1);
  assert.equal((await tampered.json()).reason, "bad-signature");
});

Deno.test("every response carries the request id, those not built as JSON replies too", async () => {
  const { fetch } = setup({ page: { assets: () => undefined } });
  for (const path of ["/", LIST, "/healthz", "/nothing"]) {
    const response = await fetch(`http://gw.test${path}`);
    await response.body?.cancel();
    const id = response.headers.get("x-gateway-request-id");
    assert.match(id ?? "", /^[0-9a-f-]{36}$/, path);
    assert.equal(response.headers.get("x-cnc-request-id"), id, path);
  }
});

Deno.test("the page at /: HTML, loaded on first request, its audited size in bytes", async () => {
  const entries: AuditEntry[] = [];
  const { fetch } = setup({
    page: { assets: () => undefined, demo: { token: "demo-token-read-only", stream: () => {} } },
    onAudit: (entry) => entries.push(entry),
  });
  for (let i = 0; i < 2; i++) {
    const response = await fetch("http://gw.test/");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/html; charset=UTF-8");
    assert.equal(response.headers.get("cache-control"), "no-store");
    const bytes = new Uint8Array(await response.arrayBuffer());
    const html = new TextDecoder().decode(bytes);
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /"demo-token-read-only"/, "the demo's token is in the page");
    assert.ok(html.includes("…"), "the page has non-ASCII text, so bytes and characters differ");
    assert.equal(entries.at(-1)?.bytesOut, bytes.length);
  }
});

Deno.test("bearer tokens: read-only scope allows reads and forbids writes", async () => {
  const { post, simulator } = setup();
  const bearer = { authorization: `Bearer ${viewerToken}` };
  const read = await post(LIST, { pageSize: 5 }, bearer);
  assert.equal(read.status, 200);
  assert.deepEqual((await read.json()).data, { channelList: [], channelToal: 0 });
  const write = await post(CREATE, channel, bearer);
  assert.equal(write.status, 403);
  assert.deepEqual(await write.json(), {
    code: 403,
    message: "Key viewer may not call createChannel",
  });
  assert.equal(simulator.stats.byAction.createChannel, undefined, "nothing reached upstream");
});

Deno.test("signed keys: scopes by resource and by action name", async () => {
  const { client } = setup();
  const p = client(partner);
  const { pullId } = await sdk.createChannel(p, channel);
  assert.deepEqual(await sdk.getChannelLiveState(p, { pullId }), { channelState: "2" });
  const refused = await sdk.channelForbidden(p, { pullId }).catch((e) => e);
  assert.ok(refused instanceof sdk.WangsuApiError);
  assert.equal(refused.status, 403);
  assert.equal(refused.code, 403);
  assert.match(refused.message, /Key partner may not call channelForbidden/);
});

Deno.test("401 for every kind of bad or missing credential, each with its reason (an unknown key answered as a bad signature)", async () => {
  const { post, signedPost, simulator } = setup();
  const body = "{}";
  const cases: [string, Promise<Response>][] = [
    ["missing-header", post(LIST, body)],
    ["unknown-token", post(LIST, body, { authorization: "Bearer wrong-token-0123456789" })],
    [
      "malformed",
      post(LIST, body, { authorization: "Basic Zm9vOmJhcg==", "x-cnc-timestamp": "1" }),
    ],
    [
      "bad-signature",
      signedPost(LIST, body, { accessKey: "GW_NOBODY", secretKey: "x".repeat(20) }),
    ],
    ["bad-signature", signedPost(LIST, body, { ...ops, secretKey: "not-the-secret-0123" })],
    ["skew", signedPost(LIST, body, ops, Math.floor(Date.now() / 1000) - 600)],
    ["bad-signature", signedPost(LIST, body, master)],
  ];
  for (const [reason, pending] of cases) {
    const response = await pending;
    assert.equal(response.status, 401, reason);
    const json = await response.json();
    assert.equal(json.reason, reason);
    assert.equal(json.code, 401);
    assert.ok(json.message.length > 5);
  }
  assert.equal(simulator.stats.requests, 0, "nothing reached upstream");
});

Deno.test("a replayed signed request is refused even though the gateway re-signs upstream", async () => {
  const { fetch, simulator } = setup();
  const url = `http://gw.test${CREATE}`;
  const body = JSON.stringify(channel);
  const headers = await signRequest({ method: "POST", url, body }, ops);
  assert.equal((await fetch(url, { method: "POST", headers, body })).status, 200);
  const replay = await fetch(url, { method: "POST", headers, body });
  assert.equal(replay.status, 401);
  assert.equal((await replay.json()).reason, "replay");
  assert.equal(simulator.store.channels.size, 1);
});

Deno.test("400 lists every issue; bad JSON is 400 too; nothing goes upstream", async () => {
  const { post, simulator } = setup();
  const bearer = { authorization: `Bearer ${viewerToken}` };
  const invalid = await post(LIST, { pageSize: 500, listOrder: 3, extra: true }, bearer);
  assert.equal(invalid.status, 400);
  const json = await invalid.json();
  const found = json.issues.map((i: sdk.ValidationIssue) => `${i.path} ${i.rule}`).sort();
  assert.deepEqual(found, ["extra unknown_field", "listOrder picklist", "pageSize max_value"]);
  assert.match(json.message, /pageSize: must be at most 50/);
  const notJson = await post(LIST, "{page", bearer);
  assert.equal(notJson.status, 400);
  assert.equal((await notJson.json()).message, "The body must be JSON");
  assert.equal(simulator.stats.requests, 0);
});

Deno.test("413 for a body over the limit, 404 for unknown paths, 405 for wrong methods", async () => {
  const { post, fetch, simulator } = setup({ maxBodyBytes: 1024 });
  const bearer = { authorization: `Bearer ${viewerToken}` };
  // Without a Content-Length, the body is counted as it is read.
  const big = await post(LIST, { pad: "x".repeat(2000) }, bearer);
  assert.equal(big.status, 413);
  assert.equal((await big.json()).code, 413);
  // With one (as every HTTP/1.1 client sends), the declared length decides, up to the byte.
  const sized = (body: string) =>
    post(LIST, body, { ...bearer, "content-length": `${body.length}` });
  const declared = await sized(JSON.stringify({ pageSize: 10, pad: "x".repeat(1001) }));
  assert.equal(declared.status, 413);
  assert.match((await declared.json()).message, /larger than 1024 bytes/);
  assert.equal(simulator.stats.requests, 0);
  const atLimit = await sized(`{"pageSize":10}${" ".repeat(1024 - 15)}`);
  assert.equal(atLimit.status, 200, await atLimit.clone().text());
  assert.equal(simulator.stats.requests, 1);
  const unknown = await post("/live/channelManage/nothing", {});
  assert.equal(unknown.status, 404);
  const wrong = await fetch(`http://gw.test${LIST}`);
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get("allow"), "POST");
  const health = await fetch("http://gw.test/healthz");
  assert.deepEqual(await health.json(), { ok: true, version: "0.1.0" });
});

Deno.test("upstream timeout is 504, network failure 502, refused master key 502", async () => {
  const bearer = { authorization: `Bearer ${viewerToken}` };
  const slow = setup({}, { faults: { latencyMs: 300 } });
  const slowGateway = createGateway({
    auditLog: false,
    upstream: {
      ...master,
      endpoint: "http://upstream.test",
      fetch: slow.simulator.fetch,
      timeoutMs: 20,
    },
    keys,
  });
  const timedOut = await slowGateway.fetch(
    new Request(`http://gw.test${LIST}`, { method: "POST", headers: bearer, body: "{}" }),
  );
  assert.equal(timedOut.status, 504);
  assert.match((await timedOut.json()).message, /20 ms/);

  const down = createGateway({
    auditLog: false,
    upstream: { ...master, fetch: () => Promise.reject(new TypeError("connection refused")) },
    keys,
  });
  const failed = await down.fetch(
    new Request(`http://gw.test${LIST}`, { method: "POST", headers: bearer, body: "{}" }),
  );
  assert.equal(failed.status, 502);

  const simulator = createSimulator({ credentials: [master] });
  const misconfigured = createGateway({
    auditLog: false,
    upstream: { ...master, secretKey: "SK_wrong", fetch: simulator.fetch },
    keys,
  });
  const refused = await misconfigured.fetch(
    new Request(`http://gw.test${LIST}`, { method: "POST", headers: bearer, body: "{}" }),
  );
  assert.equal(refused.status, 502);
  const json = await refused.json();
  assert.match(json.message, /refused the gateway's credentials/);
  assert.equal(json.upstreamStatus, 462);
});

Deno.test("CORS: preflight for a configured origin, nothing for others", async () => {
  const { fetch } = setup();
  const preflight = await fetch(`http://gw.test${LIST}`, {
    method: "OPTIONS",
    headers: {
      origin: "https://dash.example.com",
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "https://dash.example.com");
  assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /authorization/);
  assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
  const other = await fetch(`http://gw.test${LIST}`, {
    method: "OPTIONS",
    headers: { origin: "https://evil.example.com", "access-control-request-method": "POST" },
  });
  assert.equal(other.headers.get("access-control-allow-origin"), null);
  const actual = await fetch(`http://gw.test${LIST}`, {
    method: "POST",
    headers: { origin: "https://dash.example.com", authorization: `Bearer ${viewerToken}` },
    body: "{}",
  });
  assert.equal(actual.headers.get("access-control-allow-origin"), "https://dash.example.com");
  assert.match(actual.headers.get("access-control-expose-headers") ?? "", /x-cnc-request-id/);
});

Deno.test("the OpenAPI document is generated from the schemas", async () => {
  const { fetch } = setup();
  const doc = await (await fetch("http://gw.test/openapi.json")).json();
  assert.equal(doc.openapi, "3.1.0");
  assert.equal(Object.keys(doc.paths).length, actions.length);
  for (const action of actions) {
    const operation = doc.paths[action.path].post;
    assert.equal(operation.operationId, action.name);
    assert.equal(operation.summary, action.summary);
    const schema = operation.requestBody.content["application/json"].schema;
    assert.equal(schema.type, "object");
    assert.equal(schema.additionalProperties, false);
    const entries = action.input as unknown as {
      entries?: Record<string, { type: string }>;
      pipe?: { entries: Record<string, { type: string }> }[];
    };
    const fields = entries.entries ?? entries.pipe![0].entries;
    assert.deepEqual(Object.keys(schema.properties).sort(), Object.keys(fields).sort());
    assert.deepEqual(
      (schema.required ?? []).sort(),
      Object.keys(fields).filter((name) => fields[name].type != "optional").sort(),
    );
  }
  const pageSize =
    doc.paths[LIST].post.requestBody.content["application/json"].schema.properties.pageSize;
  assert.deepEqual(pageSize, {
    type: "integer",
    minimum: 1,
    maximum: 50,
    description: "Items per page, 1 to 50 (default 10).",
  });
  assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ["bearer", "cncHmac"]);
});

Deno.test("configuration errors name the key and the field", () => {
  const upstream = { ...master };
  const attempt = (bad: unknown[]) => {
    try {
      createGateway({ upstream, keys: bad as GatewayOptions["keys"] });
    } catch (error) {
      assert.ok(error instanceof sdk.WangsuValidationError);
      return error.issues.map((i) => i.message).join("; ");
    }
    assert.fail("accepted a bad configuration");
  };
  assert.match(
    attempt([{ token: "short", actions: ["read"] }]),
    /keys\.0\.token: must be at least 16/,
  );
  assert.match(
    attempt([{ token: viewerToken, actions: ["reed"] }]),
    /keys\.0\.actions\.0: "reed" is no action/,
  );
  assert.match(
    attempt([{ ...ops, actions: ["*"] }, { ...ops, actions: ["read"] }]),
    /keys\.1\.accessKey: configured twice/,
  );
  assert.match(attempt([{ accessKey: "x", actions: ["*"] }]), /keys\.0\.secretKey: is required/);
  assert.match(attempt(["a-token-of-sixteen-chars"]), /keys\.0: must be an object/);
  assert.match(
    attempt([{ token: viewerToken, actions: "read" }]),
    /keys\.0\.actions: must be an array of strings/,
  );
  assert.match(attempt([{ token: viewerToken, actions: [] }]), /keys\.0\.actions: must name at/);
  assert.match(
    attempt([{ token: viewerToken, actions: ["read"], secretKey: "x".repeat(16) }]),
    /keys\.0\.secretKey: is not a field of this kind of key/,
  );
  assert.match(
    attempt([{
      token: viewerToken,
      actions: ["read"],
      rateLimit: { limit: 1.5, windowSeconds: 0 },
    }]),
    /keys\.0\.rateLimit\.limit: must be a whole number; keys\.0\.rateLimit\.windowSeconds: must be at least 1/,
  );
  assert.match(
    attempt([{ ...ops, accessKey: "has space", actions: ["*"] }]),
    /keys\.0\.accessKey: must be 1 to 128 letters/,
  );
});

Deno.test("the vendor-style Python client and node-independent signing work through the gateway", async () => {
  const simulator = createSimulator({ credentials: [master] });
  const gateway = createGateway({
    upstream: { ...master, fetch: simulator.fetch },
    keys,
    auditLog: false,
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, gateway.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    const created = await python(base, ops.accessKey, ops.secretKey, CREATE, {
      ...channel,
      channelName: "经网关",
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const pullId = (created.body.data as { pullId: string }).pullId;
    assert.equal(simulator.store.channels.get(pullId)?.channelName, "经网关");
    const listed = await python(
      base,
      partner.accessKey,
      partner.secretKey,
      LIST,
      { pageSize: 1 },
      "host;content-type;x-cnc-timestamp",
    );
    assert.equal(listed.status, 200);
    const forbidden = await python(
      base,
      partner.accessKey,
      partner.secretKey,
      "/live/channelManage/channelForbidden",
      { pullId },
    );
    assert.equal(forbidden.status, 403);
    const ours = sdk.createClient({ ...ops, endpoint: base });
    assert.equal((await sdk.getChannelList(ours)).channelList.length, 1);
  } finally {
    await server.shutdown();
  }
});

Deno.test("upstream, the gateway retries reads and never sends a write twice", async () => {
  const simulator = createSimulator({
    credentials: [master],
    rateLimit: false,
    faults: { seed: 5, errorRate: 0.3, errorStatuses: [503] },
  });
  const gateway = createGateway({
    auditLog: false,
    upstream: { ...master, fetch: simulator.fetch, retryBaseDelayMs: 1, retryMaxDelayMs: 1 },
    keys,
  });
  const bearer = { authorization: `Bearer ${viewerToken}` };
  let readsOk = 0;
  for (let i = 0; i < 30; i++) {
    const response = await gateway.fetch(
      new Request(`http://gw.test${LIST}`, {
        method: "POST",
        headers: bearer,
        body: `{"pageIndex":${i + 1}}`,
      }),
    );
    if (response.status == 200) readsOk++;
  }
  // Seed 5 fails 11 of the 41 upstream reads; every read succeeds on a retry.
  assert.equal(readsOk, 30, "every read through 30% upstream faults");
  assert.equal(simulator.stats.byAction.getChannelList, 41, "11 reads were retried upstream");

  const client = sdk.createClient({
    ...ops,
    endpoint: "http://gw.test",
    fetch: (input, init) => gateway.fetch(new Request(input, init)),
    retries: 0,
  });
  const statuses: number[] = [];
  for (let i = 0; i < 30; i++) {
    await sdk.createChannel(client, { ...channel, channelName: `w${i}` }).then(
      () => statuses.push(200),
      (error) => statuses.push(error.status),
    );
  }
  // The draws go on from the reads': 9 of the 30 writes meet a fault and are not retried.
  assert.deepEqual(
    statuses.map((status, i) => status == 503 ? i : -1).filter((i) => i >= 0),
    [0, 1, 3, 6, 12, 17, 18, 21, 25],
    "the writes that met a fault",
  );
  assert.deepEqual(new Set(statuses), new Set([200, 503]));
  assert.equal(
    simulator.stats.byAction.createChannel,
    30,
    "one upstream create per caller request",
  );
  assert.equal(simulator.store.channels.size, statuses.filter((s) => s == 200).length);
});

Deno.test("the gateway starts on the catalog: its static graph holds no schema, signer, SHA-256, transport, verifier, callback parser, page markup, counting body limit, webhooks, reconciler or client", async () => {
  const { all, statics } = await moduleGraph(
    new URL("../../src/gateway/mod.ts", import.meta.url),
  );
  assert.ok(statics.some((specifier) => specifier.endsWith("/src/actions/catalog.ts")));
  assert.ok(statics.some((specifier) => specifier.endsWith("/src/gateway/keys.ts")));
  // Each of these is imported by the first request that needs it.
  const lazy =
    /valibot|hono@[^/]*\/(cors|body-limit)|\/src\/(action|transport|signer|signing|sha256|verifier|server\/replay_guard)\.ts|secret_digest|\/src\/actions\/(table\.ts|\w+\/)|callbacks\/parse|console_page|openapi/;
  assert.deepEqual(statics.filter((specifier) => lazy.test(specifier)), []);
  // Nor the outgoing webhooks, the reconciler or the upstream client: their own entries
  // (`@wangsu/sdk/gateway/webhooks`, `@wangsu/sdk/gateway/reconciler`) or the first use load them
  // (the reconciler's option check, `reconciler_settings.ts`, is all that is loaded at start).
  const apart = /\/src\/gateway\/(webhooks\/|reconciler(_entry)?\.ts)|\/src\/client\.ts$/;
  assert.deepEqual(statics.filter((specifier) => apart.test(specifier)), []);
  // ...while every action module is still reachable, on demand.
  const dynamic = all.filter((specifier) => /\/src\/actions\/\w+\/\w+\.ts$/.test(specifier));
  assert.ok(dynamic.length >= actions.length);
});

Deno.test("identical calls in one second go upstream as sent: the signed request id keeps them apart", async () => {
  const clock = () => 1_700_000_000_000;
  const simulator = createSimulator({ credentials: [master], rateLimit: false, now: clock });
  const sent: { body: string; timestamp: string; id: string }[] = [];
  let failNext = false;
  const upstream = (signedHeaders?: string) => ({
    ...master,
    endpoint: "http://upstream.test",
    signedHeaders,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 1,
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      sent.push({
        body: await request.clone().text(),
        timestamp: request.headers.get("x-cnc-timestamp")!,
        id: request.headers.get("x-gateway-request-id")!,
      });
      if (failNext) {
        failNext = false;
        return new Response("{}", { status: 503 });
      }
      return simulator.fetch(request);
    },
  });
  const call = (gateway: { fetch(request: Request): Promise<Response> }) =>
    gateway.fetch(
      new Request(`http://gw.test${LIST}`, {
        method: "POST",
        headers: { authorization: `Bearer ${viewerToken}` },
        body: '{"pageSize":10}',
      }),
    );
  const gateway = createGateway({ auditLog: false, now: clock, upstream: upstream(), keys });
  for (let i = 0; i < 3; i++) assert.equal((await call(gateway)).status, 200);
  assert.deepEqual(sent.map((s) => s.body), Array(3).fill('{"pageSize":10}'));
  assert.deepEqual(sent.map((s) => s.timestamp), Array(3).fill(String(clock() / 1000)));
  assert.equal(new Set(sent.map((s) => s.id)).size, 3);
  assert.equal(simulator.stats.byAction.getChannelList, 3, "the service took each as new");

  // A retry is a new signature: the same id and body, a later second.
  sent.length = 0;
  failNext = true;
  assert.equal((await call(gateway)).status, 200);
  assert.deepEqual(sent.map((s) => s.body), Array(2).fill('{"pageSize":10}'));
  assert.equal(sent[0].id, sent[1].id);
  assert.equal(Number(sent[1].timestamp), Number(sent[0].timestamp) + 1);

  // Without the id signed, identical bodies are varied again, so that no two sign alike.
  sent.length = 0;
  const unsigned = createGateway({
    auditLog: false,
    now: clock,
    upstream: upstream("content-type;host"),
    keys,
  });
  for (let i = 0; i < 2; i++) assert.equal((await call(unsigned)).status, 200);
  assert.equal(sent[0].body, '{"pageSize":10}');
  assert.notEqual(sent[1].body, sent[0].body);
  assert.deepEqual(JSON.parse(sent[1].body), { pageSize: 10 });
});
