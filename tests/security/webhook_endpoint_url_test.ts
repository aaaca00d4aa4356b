// Security review, item 3: the webhook endpoint URL check let plain http reach any `*.test` or
// `*.localhost` name (`http://metadata.test/x`), and https reach link-local, private and loopback
// addresses (`https://169.254.169.254/`, `https://10.0.0.5/`). Now plain http goes only to a
// loopback literal or `localhost`, and an IP literal of a private, link-local, loopback or
// unspecified range is refused unless the endpoint says `privateNetwork: true`.
import assert from "node:assert/strict";
import { generateWebhookSecret } from "../../src/callbacks/mod.ts";
import { checkWebhookEndpoints } from "../../src/gateway/webhooks/mod.ts";

const secret = generateWebhookSecret();

/** The `path rule` of each issue, or "accepted". */
const verdict = (endpoint: Record<string, unknown>) => {
  try {
    checkWebhookEndpoints([{ name: "ops", secret, ...endpoint }]);
    return "accepted";
  } catch (error) {
    const issues = (error as { issues?: { path: string; rule: string }[] }).issues ?? [];
    assert.ok(!(error as Error).message.includes(secret), "the secret is never in the error");
    return issues.map((issue) => `${issue.path} ${issue.rule}`).join(", ");
  }
};

Deno.test("plain http only to a loopback literal or localhost", () => {
  for (const url of ["http://127.0.0.1:9/w", "http://localhost:8080/w", "http://[::1]/w"]) {
    assert.equal(verdict({ url }), "accepted", url);
  }
  for (
    const url of [
      "http://metadata.test/x",
      "http://internal.localhost/x",
      "http://127.0.0.1.nip.io/x",
      "http://hooks.example.com/w",
    ]
  ) {
    assert.equal(verdict({ url }), "webhooks.0.url format", url);
  }
});

Deno.test("https to a private, link-local, loopback or unspecified IP literal is refused", () => {
  for (
    const url of [
      "https://169.254.169.254/latest",
      "https://10.0.0.5/x",
      "https://172.16.3.4/x",
      "https://192.168.1.1/x",
      "https://127.0.0.1/x",
      "https://0.0.0.0/x",
      "https://100.64.0.1/x",
      "https://2130706433/x",
      "https://[::1]/x",
      "https://[fe80::1]/x",
      "https://[fd00::1]/x",
      "https://[::ffff:a9fe:a9fe]/x",
    ]
  ) {
    assert.equal(verdict({ url }), "webhooks.0.url private_address", url);
  }
  for (
    const url of [
      "https://hooks.example.com/w",
      "https://93.184.216.34/w",
      "https://[2606:4700::1]/w",
    ]
  ) {
    assert.equal(verdict({ url }), "accepted", url);
  }
});

Deno.test("privateNetwork: true lets an endpoint reach a private address over https only", () => {
  assert.equal(verdict({ url: "https://10.0.0.5/x", privateNetwork: true }), "accepted");
  assert.equal(verdict({ url: "https://169.254.169.254/x", privateNetwork: true }), "accepted");
  assert.equal(
    verdict({ url: "http://10.0.0.5/x", privateNetwork: true }),
    "webhooks.0.url format",
  );
  assert.equal(
    verdict({ url: "https://10.0.0.5/x", privateNetwork: "yes" }),
    "webhooks.0.privateNetwork type, webhooks.0.url private_address",
  );
});
