// Every answer of an action route, byte for byte: status, body text and the whole header set
// (request ids aside, which are fresh per request). Written against the gateway before its
// request became a list of steps (issue 28), so that the steps keep each answer as it was.
import assert from "node:assert/strict";
import { createGateway, createMemoryStore, type GatewayOptions } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { signRequestSync } from "../../src/signer.ts";
import { virtualClock } from "../helpers.ts";

const secret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;
const master = { accessKey: "AK_ANSWERS_MASTER", secretKey: secret("SK") };
const ops = { accessKey: "GW_ANSWERS_OPS", secretKey: secret("gw-ops") };
const viewer = secret("viewer");
const partner = secret("partner");
const LIST = "/live/channelManage/getChannelList";
const CREATE = "/live/channelManage/createChannel";
const JSON_TYPE = "application/json; charset=utf-8";

/** A gateway on a fixed clock, over the simulator or over `fetch`. */
function setup(overrides: Partial<GatewayOptions> = {}, fetch?: typeof globalThis.fetch) {
  const clock = virtualClock();
  const simulator = createSimulator({ credentials: [master], rateLimit: false, now: clock.now });
  const gateway = createGateway({
    now: clock.now,
    upstream: {
      ...master,
      endpoint: "http://upstream.test",
      fetch: fetch ?? simulator.fetch,
      retries: 0,
    },
    keys: [
      { name: "ops", ...ops, actions: ["*"], rateLimit: false, objects: "all" },
      { name: "viewer", token: viewer, actions: ["read"], rateLimit: false, objects: "all" },
      {
        name: "partner",
        token: partner,
        actions: ["read"],
        rateLimit: { limit: 1, windowSeconds: 60 },
      },
    ],
    accountBudget: false,
    auditLog: false,
    ...overrides,
  });
  const post = (path: string, body: string, headers: HeadersInit = {}) =>
    gateway.fetch(new Request(`http://gw.test${path}`, { method: "POST", headers, body }));
  const bearer = (token: string, body = "{}", path = LIST) =>
    post(path, body, { authorization: `Bearer ${token}` });
  /** The same signed request, to send as often as asked. */
  const signed = (body = "{}", path = LIST) => {
    const headers = signRequestSync(
      { method: "POST", url: `http://gw.test${path}`, body },
      ops,
      { timestamp: Math.floor(clock.now() / 1000) },
    );
    return () => post(path, body, headers);
  };
  return { gateway, post, bearer, signed };
}

/** A response as compared: status, body text, and every header (request ids checked apart). */
async function seen(response: Response) {
  const id = response.headers.get("x-gateway-request-id");
  assert.match(id ?? "", /^[0-9a-f-]{36}$/, "a gateway request id");
  const headers = [...response.headers].filter(([name]) =>
    name != "x-gateway-request-id" &&
    !(name == "x-cnc-request-id" && response.headers.get(name) == id)
  );
  return { status: response.status, body: await response.text(), headers };
}

/** An error answer as the gateway writes it: its JSON body, and its headers besides the type. */
const expected = (
  status: number,
  body: Record<string, unknown>,
  headers: [string, string][] = [],
) => ({
  status,
  body: JSON.stringify(body),
  headers: [["content-type", JSON_TYPE] as [string, string], ...headers].sort(),
});

