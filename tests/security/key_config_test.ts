// Item 9: key configurations that would let one caller pass as another, or expose the master
// key, are refused when the gateway is created, each naming the key and the field.
import assert from "node:assert/strict";
import { createGateway, type GatewayOptions } from "../../src/gateway/mod.ts";
import { WangsuValidationError } from "../../src/errors.ts";
import { master, randomSecret } from "./gateway_fixture.ts";

const refusal = (overrides: Partial<GatewayOptions>) => {
  try {
    createGateway({ upstream: master, keys: [], auditLog: false, ...overrides });
  } catch (error) {
    assert.ok(error instanceof WangsuValidationError, String(error));
    return error.message;
  }
  assert.fail(`accepted: ${JSON.stringify(overrides, (_, v) => v === undefined ? null : v)}`);
};

const shared = randomSecret("shared");

Deno.test("two signed keys sharing one secret are refused (the signature does not cover the access key)", () => {
  assert.match(
    refusal({
      keys: [
        { name: "a", accessKey: "GW_A", secretKey: shared, actions: ["read"] },
        { name: "b", accessKey: "GW_B", secretKey: shared, actions: ["*"] },
      ],
    }),
    /keys\.1\.secretKey: is the same secret as keys\.0\.secretKey/,
  );
});

Deno.test("a bearer token equal to a signed key's secret is refused", () => {
  assert.match(
    refusal({
      keys: [
        { name: "a", accessKey: "GW_A", secretKey: shared, actions: ["read"] },
        { name: "b", token: shared, actions: ["read"] },
      ],
    }),
    /keys\.1\.token: is the same secret as keys\.0\.secretKey/,
  );
});

Deno.test("guessable and padded secrets and tokens are refused, naming the field", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ token: "x".repeat(40) }, /keys\.0\.token: is too easy to guess/],
    [{ token: "abcd".repeat(8) }, /keys\.0\.token: is too easy to guess/],
    [{ token: ` ${randomSecret("padded")} ` }, /keys\.0\.token: must hold no spaces/],
    [{ token: `${randomSecret("tab")}\t` }, /keys\.0\.token: must hold no spaces/],
    [{ accessKey: "GW_A", secretKey: "z".repeat(32) }, /keys\.0\.secretKey: is too easy/],
    [{ token: "short" }, /keys\.0\.token: must be at least 16/],
  ];
  for (const [key, expected] of cases) {
    const message = refusal({ keys: [{ actions: ["read"], ...key } as never] });
    assert.match(message, expected);
    for (const value of Object.values(key)) {
      if (typeof value == "string" && value.length > 8) {
        assert.ok(!message.includes(value.trim()), "the message never quotes the secret");
      }
    }
  }
});

Deno.test('corsOrigins ["null"] and anything that is not exactly an origin are refused', () => {
  for (const origin of ["null", "https://app.example.com/", "app.example.com", "file://"]) {
    assert.match(refusal({ corsOrigins: [origin] }), /corsOrigins\.0: .* is not an origin/);
  }
  // What is an origin is accepted.
  createGateway({
    upstream: master,
    keys: [],
    auditLog: false,
    corsOrigins: ["*", "https://app.example.com", "http://localhost:5173"],
  });
});

Deno.test("a plain http: upstream is refused unless it is a loopback host", () => {
  for (const endpoint of ["http://open.chinanetcenter.com", "http://10.0.0.8:8080"]) {
    assert.match(
      refusal({ upstream: { ...master, endpoint } }),
      /upstream\.endpoint: must use https:/,
    );
  }
  for (const endpoint of ["http://127.0.0.1:9999", "http://localhost:8080", "http://sim.test"]) {
    createGateway({ upstream: { ...master, endpoint }, keys: [], auditLog: false });
  }
});

Deno.test("an upstream endpoint with user:password@ is refused, not silently stripped", () => {
  assert.match(
    refusal({ upstream: { ...master, endpoint: "https://user:pw@open.chinanetcenter.com" } }),
    /endpoint/,
  );
});
