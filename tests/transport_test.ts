// How every kind of failure reaches the caller: typed, with the request id, without the secret.
import assert from "node:assert/strict";
import {
  createClient,
  getChannelConf,
  getChannelList,
  getChannelLiveState,
  invoke,
  type ResponseInfo,
  WangsuApiError,
  WangsuError,
  WangsuNetworkError,
  WangsuTimeoutError,
} from "../mod.ts";
import { envelope, recordingFetch, settles, testCredentials, untilAborted } from "./helpers.ts";
import { verifyRequest } from "../src/verifier.ts";

const call = (respond: (r: Request) => Response | Promise<Response>, timeoutMs = 5_000) => {
  const client = createClient({
    ...testCredentials,
    fetch: recordingFetch(respond),
    timeoutMs,
    retries: 0,
  });
  return getChannelList(client, { pageSize: 5 }).then(
    () => assert.fail("expected a failure"),
    (error) => error,
  );
};
const withId = { "x-cnc-request-id": "req-42" };

function assertNoSecret(error: unknown) {
  const views = [
    String(error),
    (error as Error).message,
    (error as Error).stack ?? "",
    JSON.stringify(error),
    Deno.inspect(error, { depth: 10 }),
  ];
  for (const view of views) assert.ok(!view.includes(testCredentials.secretKey), view);
}

const failures: [string, () => Promise<unknown>, (e: WangsuError) => void][] = [
  [
    "4xx with a JSON envelope",
    () =>
      call(() =>
        Response.json({ code: 40001, message: "pageSize invalid" }, {
          status: 400,
          headers: withId,
        })
      ),
    (e) => {
      assert.ok(e instanceof WangsuApiError);
      assert.equal(e.status, 400);
      assert.equal(e.code, 40001);
      assert.match(
        e.message,
        /getChannelList: pageSize invalid \(HTTP 400, code 40001, request req-42\)/,
      );
      assert.equal(e.requestId, "req-42");
      assert.equal(e.action, "getChannelList");
    },
  ],
  [
    "4xx without a body",
    () => call(() => new Response(null, { status: 404, statusText: "Not Found", headers: withId })),
    (e) => {
      assert.ok(e instanceof WangsuApiError);
      assert.equal(e.status, 404);
      assert.equal(e.code, 404);
      assert.match(e.message, /Not Found/);
      assert.equal(e.requestId, "req-42");
    },
  ],
  [
    "the vendor's 462 authentication failure",
    () =>
      call(() =>
        Response.json({ status: 0, result: "authorization is error! check ak" }, {
          status: 462,
          headers: withId,
        })
      ),
    (e) => {
      assert.ok(e instanceof WangsuApiError);
      assert.equal(e.status, 462);
      assert.equal(e.code, 462);
      assert.match(e.message, /authorization is error/);
      assert.deepEqual(e.body, { status: 0, result: "authorization is error! check ak" });
    },
  ],
  [
    "5xx with an HTML page",
    () => call(() => new Response("<html>Bad gateway</html>", { status: 502, headers: withId })),
    (e) => {
      assert.ok(e instanceof WangsuApiError);
      assert.equal(e.status, 502);
      assert.equal(e.code, 502);
      assert.equal(e.body, "<html>Bad gateway</html>");
      assert.equal(e.requestId, "req-42");
    },
  ],
  [
    "HTTP 200 with a numeric code other than 200",
    () =>
      call(() => Response.json({ code: 30002, message: "channel not found" }, { headers: withId })),
    (e) => {
      assert.ok(e instanceof WangsuApiError);
      assert.equal(e.status, 200);
      assert.equal(e.code, 30002);
      assert.match(e.message, /channel not found/);
      assert.equal(e.requestId, "req-42");
    },
  ],
  [
    "HTTP 200 with a string code other than 200",
    () => call(() => Response.json({ code: "1001", message: "busy" }, { headers: withId })),
    (e) => {
      assert.ok(e instanceof WangsuApiError);
      assert.equal(e.code, "1001");
    },
  ],
  [
    "HTTP 200 with invalid JSON",
    () => call(() => new Response("{not json", { headers: withId })),
    (e) => {
      assert.ok(e instanceof WangsuApiError);
      assert.equal(e.code, "INVALID_RESPONSE");
      assert.equal(e.body, "{not json");
      assert.equal(e.requestId, "req-42");
    },
  ],
  [
    "HTTP 200 with an empty body",
    () => call(() => new Response("", { headers: withId })),
    (e) => {
      assert.ok(e instanceof WangsuApiError);
      assert.equal(e.code, "INVALID_RESPONSE");
      assert.match(e.message, /empty/);
    },
  ],
  [
    "a network failure",
    () => call(() => Promise.reject(new TypeError("connection refused"))),
    (e) => {
      assert.ok(e instanceof WangsuNetworkError);
      assert.match(e.message, /connection refused/);
      assert.ok(e.cause instanceof TypeError);
      assert.equal(e.requestId, undefined);
    },
  ],
  [
    "a response that never comes",
    () =>
      call(
        untilAborted,
        30,
      ),
    (e) => {
      assert.ok(e instanceof WangsuTimeoutError);
      assert.equal(e.timeoutMs, 30);
      assert.match(e.message, /30 ms/);
    },
  ],
  [
    "a body that stalls after the headers",
    () =>
      call(
        () =>
          new Response(new ReadableStream({ pull: () => new Promise(() => {}) }), {
            headers: withId,
          }),
        30,
      ),
    (e) => {
      assert.ok(e instanceof WangsuTimeoutError);
      assert.equal(e.requestId, "req-42");
    },
  ],
];