Deno.test("answers: authentication, scope and body refusals", async () => {
  const { post, bearer, signed } = setup();
  assert.deepEqual(
    await seen(await post(LIST, "{}")),
    expected(401, {
      code: 401,
      message: "Send a gateway-issued CNC-HMAC-SHA256 signature or a bearer token",
      reason: "missing-header",
    }),
  );
  assert.deepEqual(
    await seen(await bearer(secret("nobody"))),
    expected(401, { code: 401, message: "Unknown bearer token", reason: "unknown-token" }),
  );
  assert.deepEqual(
    await seen(await bearer(viewer, "{}", CREATE)),
    expected(403, { code: 403, message: "Key viewer may not call createChannel" }),
  );
  assert.deepEqual(
    await seen(await bearer(viewer, "not json")),
    expected(400, { code: 400, message: "The body must be JSON" }),
  );
  assert.deepEqual(
    await seen(await bearer(viewer, "[]")),
    expected(400, { code: 400, message: "The body must be a JSON object" }),
  );
  const invalid = await seen(await bearer(viewer, JSON.stringify({ pageSize: "seven" })));
  const { code, message, issues } = JSON.parse(invalid.body);
  assert.deepEqual([invalid.status, code], [400, 400]);
  assert.deepEqual(Object.keys(JSON.parse(invalid.body)), ["code", "message", "issues"]);
  assert.match(message, /pageSize/);
  assert.equal(issues[0].path, "pageSize");
  assert.deepEqual(invalid.headers, [["content-type", JSON_TYPE]]);

  const again = signed();
  assert.equal((await again()).status, 200);
  assert.deepEqual(
    await seen(await again()),
    expected(401, {
      code: 401,
      message: "This signed request was already received; sign each attempt anew",
      reason: "replay",
    }),
  );
});

Deno.test("answers: bodies over the limit, with a declared length or counted", async () => {
  const { gateway } = setup({ maxBodyBytes: 16 });
  const big = JSON.stringify({ pageSize: 10, pageIndex: 1 });
  const tooLarge = expected(413, { code: 413, message: "The body is larger than 16 bytes" });
  const declared = new Request(`http://gw.test${LIST}`, {
    method: "POST",
    headers: { authorization: `Bearer ${viewer}` },
    body: big,
  });
  assert.deepEqual(await seen(await gateway.fetch(declared)), tooLarge);
  const streamed = new Request(`http://gw.test${LIST}`, {
    method: "POST",
    headers: { authorization: `Bearer ${viewer}` },
    body: ReadableStream.from([new TextEncoder().encode(big)]),
  });
  assert.equal(streamed.headers.get("content-length"), null);
  assert.deepEqual(await seen(await gateway.fetch(streamed)), tooLarge);
});

Deno.test("answers: quota, budget and shared-state refusals", async () => {
  const quota = setup();
  assert.equal((await quota.bearer(partner)).status, 200);
  assert.deepEqual(
    await seen(await quota.bearer(partner)),
    expected(429, {
      code: 429,
      message: "Key partner is over its quota of 1 requests per 60 s; retry in 60 s",
    }, [["retry-after", "60"]]),
  );

  const budget = setup({
    accountBudget: { limit: 1, windowSeconds: 30, maxWaitMs: 0, marginMs: 0 },
  });
  assert.equal((await budget.bearer(viewer)).status, 200);
  assert.deepEqual(
    await seen(await budget.bearer(viewer)),
    expected(429, {
      code: 429,
      message: "The account's upstream budget of 1 requests per 30 s is used up; retry in 30 s",
    }, [["retry-after", "30"]]),
  );

  const failing = (which: "reserve" | "remember") => ({
    ...createMemoryStore(),
    [which]: () => Promise.reject(new Error("Durable Object reset")),
  });
  const unavailable = expected(503, {
    code: 503,
    message: "The gateway's shared state is unavailable, so nothing was forwarded; " +
      "try again shortly",
  }, [["retry-after", "1"]]);
  assert.deepEqual(
    await seen(await setup({ store: failing("reserve") }).bearer(partner)),
    unavailable,
  );
  assert.deepEqual(
    await seen(
      await setup({ store: failing("reserve"), accountBudget: { limit: 9, windowSeconds: 9 } })
        .bearer(viewer),
    ),
    unavailable,
  );
  const replay = await seen(await setup({ store: failing("remember") }).signed()());
  assert.equal(replay.status, 503);
  assert.deepEqual(replay.headers, expected(503, {}, [["retry-after", "1"]]).headers);
  assert.deepEqual(Object.keys(JSON.parse(replay.body)), ["code", "message", "reason"]);
  assert.equal(JSON.parse(replay.body).reason, "replay-check-unavailable");

  const broken = setup({
    store: {
      ...createMemoryStore(),
      reserve: () => {
        throw new Error("a bug");
      },
    },
  });
  const error = console.error;
  console.error = () => {};
  try {
    assert.deepEqual(
      await seen(await broken.bearer(partner)),
      expected(500, {
        code: 500,
        message: "Internal error; the request id identifies it in the gateway's log",
      }),
    );
  } finally {
    console.error = error;
  }
});

