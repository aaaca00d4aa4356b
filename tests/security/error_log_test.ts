// Item 12 (the gateway's side): an unexpected error answers 500 with nothing of the request in
// it, and nothing of it (token, secret, body, stack) is printed on stdout or stderr.
import assert from "node:assert/strict";
import { createMemoryStore } from "../../src/gateway/mod.ts";
import { LIST, randomSecret, securedGateway } from "./gateway_fixture.ts";

Deno.test("an internal error prints no token, body or stack, and answers 500 with none", async () => {
  const token = randomSecret("token");
  const body = JSON.stringify({ pageIndex: 1 });
  const store = createMemoryStore();
  const { post } = securedGateway({
    keys: [{ name: "alice", token, actions: ["read"] }],
    // A store that throws synchronously, quoting what it was given: the kind of bug whose
    // message carries the request's secrets.
    store: {
      ...store,
      reserve: (bucket) => {
        throw new Error(`cannot reserve ${bucket} for Bearer ${token}: secret-body-marker`);
      },
    },
  });
  const printed: string[] = [];
  const saved = { error: console.error, log: console.log, warn: console.warn };
  for (const name of ["error", "log", "warn"] as const) {
    console[name] = (...args: unknown[]) =>
      printed.push(args.map((a) => a instanceof Error ? `${a.stack}` : String(a)).join(" "));
  }
  let response: Response;
  try {
    response = await post(LIST, body, { authorization: `Bearer ${token}` });
  } finally {
    Object.assign(console, saved);
  }
  assert.equal(response.status, 500);
  const text = await response.text();
  const requestId = response.headers.get("x-gateway-request-id")!;
  assert.ok(requestId);
  assert.equal(printed.length, 1, printed.join("\n"));
  assert.match(printed[0], new RegExp(`internal error \\(Error\\) in request ${requestId}`));
  for (const leak of [token, "secret-body-marker", "at "]) {
    assert.ok(!printed[0].includes(leak), `log holds ${leak}`);
    assert.ok(!text.includes(leak), `answer holds ${leak}`);
  }
});