for (const [name, run, check] of failures) {
  Deno.test(`failure: ${name}`, async () => {
    const error = await run();
    assert.ok(error instanceof WangsuError, String(error));
    check(error);
    assertNoSecret(error);
    const json = JSON.parse(JSON.stringify(error));
    assert.equal(json.name, error.name);
    assert.equal(json.message, error.message);
  });
}

Deno.test("a caller's abort rejects with the caller's reason, unwrapped", async () => {
  const controller = new AbortController();
  const reason = new Error("user left the page");
  const fetch = recordingFetch((request) => {
    // The request is in flight (its answer awaited) when the caller gives up.
    const answer = untilAborted(request);
    controller.abort(reason);
    return answer;
  });
  const client = createClient({ ...testCredentials, fetch });
  await assert.rejects(
    getChannelList(client, {}, { signal: controller.signal }),
    (e) => e === reason,
  );
  assert.equal(fetch.requests.length, 1);

  const early = new AbortController();
  const pending = getChannelList(client, {}, { signal: early.signal });
  early.abort(new Error("aborted while signing"));
  await assert.rejects(pending, /aborted while signing/);
  await assert.rejects(
    getChannelList(client, {}, { signal: AbortSignal.abort(new Error("too late")) }),
    /too late/,
  );
  assert.equal(fetch.requests.length, 1, "nothing is sent once aborted");
});

Deno.test("the request id of a success reaches onResponse; a throwing hook is ignored", async () => {
  const seen: ResponseInfo[] = [];
  const client = createClient({
    ...testCredentials,
    fetch: recordingFetch(() => envelope({ channelList: [], channelToal: "0" })),
    onResponse: (info) => {
      seen.push(info);
      throw new Error("observer bug");
    },
  });
  assert.deepEqual(await getChannelList(client), { channelList: [], channelToal: 0 });
  assert.equal(seen.length, 1);
  assert.equal(seen[0].requestId, "req-ok-1");
  assert.equal(seen[0].action, "getChannelList");
  assert.equal(seen[0].status, 200);
  assert.equal(seen[0].path, "/live/channelManage/getChannelList");
  assert.ok(seen[0].durationMs >= 0);
  assert.ok(!JSON.stringify(seen).includes(testCredentials.secretKey));
});

Deno.test("per-call headers are sent and can be signed", async () => {
  const fetch = recordingFetch(() => envelope({ pullId: "p", channelName: "n" }));
  const client = createClient({
    ...testCredentials,
    fetch,
    headers: { "x-team": "live" },
    signedHeaders: "content-type;host;x-trace",
  });
  assert.deepEqual(
    await getChannelConf(client, { pullId: "p" }, { headers: { "x-trace": "t-1" } }),
    { pullId: "p", channelName: "n" },
  );
  const [request] = fetch.requests;
  assert.equal(request.headers.get("x-team"), "live");
  assert.equal(request.headers.get("x-trace"), "t-1");
  assert.match(request.headers.get("authorization")!, /SignedHeaders=content-type;host;x-trace,/);
});

Deno.test("a call's header wins over the client's of the same name", async () => {
  const fetch = recordingFetch(() => envelope({ pullId: "p", channelName: "n" }));
  const client = createClient({ ...testCredentials, fetch, headers: { "x-team": "live", a: "1" } });
  assert.deepEqual(
    await getChannelConf(client, { pullId: "p" }, { headers: { "X-Team": "ops" } }),
    { pullId: "p", channelName: "n" },
  );
  assert.equal(fetch.requests[0].headers.get("x-team"), "ops");
  assert.equal(fetch.requests[0].headers.get("a"), "1");
});

Deno.test("invoke sends any path and returns the envelope", async () => {
  const fetch = recordingFetch(() => envelope({ anything: [1, 2] }));
  const client = createClient({ ...testCredentials, endpoint: "https://api.test", fetch });
  const result = await invoke<{ anything: number[] }>(client, {
    path: "/cdn/report/x",
    body: { a: 1 },
  });
  assert.deepEqual(result, { code: 200, message: "success", data: { anything: [1, 2] } });
  assert.equal(fetch.requests[0].method, "POST");
  assert.equal(fetch.requests[0].url, "https://api.test/cdn/report/x");
  assert.equal(fetch.bodies[0], '{"a":1}');

  await invoke(client, { method: "GET", path: "/demo/path?region=cn&name=%E7%9B%B4%E6%92%AD" });
  assert.equal(fetch.requests[1].method, "GET");
  assert.equal(fetch.bodies[1], "");
  assert.equal(
    fetch.requests[1].url,
    "https://api.test/demo/path?region=cn&name=%E7%9B%B4%E6%92%AD",
  );

  await invoke(client, { path: "/raw", body: '{"kept":"as is"}' });
  assert.equal(fetch.bodies[2], '{"kept":"as is"}');
  await assert.rejects(
    invoke(
      createClient({
        ...testCredentials,
        fetch: recordingFetch(() => Response.json({ code: 500, message: "boom" })),
      }),
      { path: "/x" },
    ),
    (e) => e instanceof WangsuApiError && e.code == 500,
  );
});

