// Standard Webhooks, checked against a third party's implementation (the `standardwebhooks`
// package from npm) in both directions, and every way a delivery can be refused.
import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import {
  type CallbackEvent,
  generateWebhookSecret,
  parseCallback,
  signWebhook,
  verifyWebhook,
  WangsuWebhookError,
  type WebhookErrorCode,
} from "../../src/callbacks/mod.ts";
import { WangsuValidationError } from "../../src/errors.ts";

const T = 1767225600; // 2026-01-01T00:00:00Z, Unix seconds
const at = (seconds: number) => () => seconds * 1000;
const hook = "https://hooks.example.com/wangsu";
const event = parseCallback(`?action=publish_done&pullId=p1&reason=forbid&time=${T}&mine=1`);
const messageId = () => `msg_${crypto.randomUUID().replaceAll("-", "")}`;

/** Standard Webhooks headers for `body`, signed at T by the standardwebhooks package. */
const packageSigned = (secret: string, id: string, body: string) => ({
  "webhook-id": id,
  "webhook-timestamp": String(T),
  "webhook-signature": new Webhook(secret).sign(id, new Date(T * 1000), body),
});

const request = (signed: { headers: Record<string, string>; body: string }, body = signed.body) =>
  new Request(hook, { method: "POST", headers: signed.headers, body });

/** Runs `attempt`, which must fail with a WangsuWebhookError of `code`, and returns the error. */
const refusal = async (attempt: () => Promise<unknown>, code: WebhookErrorCode) => {
  try {
    await attempt();
  } catch (error) {
    assert.ok(error instanceof WangsuWebhookError, `a WangsuWebhookError, got ${error}`);
    assert.ok(error instanceof WangsuValidationError, "a validation error, with issues");
    assert.equal(error.code, code, error.message);
    assert.ok(error.issues.length >= 1 && error.issues.every((issue) => issue.rule), "issues");
    return error;
  }
  assert.fail(`accepted; expected ${code}`);
};

Deno.test("deliveries we sign are verified by the standardwebhooks package", async () => {
  const secret = generateWebhookSecret();
  const id = messageId();
  const signed = await signWebhook(event, secret, { id }); // the package reads the real clock
  assert.equal(signed.headers["webhook-id"], id);
  assert.match(signed.headers["webhook-timestamp"], /^\d{10}$/);
  assert.match(signed.headers["webhook-signature"], /^v1,[A-Za-z0-9+/]{43}=$/);
  assert.equal(signed.headers["content-type"], "application/json");
  assert.deepEqual(new Webhook(secret).verify(signed.body, signed.headers), event);
  assert.deepEqual(JSON.parse(signed.body), event, "the body is the event as JSON");
  // ...and by ours, from a Request as a receiver gets it.
  assert.deepEqual(await verifyWebhook(request(signed), secret), event);
});

Deno.test("payloads the standardwebhooks package signs are accepted by verifyWebhook", async () => {
  const secret = generateWebhookSecret();
  const id = messageId();
  const body = JSON.stringify(event);
  const headers = packageSigned(secret, id, body);
  const verified = await verifyWebhook(
    new Request(hook, { method: "POST", headers, body }),
    secret,
    {
      now: at(T + 10),
    },
  );
  assert.deepEqual(verified, event);
  assert.ok(verified.type == "push.stopped" && verified.reason == "forbid", "typed");
  // The same delivery as headers and a body already read (bytes or text), as frameworks give it.
  const bytes = new TextEncoder().encode(body);
  assert.deepEqual(await verifyWebhook({ headers, body: bytes }, secret, { now: at(T) }), event);
  assert.deepEqual(
    await verifyWebhook({ headers: new Headers(headers), body }, secret, { now: at(T) }),
    event,
  );
});

Deno.test("secret rotation: several signatures in the header, several secrets to try", async () => {
  const [old, current, other] = [
    generateWebhookSecret(),
    generateWebhookSecret(),
    generateWebhookSecret(),
  ];
  const signed = await signWebhook(event, [old, current], { id: messageId() });
  const signatures = signed.headers["webhook-signature"].split(" ");
  assert.equal(signatures.length, 2, "one signature per secret, space-separated");
  for (const secret of [old, current]) {
    assert.deepEqual(await verifyWebhook(request(signed), secret), event, "either secret alone");
    assert.deepEqual(new Webhook(secret).verify(signed.body, signed.headers), event);
  }
  assert.deepEqual(await verifyWebhook(request(signed), [other, current]), event, "any secret");
  await refusal(() => verifyWebhook(request(signed), [other]), "signature_mismatch");
  // Signatures of another scheme (v1a, asymmetric) are skipped, not fatal.
  const mixed = {
    ...signed,
    headers: { ...signed.headers, "webhook-signature": `v1a,AAAA ${signatures[1]}` },
  };
  assert.deepEqual(await verifyWebhook(request(mixed), current), event);
});

