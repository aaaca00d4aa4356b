// Item 10: `invoke()` never sends to another origin than the configured one. A path that could
// change the origin (`.evil.example/x`, `@evil.example/x`, `//evil.example/x`, ...) is refused with
// a WangsuValidationError naming `path` before anything is signed or fetched.
import assert from "node:assert/strict";
import { createClient } from "../../src/client.ts";
import { invoke } from "../../src/invoke.ts";
import { WangsuValidationError } from "../../src/errors.ts";
import { envelope, recordingFetch } from "../helpers.ts";

/** A secret no entropy check refuses: 32 random hex digits after a label. */
const randomSecret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;

const credentials = { accessKey: "AK_PATH", secretKey: randomSecret("SK_PATH") };

const setup = (endpoint?: string) => {
  const fetch = recordingFetch(() => envelope({}));
  const attempts: string[] = [];
  const client = createClient({
    ...credentials,
    endpoint,
    fetch,
    retries: 0,
    onRequest: (info) => attempts.push(info.path),
  });
  return { client, fetch, attempts };
};

const BAD_PATHS = [
  ".evil.example/x",
  "@evil.example/x",
  "//evil.example/x",
  "///evil.example/x",
  ":443@evil.example/x",
  "evil.example/x",
  "x",
  "",
  "\\evil.example/x",
  "/\\evil.example/x",
  "\\\\evil.example/x",
  "\t//evil.example/x",
  "/\t/evil.example/x",
  "/x\ny",
  "/x\u0000",
  "/x\u007f",
  " /x",
  "https://evil.example/x",
  "?x=1",
  "#/x",
];

Deno.test("invoke refuses a path that could change the origin, before signing or sending", async () => {
  for (const endpoint of [undefined, "https://api.example.com/base", "http://127.0.0.1:8787"]) {
    const { client, fetch, attempts } = setup(endpoint);
    for (const path of BAD_PATHS) {
      const error = await invoke(client, { path, body: { pageSize: 1 } }).then(
        () => assert.fail(`sent ${JSON.stringify(path)} to ${fetch.requests.at(-1)?.url}`),
        (e) => e,
      );
      assert.ok(error instanceof WangsuValidationError, `${JSON.stringify(path)}: ${error}`);
      assert.equal(error.issues[0].path, "path");
      assert.match(error.issues[0].message, /^path: /);
      assert.ok(!error.message.includes(credentials.secretKey));
    }
    assert.equal(fetch.requests.length, 0, "nothing was fetched");
    assert.deepEqual(attempts, [], "no attempt was made");
  }
});

Deno.test("a path that is not a string is refused as well", async () => {
  const { client, fetch } = setup();
  for (const path of [undefined, null, 42, { toString: () => "//evil.example/x" }]) {
    await assert.rejects(
      invoke(client, { path: path as unknown as string }),
      (e) => e instanceof WangsuValidationError && e.issues[0].path == "path",
    );
  }
  assert.equal(fetch.requests.length, 0);
});

Deno.test("good paths go to the configured origin, under its base path", async () => {
  const cases: [string | undefined, string, string][] = [
    [undefined, "/live/x", "https://open.chinanetcenter.com/live/x"],
    [
      undefined,
      "/demo?x=1&y=%2F%2Fevil.example",
      "https://open.chinanetcenter.com/demo?x=1&y=%2F%2Fevil.example",
    ],
    // `@` after the first slash is part of the path, harmless.
    [undefined, "/a@evil.example/x", "https://open.chinanetcenter.com/a@evil.example/x"],
    ["https://api.example.com/base", "/x", "https://api.example.com/base/x"],
    ["http://127.0.0.1:8787", "/x/y", "http://127.0.0.1:8787/x/y"],
  ];
  for (const [endpoint, path, expected] of cases) {
    const { client, fetch } = setup(endpoint);
    await invoke(client, { path, body: {} });
    assert.equal(fetch.requests.length, 1);
    assert.equal(fetch.requests[0].url, expected);
    assert.equal(new URL(fetch.requests[0].url).origin, new URL(expected).origin);
  }
});
