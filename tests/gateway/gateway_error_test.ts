// A GatewayError on its own: what it carries, and the JSON body it is rendered to.
import assert from "node:assert/strict";
import {
  errorText,
  GatewayError,
  retryAfter,
  stateUnavailable,
} from "../../src/gateway/gateway_error.ts";

Deno.test("a GatewayError carries status, reason, message, headers, body fields and audit note", () => {
  const error = new GatewayError(429, "quota-exceeded", "Key k is over its quota", {
    headers: { "retry-after": "3" },
    audit: { quota: "exceeded" },
  });
  assert.ok(error instanceof Error);
  assert.equal(error.name, "GatewayError");
  assert.deepEqual(
    [error.status, error.reason, error.message, error.headers, error.details, error.audit],
    [429, "quota-exceeded", "Key k is over its quota", { "retry-after": "3" }, {}, {
      quota: "exceeded",
    }],
  );
  const bare = new GatewayError(404, "not-found", "Nothing at /x");
  assert.deepEqual([bare.headers, bare.details, bare.audit], [{}, {}, {}]);
});

Deno.test("errorText: code and message first, then the body fields in their order", () => {
  assert.equal(
    errorText(new GatewayError(401, "replay", "Seen before", { details: { reason: "replay" } })),
    '{"code":401,"message":"Seen before","reason":"replay"}',
  );
  const issues = [{ path: "pageSize", rule: "type", message: "pageSize: must be a number" }];
  assert.equal(
    errorText(new GatewayError(400, "invalid-body", "Invalid", { details: { issues } })),
    `{"code":400,"message":"Invalid","issues":${JSON.stringify(issues)}}`,
  );
  // Headers and the audit note never reach the body.
  assert.equal(
    errorText(
      new GatewayError(503, "x", "m", { headers: { "retry-after": "1" }, audit: { key: "k" } }),
    ),
    '{"code":503,"message":"m"}',
  );
});

Deno.test("retryAfter: whole seconds, rounded up, at least one", () => {
  assert.deepEqual([0, 1, 999, 1_000, 1_001, 45_000].map(retryAfter), [
    "1",
    "1",
    "1",
    "1",
    "2",
    "45",
  ]);
});

Deno.test("stateUnavailable: 503, Retry-After 1, nothing forwarded, the decision it could not make", () => {
  const error = stateUnavailable({ quota: "unavailable" });
  assert.equal(error.status, 503);
  assert.equal(error.reason, "state-unavailable");
  assert.deepEqual(error.headers, { "retry-after": "1" });
  assert.deepEqual(error.audit, { quota: "unavailable" });
  assert.match(error.message, /shared state is unavailable, so nothing was forwarded/);
});
