// Gateway variables read through src/gateway/config.ts, each shown to change what the gateway does
// (not only how it is parsed): GATEWAY_CORS_ORIGINS, GATEWAY_MAX_BODY_BYTES and
// GATEWAY_UPSTREAM_TIMEOUT_MS through gatewayOptionsFromEnvironment and
// createGatewayFromEnvironment, against a real upstream on loopback; GATEWAY_REPLAY_SHARDS through
// the Workers entry with a Durable Object namespace that records which objects it is asked for.
// (GATEWAY_PAGE is read by workers/deno.ts alone: tests/workers/deno_page_env_test.ts.)
import assert from "node:assert/strict";
import {
  createGatewayFromEnvironment,
  type GatewayEnvironment,
  gatewayOptionsFromEnvironment,
} from "../../src/gateway/config.ts";
import { createMemoryStore, type StateStore } from "../../src/gateway/mod.ts";
import type { StateObjectNamespace } from "../../src/adapters/cloudflare/durable_object_store.ts";
import { createGatewayWorker } from "../../src/adapters/cloudflare/worker.ts";
import { WangsuValidationError } from "../../src/errors.ts";
import { signRequestSync } from "../../src/signer.ts";
import { createSimulator } from "../../src/simulator/mod.ts";

const secret = () => crypto.randomUUID().replaceAll("-", "");
const master = { accessKey: "AK_ENV_MASTER", secretKey: `SK-${secret()}` };
const signer = { accessKey: "GW_ENV_SIGNER", secretKey: `gw-${secret()}` };
const token = `tok-${secret()}`;
const LIST = "/live/channelManage/getChannelList";
const base: GatewayEnvironment = {
  WANGSU_ACCESS_KEY: master.accessKey,
  WANGSU_SECRET_KEY: master.secretKey,
  GATEWAY_KEYS: JSON.stringify([
    { name: "reader", token, actions: ["read"] },
    { name: "signer", ...signer, actions: ["read"], rateLimit: false },
  ]),
  GATEWAY_AUDIT_LOG: "off",
};

/** The gateway `env` configures (over `fetch` when given), as the entries build it. */
const gatewayOf = (env: GatewayEnvironment, fetch?: typeof globalThis.fetch) =>
  createGatewayFromEnvironment(gatewayOptionsFromEnvironment({ ...base, ...env }, fetch));

/** The configuration error `env` gets, as an operator would read it. */
const refusal = (env: GatewayEnvironment) => {
  try {
    gatewayOf(env);
  } catch (error) {
    assert.ok(error instanceof WangsuValidationError, String(error));
    return error.message;
  }
  assert.fail(`accepted ${JSON.stringify(env)}`);
};

Deno.test("GATEWAY_CORS_ORIGINS: the listed origins (trimmed, blanks dropped) get CORS on the API, no other", async () => {
  const simulator = createSimulator({ credentials: [master], callbacks: false });
  const gateway = gatewayOf(
    { GATEWAY_CORS_ORIGINS: " https://a.example , https://b.example:8443,, " },
    simulator.fetch,
  );
  const preflight = async (origin: string, path = LIST) => {
    const response = await gateway.fetch(
      new Request(`http://gw.test${path}`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      }),
    );
    await response.body?.cancel();
    return response.headers.get("access-control-allow-origin");
  };
  assert.equal(await preflight("https://a.example"), "https://a.example");
  assert.equal(await preflight("https://b.example:8443"), "https://b.example:8443");
  assert.equal(await preflight("https://b.example"), null, "another port is another origin");
  assert.equal(await preflight("https://c.example"), null);
  const read = await gateway.fetch(
    new Request(`http://gw.test${LIST}`, {
      method: "POST",
      headers: { origin: "https://a.example", authorization: `Bearer ${token}` },
      body: "{}",
    }),
  );
  assert.equal(read.status, 200);
  assert.equal(read.headers.get("access-control-allow-origin"), "https://a.example");
  assert.match(read.headers.get("access-control-expose-headers") ?? "", /x-gateway-request-id/);
  await read.body?.cancel();

  const any = gatewayOf({ GATEWAY_CORS_ORIGINS: "*" }, simulator.fetch);
  const anyone = await any.fetch(
    new Request("http://gw.test/healthz", { headers: { origin: "https://c.example" } }),
  );
  assert.equal(anyone.headers.get("access-control-allow-origin"), "*");
  await anyone.body?.cancel();

  const none = gatewayOf({}, simulator.fetch);
  const unset = await none.fetch(
    new Request("http://gw.test/healthz", { headers: { origin: "https://a.example" } }),
  );
  assert.equal(unset.headers.get("access-control-allow-origin"), null, "unset: no CORS");
  await unset.body?.cancel();

  assert.match(
    refusal({ GATEWAY_CORS_ORIGINS: "https://a.example,https://b.example/app" }),
    /GATEWAY_CORS_ORIGINS\.1: "https:\/\/b\.example\/app" is not an origin/,
  );
});