Deno.test("a tampered body, a wrong secret, an old or future timestamp are refused", async () => {
  const secret = generateWebhookSecret();
  const signed = await signWebhook(event, secret, { id: messageId(), timestamp: T });
  const options = { now: at(T) };
  assert.deepEqual(await verifyWebhook(request(signed), secret, options), event);

  const tampered = signed.body.replace('"p1"', '"p2"');
  assert.notEqual(tampered, signed.body);
  await refusal(
    () => verifyWebhook(request(signed, tampered), secret, options),
    "signature_mismatch",
  );
  await refusal(
    () => verifyWebhook(request(signed), generateWebhookSecret(), options),
    "signature_mismatch",
  );
  const otherId = { ...signed, headers: { ...signed.headers, "webhook-id": messageId() } };
  await refusal(() => verifyWebhook(request(otherId), secret, options), "signature_mismatch");

  // Five minutes either way, inclusive; one second more is refused.
  assert.deepEqual(await verifyWebhook(request(signed), secret, { now: at(T + 300) }), event);
  assert.deepEqual(await verifyWebhook(request(signed), secret, { now: at(T - 300) }), event);
  const old = await refusal(
    () => verifyWebhook(request(signed), secret, { now: at(T + 301) }),
    "timestamp_too_old",
  );
  assert.equal(old.issues[0].path, "webhook-timestamp");
  await refusal(
    () => verifyWebhook(request(signed), secret, { now: at(T - 301) }),
    "timestamp_too_new",
  );
  await refusal(
    () => verifyWebhook(request(signed), secret, { now: at(T + 61), toleranceSeconds: 60 }),
    "timestamp_too_old",
  );
  // The timestamp is signed: moving it into the window breaks the signature.
  const moved = { ...signed, headers: { ...signed.headers, "webhook-timestamp": String(T + 400) } };
  await refusal(
    () => verifyWebhook(request(moved), secret, { now: at(T + 400) }),
    "signature_mismatch",
  );
});

Deno.test("a replayed id is refused when the receiver remembers ids (seen)", async () => {
  const secret = generateWebhookSecret();
  const handled = new Set<string>();
  const seen = (id: string) => handled.has(id) || (handled.add(id), false);
  const first = await signWebhook(event, secret, { id: messageId(), timestamp: T });
  const options = { now: at(T), seen };
  assert.deepEqual(await verifyWebhook(request(first), secret, options), event);
  const replay = await refusal(() => verifyWebhook(request(first), secret, options), "replayed");
  assert.equal(replay.issues[0].path, "webhook-id");
  // A retry of the same message keeps its id, with a fresh timestamp and signature: still a replay.
  const retry = await signWebhook(event, secret, {
    id: first.headers["webhook-id"],
    timestamp: T + 30,
  });
  await refusal(() => verifyWebhook(request(retry), secret, { now: at(T + 30), seen }), "replayed");
  const next = await signWebhook(event, secret, { id: messageId(), timestamp: T });
  assert.deepEqual(await verifyWebhook(request(next), secret, options), event, "a new id passes");
  // The hook is asked only about authentic deliveries: a forged one never reaches it.
  let asked = 0;
  await refusal(
    () =>
      verifyWebhook(request(first, "{}"), secret, {
        now: at(T),
        seen: () => (asked++, false),
      }),
    "signature_mismatch",
  );
  assert.equal(asked, 0);
  // An async store works the same.
  await refusal(
    () => verifyWebhook(request(first), secret, { now: at(T), seen: async () => await true }),
    "replayed",
  );
});

