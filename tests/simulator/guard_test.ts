// Each authentication failure, the replay rule and the rate limit: distinct codes, non-2xx
// statuses, and a request id and a Date header on every response.
import assert from "node:assert/strict";
import { createClient, getChannelList, signRequest, WangsuApiError } from "../../mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";

const credentials = { accessKey: "AK_SIM", secretKey: "SK_SIM_secret" };
const CLOCK = Date.UTC(2026, 10, 24, 8, 0, 0);
const PATH = "/live/channelManage/getChannelList";
const BODY = '{"pageSize":5}';

const signed = async (
  options: { secret?: string; accessKey?: string; timestamp?: number; body?: string } = {},
) => {
  const url = `http://sim.test${PATH}`;
  const headers = await signRequest(
    { method: "POST", url, body: options.body ?? BODY },
    {
      accessKey: options.accessKey ?? credentials.accessKey,
      secretKey: options.secret ?? credentials.secretKey,
    },
    { timestamp: options.timestamp ?? CLOCK / 1000 },
  );
  return new Request(url, { method: "POST", headers, body: options.body ?? BODY });
};

const answer = async (simulator: ReturnType<typeof createSimulator>, request: Request) => {
  const response = await simulator.fetch(request);
  const body = await response.json();
  assert.match(response.headers.get("x-cnc-request-id") ?? "", /^[0-9a-f-]{36}$/);
  return { status: response.status, body, headers: response.headers };
};

Deno.test("authentication failures get HTTP 462 and a distinct code each", async () => {
  const simulator = createSimulator({ credentials: [credentials], now: () => CLOCK });
  const withoutAuth = await signed();
  withoutAuth.headers.delete("authorization");
  const malformed = await signed();
  malformed.headers.set("authorization", "Basic dXNlcg==");
  const cases: [string, Request][] = [
    ["MissingAuthorization", withoutAuth],
    ["MalformedAuthorization", malformed],
    ["InvalidAccessKey", await signed({ accessKey: "AK_OTHER" })],
    ["SignatureDoesNotMatch", await signed({ secret: "SK_wrong" })],
    ["RequestTimeTooSkewed", await signed({ timestamp: CLOCK / 1000 + 301 })],
    ["RequestTimeTooSkewed", await signed({ timestamp: CLOCK / 1000 - 301 })],
  ];
  for (const [code, request] of cases) {
    const { status, body } = await answer(simulator, request);
    assert.equal(status, 462, code);
    assert.equal(body.code, code);
    assert.match(body.result, /^authorization is error! /);
  }
  assert.equal(
    (await answer(simulator, await signed({ timestamp: CLOCK / 1000 + 300 }))).status,
    200,
  );
  assert.equal(simulator.stats.applied.getChannelList, 1, "only the valid request ran");
});

Deno.test("the client turns an authentication failure into a typed API error", async () => {
  const simulator = createSimulator({ credentials: [credentials] });
  const client = createClient({ ...credentials, secretKey: "SK_wrong", fetch: simulator.fetch });
  const error = await getChannelList(client).catch((e) => e);
  assert.ok(error instanceof WangsuApiError);
  assert.equal(error.status, 462);
  assert.equal(error.code, "SignatureDoesNotMatch");
  assert.match(error.message, /authorization is error!/);
  assert.ok(error.requestId);
});

Deno.test("an identical signed request is refused when sent again; the switch turns it off", async () => {
  const simulator = createSimulator({ credentials: [credentials], now: () => CLOCK });
  const request = await signed();
  assert.equal((await answer(simulator, request.clone())).status, 200);
  const replay = await answer(simulator, request.clone());
  assert.equal(replay.status, 462);
  assert.equal(replay.body.code, "ReplayedRequest");
  assert.equal(
    (await answer(simulator, await signed({ timestamp: CLOCK / 1000 + 1 }))).status,
    200,
  );

  const lenient = createSimulator({
    credentials: [credentials],
    now: () => CLOCK,
    replayProtection: false,
  });
  assert.equal((await answer(lenient, request.clone())).status, 200);
  assert.equal((await answer(lenient, request.clone())).status, 200);
});

Deno.test("the rate limit answers 429 with Retry-After until the window moves on", async () => {
  let clock = CLOCK;
  const simulator = createSimulator({
    credentials: [credentials],
    now: () => clock,
    rateLimit: { limit: 3, windowMs: 60_000 },
  });
  for (let i = 0; i < 3; i++) {
    assert.equal(
      (await answer(simulator, await signed({ timestamp: clock / 1000 + i }))).status,
      200,
    );
  }
  clock += 10_000;
  const limited = await answer(simulator, await signed({ timestamp: clock / 1000 }));
  assert.equal(limited.status, 429);
  assert.equal(limited.body.code, "RateLimitExceeded");
  assert.equal(limited.headers.get("retry-after"), "50");
  clock += 50_000;
  assert.equal((await answer(simulator, await signed({ timestamp: clock / 1000 }))).status, 200);
});

Deno.test("responses carry the simulated clock as an RFC 1123 Date", async () => {
  const simulator = createSimulator({ credentials: [credentials], now: () => CLOCK });
  const { headers } = await answer(simulator, await signed());
  assert.equal(headers.get("date"), "Tue, 24 Nov 2026 08:00:00 GMT");
});

Deno.test("bad bodies, unknown paths and wrong methods get the error envelope", async () => {
  const simulator = createSimulator({ credentials: [credentials], now: () => CLOCK });
  const notJson = await answer(simulator, await signed({ body: "{oops" }));
  assert.deepEqual([notJson.status, notJson.body.code], [200, "InvalidParameter"]);
  const invalid = await answer(simulator, await signed({ body: '{"pageSize":99,"extra":1}' }));
  assert.equal(invalid.body.code, "InvalidParameter");
  assert.match(invalid.body.message, /pageSize: must be at most 50/);
  assert.match(invalid.body.message, /extra: is not a field of this action/);
  const unknown = await answer(
    simulator,
    new Request("http://sim.test/live/channelManage/nothing", { method: "POST" }),
  );
  assert.deepEqual([unknown.status, unknown.body.code], [404, 404]);
  const wrongMethod = await answer(simulator, new Request(`http://sim.test${PATH}`));
  assert.deepEqual([wrongMethod.status, wrongMethod.headers.get("allow")], [405, "POST"]);
});

Deno.test("with no credentials given, a demo pair is generated and accepted", async () => {
  const simulator = createSimulator();
  const [demo] = simulator.credentials;
  assert.match(demo.accessKey, /^AK_DEMO_/);
  assert.ok(demo.secretKey.length >= 32);
  const client = createClient({ ...demo, fetch: simulator.fetch });
  assert.deepEqual(await getChannelList(client), { channelList: [], channelToal: 0 });
  assert.notEqual(createSimulator().credentials[0].secretKey, demo.secretKey);
});