Deno.test("identical requests are never signed identically, even concurrently", async () => {
  const clock = 1_764_000_000_000;
  const fetch = recordingFetch(() => envelope({ channelState: "1" }));
  const client = createClient({ ...testCredentials, fetch, now: () => clock });
  const state = (pullId: string) => getChannelLiveState(client, { pullId });
  await Promise.all([state("a"), state("a"), state("a"), state("b")]);
  await state("a");
  // Same second, so the same timestamp; the JSON body takes trailing whitespace instead.
  const stamps = fetch.requests.map((r) => Number(r.headers.get("x-cnc-timestamp")) - clock / 1000);
  assert.deepEqual(stamps, [0, 0, 0, 0, 0]);
  const bodiesOf = (pullId: string) => fetch.bodies.filter((b) => JSON.parse(b).pullId == pullId);
  assert.deepEqual(
    bodiesOf("a").map((b) => JSON.stringify(b.slice(b.trimEnd().length))).sort(),
    ['""', '"\\t"', '"\\n"', '"\\t "'].sort(),
  );
  assert.deepEqual(bodiesOf("b"), ['{"pullId":"b"}'], "a different request is left alone");
  assert.equal(new Set(fetch.requests.map((r) => r.headers.get("authorization"))).size, 5);
  for (const request of fetch.requests) {
    assert.equal(
      (await verifyRequest(request, () => testCredentials.secretKey, { now: clock / 1000 })).ok,
      true,
    );
  }
});

Deno.test("a request with no JSON body to vary moves to the next free second", async () => {
  const clock = 1_764_000_000_000;
  const fetch = recordingFetch(() => envelope({}));
  const client = createClient({ ...testCredentials, fetch, now: () => clock });
  for (let i = 0; i < 3; i++) await invoke(client, { method: "GET", path: "/demo?x=1" });
  await invoke(client, { path: "/raw", body: "not json" });
  await invoke(client, { path: "/raw", body: "not json" });
  const stamps = fetch.requests.map((r) => Number(r.headers.get("x-cnc-timestamp")) - clock / 1000);
  assert.deepEqual(stamps, [0, 1, 2, 0, 1]);
  assert.deepEqual(fetch.bodies.slice(3), ["not json", "not json"]);
});

Deno.test("a successful response is never rejected for its shape: normalised and passed on", async () => {
  const client = createClient({
    ...testCredentials,
    fetch: recordingFetch(() => envelope({ channelToal: "1", extra: { kept: true } })),
  });
  // channelList is missing and channelToal came as a string: a write that took effect must not
  // be reported as failed (and retried into a duplicate) because of the response's shape.
  assert.deepEqual(await getChannelList(client), { channelToal: 1, extra: { kept: true } });
});

Deno.test("a time limit beyond 2^31 ms is a long limit, not an immediate timeout", async () => {
  const client = createClient({
    ...testCredentials,
    fetch: recordingFetch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1)); // past any immediate timeout
      return envelope({ channelToal: 0, list: [] });
    }),
    timeoutMs: 2 ** 32,
    deadlineMs: 2 ** 33,
    retries: 0,
  });
  const page = await getChannelList(client, { pageSize: 5 });
  assert.equal(page.channelToal, 0);
});

Deno.test("the platform's fetch: a body that stalls after the headers ends at the time limit", async () => {
  // No `fetch` option: the body is not raced with the signal, the platform's fetch ends it.
  let stalled: ReadableStreamDefaultController<Uint8Array> | undefined;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () =>
    new Response(
      new ReadableStream({
        start(controller) {
          stalled = controller;
          controller.enqueue(new TextEncoder().encode('{"code":200,'));
        },
      }),
      { headers: { "x-cnc-request-id": "req-stall" } },
    ));
  try {
    const client = createClient({
      ...testCredentials,
      endpoint: `http://127.0.0.1:${server.addr.port}`,
      timeoutMs: 200,
      retries: 0,
    });
    const error = await settles(
      invoke(client, { path: "/x", body: {} }).catch((e) => e),
      "the stalled call",
    );
    assert.ok(error instanceof WangsuTimeoutError, String(error));
    assert.equal(error.timeoutMs, 200);
    assert.equal(error.requestId, "req-stall");
  } finally {
    stalled?.close();
    await server.shutdown();
  }
});