Deno.test("GATEWAY_MAX_BODY_BYTES: a body one byte over is refused (413) before anything else, declared or streamed", async () => {
  const simulator = createSimulator({ credentials: [master], callbacks: false });
  const gateway = gatewayOf({ GATEWAY_MAX_BODY_BYTES: "64" }, simulator.fetch);
  const post = async (size: number, declared: boolean) => {
    const text = `{"listOrder":"${"x".repeat(size - 16)}"}`;
    assert.equal(text.length, size);
    const bytes = new TextEncoder().encode(text);
    const response = await gateway.fetch(
      new Request(`http://gw.test${LIST}`, {
        method: "POST",
        // No credentials: a body within the limit gets as far as authentication (401).
        headers: declared ? { "content-length": String(size) } : {},
        body: declared ? text : new Blob([bytes]).stream(),
        ...(declared ? {} : { duplex: "half" }),
      } as RequestInit),
    );
    return { status: response.status, message: (await response.json()).message };
  };
  for (const declared of [true, false]) {
    assert.equal((await post(64, declared)).status, 401, `64 bytes, declared: ${declared}`);
    assert.deepEqual(await post(65, declared), {
      status: 413,
      message: "The body is larger than 64 bytes",
    }, `65 bytes, declared: ${declared}`);
  }
  assert.equal(simulator.stats.requests, 0);
  for (const value of ["0", "-1", "1.5", "64k"]) {
    assert.match(
      refusal({ GATEWAY_MAX_BODY_BYTES: value }),
      /^Invalid input: GATEWAY_MAX_BODY_BYTES: must be a whole number above 0$/,
      value,
    );
  }
});

Deno.test("GATEWAY_UPSTREAM_TIMEOUT_MS: an upstream that never answers gets a 504 naming the limit", async () => {
  // A real upstream on loopback that holds every request until the gateway gives up on it.
  let arrivals = 0;
  const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    arrivals++;
    return new Promise<Response>((resolve) =>
      request.signal.addEventListener("abort", () => resolve(new Response(null)), { once: true })
    );
  });
  try {
    const gateway = gatewayOf({
      WANGSU_ENDPOINT: `http://127.0.0.1:${upstream.addr.port}`,
      GATEWAY_UPSTREAM_TIMEOUT_MS: "120",
    });
    const response = await gateway.fetch(
      new Request(`http://gw.test${LIST}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: "{}",
      }),
    );
    assert.equal(response.status, 504);
    assert.equal(
      (await response.json()).message,
      "The upstream service did not answer within 120 ms",
    );
    assert.ok(arrivals >= 1, "the request did reach the upstream");
  } finally {
    await upstream.shutdown();
  }
  for (const value of ["0", "soon", "2.5"]) {
    assert.match(
      refusal({ GATEWAY_UPSTREAM_TIMEOUT_MS: value }),
      /^Invalid input: GATEWAY_UPSTREAM_TIMEOUT_MS: must be a whole number above 0$/,
      value,
    );
  }
});

Deno.test("GATEWAY_REPLAY_SHARDS: the Workers entry spreads the replay memory over exactly that many objects", async () => {
  // Its own worker (as workers/cloudflare.ts makes it): a worker keeps the gateway it built.
  const worker = createGatewayWorker();
  const simulator = createSimulator({ credentials: [master], callbacks: false, rateLimit: false });
  const served = await simulator.serve();
  const objects = new Map<string, StateStore>();
  const replayObjects: string[] = [];
  const namespace: StateObjectNamespace = {
    idFromName: (name) => name,
    get(name: never) {
      const object = objects.get(name) ?? createMemoryStore();
      objects.set(name, object);
      return {
        remember(...args: Parameters<StateStore["remember"]>) {
          replayObjects.push(name);
          return object.remember(...args);
        },
        reserve: object.reserve,
      };
    },
  };
  // The bindings as Workers passes them: variables and the namespace side by side.
  const env = {
    ...base,
    WANGSU_ENDPOINT: served.url,
    GATEWAY_REPLAY_SHARDS: "3",
    GATEWAY_STATE: namespace,
  } as unknown as Parameters<typeof worker.fetch>[1];
  try {
    const url = `http://worker.test${LIST}`;
    for (let nonce = 0; nonce < 60; nonce++) {
      const body = "{}";
      const headers = signRequestSync(
        { method: "POST", url, body, headers: { "x-nonce": String(nonce) } },
        signer,
        { signedHeaders: "content-type;host;x-nonce" },
      );
      const response = await worker.fetch(new Request(url, { method: "POST", headers, body }), env);
      assert.equal(response.status, 200, await response.clone().text());
      await response.body?.cancel();
    }
    assert.equal(replayObjects.length, 60, "each signed request asked one replay object");
    assert.deepEqual(
      [...new Set(replayObjects)].sort(),
      ["replay:0", "replay:1", "replay:2"],
      "three objects, and each of them used",
    );
  } finally {
    await served.close();
  }
});
