import assert from "node:assert/strict";
import { createClient, getChannelList, WangsuValidationError } from "../mod.ts";
import { envelope, recordingFetch, testCredentials } from "./helpers.ts";

const ENV = ["WANGSU_ACCESS_KEY", "WANGSU_SECRET_KEY", "WANGSU_ENDPOINT"];
function withEnv(values: Record<string, string>, run: () => void | Promise<void>) {
  return async () => {
    const saved = ENV.map((name) => [name, Deno.env.get(name)] as const);
    for (const name of ENV) Deno.env.delete(name);
    for (const [name, value] of Object.entries(values)) Deno.env.set(name, value);
    try {
      await run();
    } finally {
      for (const [name, value] of saved) {
        value === undefined ? Deno.env.delete(name) : Deno.env.set(name, value);
      }
    }
  };
}

Deno.test(
  "missing credentials are a validation error naming both fields",
  withEnv({}, () => {
    const error = (() => {
      try {
        createClient();
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof WangsuValidationError);
    assert.deepEqual(error.issues.map((i) => [i.path, i.rule]), [
      ["accessKey", "required"],
      ["secretKey", "required"],
    ]);
    assert.match(error.message, /WANGSU_ACCESS_KEY/);
  }),
);

Deno.test(
  "credentials and endpoint fall back to the environment",
  withEnv({
    WANGSU_ACCESS_KEY: "AK_FROM_ENV",
    WANGSU_SECRET_KEY: "SK_FROM_ENV",
    WANGSU_ENDPOINT: "http://127.0.0.1:8787/",
  }, async () => {
    const fetch = recordingFetch(() => envelope({ channelList: [], channelToal: 0 }));
    const client = createClient({ fetch });
    assert.equal(client.accessKey, "AK_FROM_ENV");
    assert.equal(client.endpoint, "http://127.0.0.1:8787");
    await getChannelList(client);
    assert.equal(fetch.requests[0].url, "http://127.0.0.1:8787/live/channelManage/getChannelList");
    assert.equal(fetch.requests[0].headers.get("x-cnc-accesskey"), "AK_FROM_ENV");
  }),
);

Deno.test(
  "options win over the environment",
  withEnv({ WANGSU_ACCESS_KEY: "AK_ENV" }, () => {
    const client = createClient({ accessKey: "AK_OPT", secretKey: "s" });
    assert.equal(client.accessKey, "AK_OPT");
    assert.equal(client.endpoint, "https://open.chinanetcenter.com");
  }),
);

Deno.test("endpoints: a host, a URL with a base path, and invalid ones", () => {
  const endpoint = (value: string) =>
    createClient({ ...testCredentials, endpoint: value }).endpoint;
  assert.equal(endpoint("open.chinanetcenter.com"), "https://open.chinanetcenter.com");
  assert.equal(endpoint("localhost:8787"), "https://localhost:8787");
  assert.equal(endpoint("http://127.0.0.1:8787/"), "http://127.0.0.1:8787");
  assert.equal(endpoint("https://gw.example.com/wangsu/"), "https://gw.example.com/wangsu");
  for (const bad of ["ftp://x.example", "http://", "https://exa mple.com"]) {
    assert.throws(
      () => endpoint(bad),
      (e) => e instanceof WangsuValidationError && e.issues[0].path == "endpoint",
      bad,
    );
  }
});

Deno.test("a bad timeout is refused", () => {
  for (const timeoutMs of [0, -5, Number.NaN]) {
    assert.throws(
      () => createClient({ ...testCredentials, timeoutMs }),
      (e) => e instanceof WangsuValidationError && e.issues[0].path == "timeoutMs",
    );
  }
});

Deno.test("the secret never shows: keys, JSON, String, inspect, spread", () => {
  const client = createClient({ ...testCredentials, endpoint: "http://127.0.0.1:1" });
  const views = [
    JSON.stringify(client),
    String(client),
    `${client}`,
    Deno.inspect(client, { depth: 10, showHidden: true }),
    JSON.stringify({ ...client }),
    Object.keys(client).join(","),
    Object.getOwnPropertyNames(client).map((k) => String((client as never)[k])).join(","),
  ];
  for (const view of views) {
    assert.ok(!view.includes(testCredentials.secretKey), view);
  }
  assert.match(JSON.stringify(client), /"secretKey":"\[redacted\]"/);
  assert.match(Deno.inspect(client), /\[redacted\]/);
  assert.match(String(client), /AK_TEST/);
  assert.ok(Object.isFrozen(client));
});

Deno.test("the client's headers: checked when given, made once when not, sent with every call", async () => {
  assert.throws(
    () => createClient({ ...testCredentials, headers: { "bad name": "x" } }),
    TypeError,
  );
  const fetch = recordingFetch(() => envelope({ channelList: [], channelToal: 0 }));
  const plain = createClient({ ...testCredentials, fetch });
  assert.equal(plain.headers, plain.headers);
  assert.deepEqual([...plain.headers], []);
  const tagged = createClient({ ...testCredentials, fetch, headers: { "x-team": "live" } });
  assert.equal(tagged.headers.get("x-team"), "live");
  await getChannelList(tagged);
  await getChannelList(plain);
  assert.equal(fetch.requests[0].headers.get("x-team"), "live");
  assert.equal(fetch.requests[1].headers.get("x-team"), null);
});