Deno.test("missing or malformed headers, bad secrets and bad payloads get their own codes", async () => {
  const secret = generateWebhookSecret();
  const signed = await signWebhook(event, secret, { id: messageId(), timestamp: T });
  const options = { now: at(T) };
  for (const header of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
    const headers = { ...signed.headers };
    delete headers[header as keyof typeof headers];
    const error = await refusal(
      () => verifyWebhook(request({ ...signed, headers }), secret, options),
      "missing_header",
    );
    assert.equal(error.issues[0].path, header);
    assert.match(error.message, new RegExp(header));
  }
  const malformed: [string, string][] = [
    ["webhook-timestamp", "soon"],
    ["webhook-timestamp", "1767225600.5"],
    ["webhook-id", "msg.with.dots"],
    ["webhook-signature", "sha256=abc"],
    ["webhook-signature", "v1,not base64!"],
  ];
  for (const [header, value] of malformed) {
    const headers = { ...signed.headers, [header]: value };
    const error = await refusal(
      () => verifyWebhook(request({ ...signed, headers }), secret, options),
      "malformed_header",
    );
    assert.equal(error.issues[0].path, header, value);
  }

  for (const bad of ["", "c2VjcmV0", "whsec_", "whsec_not*base64", `whsec_${btoa("short")}`]) {
    const error = await refusal(() => verifyWebhook(request(signed), bad, options), "bad_secret");
    assert.equal(error.issues[0].path, "secret");
  }
  await refusal(() => verifyWebhook(request(signed), [], options), "bad_secret");
  await refusal(() => signWebhook(event, "whsec_", { id: messageId() }), "bad_secret");
  await refusal(() => signWebhook(event, secret, { id: "a.b" }), "malformed_header");

  // Authentic, but not an event this SDK knows how to read: refused after the signature matched.
  const payloads: [unknown, string][] = [
    [{ ...event, pullId: undefined }, "body.pullId"],
    [{ ...event, time: "yesterday" }, "body.time"],
    [{ ...event, type: "push.paused" }, "body.type"],
    [[event], "body"],
    [
      { ...parseCallback(`?action=record&taskId=t1&status=2&time=${T}`), statusCode: 3 },
      "body.statusCode",
    ],
  ];
  for (const [payload, path] of payloads) {
    const body = JSON.stringify(payload);
    const headers = packageSigned(secret, messageId(), body);
    const error = await refusal(
      () => verifyWebhook({ headers, body }, secret, options),
      "bad_payload",
    );
    assert.ok(error.issues.some((issue) => issue.path == path), `${path} in ${error.message}`);
  }
  await refusal(
    () =>
      verifyWebhook(
        { headers: packageSigned(secret, "msg_1", "not json"), body: "not json" },
        secret,
        options,
      ),
    "bad_payload",
  );
  // Too large a body is refused before any work, from Content-Length or from its length.
  const big = { ...event, extra: { pad: "x".repeat(2048) } } as CallbackEvent;
  const large = await signWebhook(big, secret, { id: messageId(), timestamp: T });
  await refusal(
    () => verifyWebhook(request(large), secret, { ...options, maxBodyBytes: 1024 }),
    "bad_payload",
  );
});

Deno.test("secrets never appear in errors: message, toString, JSON or issues", async () => {
  const secret = generateWebhookSecret();
  const wrong = generateWebhookSecret();
  const signed = await signWebhook(event, secret, { id: messageId(), timestamp: T });
  const errors: WangsuWebhookError[] = [
    await refusal(
      () => verifyWebhook(request(signed), wrong, { now: at(T) }),
      "signature_mismatch",
    ),
    await refusal(
      () => verifyWebhook(request(signed), [wrong, secret], { now: at(T + 999) }),
      "timestamp_too_old",
    ),
    await refusal(
      () => verifyWebhook(request(signed), `${secret}!`, { now: at(T) }),
      "bad_secret",
    ),
    await refusal(() => verifyWebhook(request(signed), `${wrong.slice(0, 20)}`), "bad_secret"),
    await refusal(() => signWebhook(event, secret.slice(6), { id: messageId() }), "bad_secret"),
  ];
  for (const error of errors) {
    const shown = [error.message, String(error), JSON.stringify(error), error.stack ?? ""].join(
      "\n",
    );
    for (const value of [secret, wrong]) {
      assert.ok(!shown.includes(value.slice(6, 26)), `no part of a secret in ${shown}`);
    }
  }
  assert.equal(
    JSON.parse(JSON.stringify(errors[0])).code,
    "signature_mismatch",
    "the code is kept",
  );
});

Deno.test("generated secrets are whsec_ + base64 of 32 random bytes, each one different", () => {
  const secrets = new Set(Array.from({ length: 50 }, () => generateWebhookSecret()));
  assert.equal(secrets.size, 50);
  for (const secret of secrets) {
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(atob(secret.slice(6)).length, 32);
  }
});

Deno.test("the callbacks module stays browser and Workers safe: no node: imports", async () => {
  const { stdout, code } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "src/callbacks/mod.ts"],
    cwd: new URL("../../", import.meta.url).pathname,
  }).output();
  assert.equal(code, 0);
  const graph = JSON.parse(new TextDecoder().decode(stdout));
  const specifiers: string[] = graph.modules.map((module: { specifier: string }) =>
    module.specifier
  );
  assert.ok(specifiers.some((specifier) => specifier.endsWith("src/callbacks/webhooks.ts")));
  assert.deepEqual(specifiers.filter((specifier) => !specifier.startsWith("file:")), []);
});
