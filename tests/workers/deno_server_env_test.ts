// The self-hosted server's address and bounds from the environment (workers/deno_server_env.ts):
// safe defaults sized to the open-file limit, and every bad value refused with its variable named,
// in process and by the real entry at start.
import assert from "node:assert/strict";
import { WangsuValidationError } from "../../src/errors.ts";
import { openFileLimit, serverOptionsFromEnvironment } from "../../workers/deno_server_env.ts";
import { entryEnvironment, startEntry } from "../security/deno_entry_fixture.ts";

Deno.test("server environment: defaults, and the connection limit sized to the open-file limit", () => {
  assert.deepEqual(serverOptionsFromEnvironment({}, 1_024), {
    hostname: "0.0.0.0",
    port: 8787,
    headerTimeoutMs: 10_000,
    bodyTimeoutMs: 30_000,
    maxConnections: 224, // (1024 - 128) / 4
  });
  assert.equal(serverOptionsFromEnvironment({}, 1_048_576).maxConnections, 1_000);
  assert.equal(serverOptionsFromEnvironment({}).maxConnections, 200, "limit unknown");
  assert.deepEqual(
    serverOptionsFromEnvironment({
      GATEWAY_HOSTNAME: "127.0.0.1",
      HOSTNAME: "build-box-7", // a shell's or container's own name is never an address to bind
      PORT: "0",
      GATEWAY_HEADER_TIMEOUT_MS: "2500",
      GATEWAY_BODY_TIMEOUT_MS: "4000",
      GATEWAY_MAX_CONNECTIONS: "50",
    }, 1_024),
    {
      hostname: "127.0.0.1",
      port: 0,
      headerTimeoutMs: 2_500,
      bodyTimeoutMs: 4_000,
      maxConnections: 50,
    },
  );
});

Deno.test("server environment: every bad value is refused, naming its variable", () => {
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ PORT: "http" }, "PORT", /0 to 65535/],
    [{ PORT: "65536" }, "PORT", /0 to 65535/],
    [{ PORT: "-1" }, "PORT", /0 to 65535/],
    [{ GATEWAY_HOSTNAME: "0.0.0.0 /x" }, "GATEWAY_HOSTNAME", /IP address or a host name/],
    ...["0", "-5", "1.5", "1e3", "ten", "99999999"].map((value): [
      Record<string, string>,
      string,
      RegExp,
    ] => [{ GATEWAY_HEADER_TIMEOUT_MS: value }, "GATEWAY_HEADER_TIMEOUT_MS", /whole number/]),
    [{ GATEWAY_BODY_TIMEOUT_MS: "0" }, "GATEWAY_BODY_TIMEOUT_MS", /whole number/],
    [{ GATEWAY_MAX_CONNECTIONS: "lots" }, "GATEWAY_MAX_CONNECTIONS", /whole number/],
    [{ GATEWAY_MAX_CONNECTIONS: "0" }, "GATEWAY_MAX_CONNECTIONS", /whole number/],
    [
      { GATEWAY_MAX_CONNECTIONS: "5000" },
      "GATEWAY_MAX_CONNECTIONS",
      /5000 connections need about 20128 open files and this process may open 1024: set at most 224/,
    ],
  ];
  for (const [env, name, rule] of cases) {
    assert.throws(
      () => serverOptionsFromEnvironment(env, 1_024),
      (error: unknown) => {
        assert.ok(error instanceof WangsuValidationError, String(error));
        assert.equal(error.issues[0].path, name, JSON.stringify(env));
        assert.match(error.message, new RegExp(`${name}: `));
        assert.match(error.message, rule);
        return true;
      },
    );
  }
  assert.throws(() => serverOptionsFromEnvironment({}, 100), /GATEWAY_MAX_CONNECTIONS: .*ulimit/);
});

Deno.test("server environment: the open-file limit is read on Linux", () => {
  const limit = openFileLimit();
  if (Deno.build.os == "linux") assert.ok(limit && limit > 0, String(limit));
});

Deno.test({
  name: "workers/deno.ts: a bad bound stops the process at start with the variable named, no stack",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const { env } = entryEnvironment();
    const entry = startEntry({ ...env, GATEWAY_BODY_TIMEOUT_MS: "soon" });
    const status = await entry.status;
    await entry.stop();
    assert.equal(status.code, 1);
    assert.match(
      entry.stderr(),
      /gateway: configuration error: .*GATEWAY_BODY_TIMEOUT_MS: must be a whole number/,
    );
    assert.doesNotMatch(entry.stderr(), /\bat .*\.ts:\d+/, "no stack trace");
    assert.ok(!entry.stderr().includes(env.WANGSU_SECRET_KEY));
  },
});
