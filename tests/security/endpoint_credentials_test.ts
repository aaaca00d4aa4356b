// Item 9 (the client's part): an endpoint holding `user:password@` is refused by createClient,
// naming `endpoint`, rather than its credentials being silently dropped; the password appears in
// no error. The gateway, which makes its upstream client with createClient, refuses it too.
import assert from "node:assert/strict";
import { createClient } from "../../src/client.ts";
import { WangsuValidationError } from "../../src/errors.ts";
import { createGateway } from "../../src/gateway/mod.ts";

/** A secret no entropy check refuses: 32 random hex digits after a label. */
const randomSecret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;

const credentials = { accessKey: "AK_ENDPOINT", secretKey: randomSecret("SK_ENDPOINT") };
const PASSWORD = "hunter2-endpoint-password";

const ENDPOINTS = [
  `https://user:${PASSWORD}@open.chinanetcenter.com`,
  `https://user:${PASSWORD}@api.example.com/base`,
  `http://:${PASSWORD}@127.0.0.1:8787`,
  `https://${PASSWORD}@open.chinanetcenter.com`,
  `user:${PASSWORD}@open.chinanetcenter.com`,
];

const refusedNamingEndpoint = (error: unknown) => {
  assert.ok(error instanceof WangsuValidationError, String(error));
  assert.ok(error.issues.some((issue) => issue.path == "endpoint"), error.message);
  for (const text of [error.message, JSON.stringify(error), String(error), error.stack ?? ""]) {
    assert.ok(!text.includes(PASSWORD), `the password leaked: ${text}`);
  }
  return true;
};

Deno.test("createClient refuses an endpoint with credentials in it, naming endpoint", () => {
  for (const endpoint of ENDPOINTS) {
    assert.throws(() => createClient({ ...credentials, endpoint }), refusedNamingEndpoint);
  }
});

Deno.test("so does createGateway for its upstream", () => {
  for (const endpoint of ENDPOINTS) {
    assert.throws(
      () =>
        createGateway({
          upstream: { ...credentials, endpoint },
          keys: [],
          auditLog: false,
        }),
      refusedNamingEndpoint,
    );
  }
});

Deno.test("a plain host or URL without credentials is still accepted", () => {
  for (
    const [endpoint, expected] of [
      ["open.chinanetcenter.com", "https://open.chinanetcenter.com"],
      ["https://api.example.com/base/", "https://api.example.com/base"],
      ["http://127.0.0.1:8787", "http://127.0.0.1:8787"],
    ]
  ) {
    assert.equal(createClient({ ...credentials, endpoint }).endpoint, expected);
  }
});
