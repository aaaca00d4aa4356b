// Issue 25, item 19: a misconfigured Cloudflare worker (say `wrangler dev` with no secrets) must
// answer every request 503 with a JSON message naming the variables to fix and nothing else (no
// stack, no values), log the error once rather than per request, and not keep a half-built
// gateway: once the configuration is right, it serves. Driven through the worker that the entry
// (workers/cloudflare.ts) exports, in process, with fake bindings (tests/workers/cloudflare_test.ts
// runs the entry in workerd).
import assert from "node:assert/strict";
import { createGatewayWorker } from "../../src/adapters/cloudflare/worker.ts";
import { createSimulator } from "../../src/simulator/mod.ts";

const worker = createGatewayWorker();

type Env = Parameters<typeof worker.fetch>[1];

/** Console output while `run` runs, by method. */
async function capture(run: () => Promise<void>) {
  const lines: { method: string; text: string }[] = [];
  const saved = { error: console.error, warn: console.warn, log: console.log };
  for (const method of ["error", "warn", "log"] as const) {
    console[method] = (...args: unknown[]) =>
      lines.push({
        method,
        text: args.map((arg) => arg instanceof Error ? `${arg.stack}` : String(arg)).join(" "),
      });
  }
  try {
    await run();
  } finally {
    Object.assign(console, saved);
  }
  return lines;
}

const requests = () => [
  new Request("http://worker.test/healthz"),
  new Request("http://worker.test/"),
  new Request("http://worker.test/openapi.json"),
  new Request("http://worker.test/live/channelManage/getChannelList", {
    method: "POST",
    headers: { authorization: "Bearer whatever-token-0123456789" },
    body: "{}",
  }),
  new Request("http://worker.test/events", { method: "HEAD" }),
];

/** Sends every request with `env`; each must be the 503 naming exactly `variables`. */
async function expectMisconfigured(env: Env, variables: string[], values: string[] = []) {
  for (const request of requests()) {
    const response = await worker.fetch(request, env);
    const where = `${request.method} ${new URL(request.url).pathname}`;
    assert.equal(response.status, 503, where);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/, where);
    const text = await response.text();
    if (request.method == "HEAD") continue;
    const body = JSON.parse(text);
    assert.deepEqual(Object.keys(body).sort(), ["code", "message"], text);
    assert.equal(body.code, 503);
    const named = body.message.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? [];
    assert.deepEqual([...new Set(named)].sort(), [...variables].sort(), text);
    assert.doesNotMatch(text, /\bat\s|Error|\.ts\b|\n/, `no stack or error name: ${text}`);
    for (const value of values) assert.ok(!text.includes(value), `no configured value: ${text}`);
  }
}

// Before the test below, which ends with the worker built: the worker keeps a built gateway.
Deno.test("item 19: keys that createGateway refuses are named by their variable, GATEWAY_KEYS", async () => {
  const weak = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  const env = {
    WANGSU_ACCESS_KEY: "AK_MASTER",
    WANGSU_SECRET_KEY: "SK_MASTER_worker_config_0123456789",
    GATEWAY_KEYS: JSON.stringify([{ name: "weak", token: weak, actions: ["read"] }]),
  };
  const lines = await capture(() => expectMisconfigured(env, ["GATEWAY_KEYS"], [weak]));
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.ok(!lines[0].text.includes(weak), "the token is not logged");
});

Deno.test("item 19: a misconfigured worker answers 503 naming the variable, logs once, then serves once fixed", async () => {
  const secret = "SK_MASTER_worker_config_0123456789";
  // No secrets at all, as under `wrangler dev` before `wrangler secret put`.
  const none = await capture(() => expectMisconfigured({}, ["WANGSU_ACCESS_KEY"]));
  assert.equal(none.length, 1, `logged once, not per request: ${JSON.stringify(none)}`);
  assert.equal(none[0].method, "error");
  assert.match(none[0].text, /WANGSU_ACCESS_KEY/);
  assert.doesNotMatch(none[0].text, /\n\s+at /, "the log line is the message, not a stack");

  // The access key set, the secret not: a new error, logged once again.
  const noSecret = await capture(() =>
    expectMisconfigured({ WANGSU_ACCESS_KEY: "AK_MASTER" }, ["WANGSU_SECRET_KEY"])
  );
  assert.equal(noSecret.length, 1, JSON.stringify(noSecret));
  assert.match(noSecret[0].text, /WANGSU_SECRET_KEY/);

  // Keys that are not JSON (a secret among them): named, the value never shown nor logged.
  const keysValue = `[{"token": "${secret}", "actions": ["read"]`;
  const badKeys = await capture(() =>
    expectMisconfigured(
      { WANGSU_ACCESS_KEY: "AK_MASTER", WANGSU_SECRET_KEY: secret, GATEWAY_KEYS: keysValue },
      ["GATEWAY_KEYS"],
      [secret, "AK_MASTER"],
    )
  );
  assert.equal(badKeys.length, 1, JSON.stringify(badKeys));
  assert.ok(!badKeys[0].text.includes(secret), "no secret in the log");

  // Configured: the same isolate now serves (nothing of the failures was kept).
  const simulator = createSimulator({
    credentials: [{ accessKey: "AK_MASTER", secretKey: secret }],
  });
  const upstream = await simulator.serve();
  try {
    const env: Env = {
      WANGSU_ACCESS_KEY: "AK_MASTER",
      WANGSU_SECRET_KEY: secret,
      WANGSU_ENDPOINT: upstream.url,
      GATEWAY_KEYS: JSON.stringify([
        { name: "viewer", token: "viewer-token-worker-config-0123456789", actions: ["read"] },
      ]),
      GATEWAY_AUDIT_LOG: "off",
    };
    const fixed = await capture(async () => {
      const health = await worker.fetch(new Request("http://worker.test/healthz"), env);
      assert.equal(health.status, 200);
      assert.equal((await health.json()).ok, true);
      const listed = await worker.fetch(
        new Request("http://worker.test/live/channelManage/getChannelList", {
          method: "POST",
          headers: { authorization: "Bearer viewer-token-worker-config-0123456789" },
          body: JSON.stringify({ pageSize: 10 }),
        }),
        env,
      );
      assert.equal(listed.status, 200);
      assert.equal((await listed.json()).code, 200);
    });
    assert.ok(fixed.every((line) => line.method == "warn"), JSON.stringify(fixed));
  } finally {
    await upstream.close();
  }
});