Deno.test("answers: the service's own answers and the upstream's failures", async () => {
  const upstreamId = crypto.randomUUID();
  const answering = (status: number, body: string, headers: Record<string, string> = {}) =>
    setup({}, () =>
      Promise.resolve(
        new Response(body, {
          status,
          headers: {
            "content-type": "application/json",
            "x-cnc-request-id": upstreamId,
            ...headers,
          },
        }),
      ));
  const ok = JSON.stringify({ code: 200, message: "success", data: { total: 0 } });
  assert.deepEqual(await seen(await answering(200, ok).bearer(viewer)), {
    status: 200,
    body: ok,
    headers: [["content-type", JSON_TYPE], ["x-cnc-request-id", upstreamId]],
  });
  const refused = JSON.stringify({ code: 400, message: "pageSize is wrong" });
  assert.deepEqual(await seen(await answering(400, refused).bearer(viewer)), {
    status: 400,
    body: refused,
    headers: [["content-type", JSON_TYPE], ["x-cnc-request-id", upstreamId]],
  });
  const limited = JSON.stringify({ code: 429, message: "slow down" });
  assert.deepEqual(
    await seen(await answering(429, limited, { "retry-after": "7" }).bearer(viewer)),
    {
      status: 429,
      body: limited,
      headers: [["content-type", JSON_TYPE], ["retry-after", "7"], [
        "x-cnc-request-id",
        upstreamId,
      ]],
    },
  );
  for (const status of [401, 403, 462]) {
    assert.deepEqual(
      await seen(await answering(status, JSON.stringify({ code: status })).bearer(viewer)),
      expected(502, {
        code: 502,
        message: "The upstream service refused the gateway's credentials",
        upstreamStatus: status,
      }),
    );
  }
  assert.deepEqual(
    await seen(await answering(200, "garbage").bearer(viewer)),
    expected(502, {
      code: 502,
      message: "The upstream service could not be reached or answered garbage",
    }, [["x-cnc-request-id", upstreamId]]),
  );
  const unreachable = setup({}, () => Promise.reject(new TypeError("connection refused")));
  assert.deepEqual(
    await seen(await unreachable.bearer(viewer)),
    expected(502, {
      code: 502,
      message: "The upstream service could not be reached or answered garbage",
    }),
  );
  const silent = setup(
    {
      upstream: {
        ...master,
        endpoint: "http://upstream.test",
        timeoutMs: 20,
        retries: 0,
        fetch: (_, init) =>
          new Promise((_, reject) =>
            init?.signal?.addEventListener("abort", () => reject(init.signal!.reason))
          ),
      },
    },
  );
  assert.deepEqual(
    await seen(await silent.bearer(viewer)),
    expected(504, { code: 504, message: "The upstream service did not answer within 20 ms" }),
  );
});

Deno.test("answers: paths that are no action, and methods an action does not take", async () => {
  const { gateway } = setup();
  assert.deepEqual(
    await seen(await gateway.fetch(new Request("http://gw.test/nowhere"))),
    expected(404, { code: 404, message: "Nothing at /nowhere" }),
  );
  assert.deepEqual(
    await seen(await gateway.fetch(new Request(`http://gw.test${LIST}`))),
    expected(405, { code: 405, message: `${LIST} takes POST` }, [["allow", "POST"]]),
  );
});
