// Item 8: a hostile `SignedHeaders` list never makes the verifier throw. It is refused as
// malformed (the simulator answers 462, the gateway 401, neither 500), and the signer and the
// client refuse a bad list with a WangsuValidationError naming the option.
import assert from "node:assert/strict";
import fc from "fast-check";
import { verifyRequest } from "../../src/verifier.ts";
import { signRequest, signRequestSync } from "../../src/signer.ts";
import { createClient } from "../../src/client.ts";
import { WangsuValidationError } from "../../src/errors.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import { createGateway } from "../../src/gateway/mod.ts";

/** A secret no entropy check refuses: 32 random hex digits after a label. */
const randomSecret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;

const NOW = 1_764_000_000;
const key = { accessKey: "AK_SIGNED_HEADERS", secretKey: randomSecret("SK_SIGNED_HEADERS") };
const lookup = (accessKey: string) => accessKey == key.accessKey ? key.secretKey : undefined;
const URL_ = "https://open.chinanetcenter.com/live/channelManage/getChannelList";

/** Lists no signer may produce and no verifier may choke on. */
const HOSTILE = [
  "",
  "host;",
  ";host",
  "a;;b",
  "bad name",
  ";",
  ";;",
  "h\u00e9ader;host", // a non-ASCII name (Latin-1 in a header value)
  "\u00e5\u0090\u008d;host", // the UTF-8 bytes of a CJK name, as a server reads them
  "host;x:y",
  "a".repeat(5_000),
  "a;".repeat(2_500) + "host",
  Array.from({ length: 100 }, (_, i) => `x-h${i}`).join(";"),
];
/** Bad for a signer; in an Authorization header the comma ends the field, leaving `host`. */
const COMMA = "host,x-cnc-timestamp";
/** Lists a conforming signer never sends (it de-duplicates), so the verifier refuses them too. */
const DUPLICATED = ["host;host", "content-type;host;HOST"];

const hostileRequest = (signedHeaders: string, url = URL_) =>
  new Request(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-cnc-timestamp": String(NOW),
      authorization: `CNC-HMAC-SHA256 Credential=${key.accessKey}, ` +
        `SignedHeaders=${signedHeaders}, Signature=${"0".repeat(64)}`,
    },
    body: "{}",
  });

Deno.test("verifyRequest refuses a hostile SignedHeaders as malformed, never throwing", async () => {
  for (const list of [...HOSTILE, ...DUPLICATED]) {
    const result = await verifyRequest(hostileRequest(list), lookup, { now: NOW });
    assert.equal(result.ok, false, JSON.stringify(list.slice(0, 40)));
    assert.equal(!result.ok && result.reason, "malformed", JSON.stringify(list.slice(0, 40)));
    assert.match(!result.ok ? result.message : "", /SignedHeaders/);
  }
});

Deno.test("verifyRequest still accepts a list in any order and case, as it was signed", async () => {
  const body = "{}";
  const headers = signRequestSync({ method: "POST", url: URL_, body }, key, {
    timestamp: NOW,
    signedHeaders: "Host;content-type;x-cnc-timestamp",
  });
  // What goes out is the normal form, and it verifies.
  assert.match(headers.get("authorization")!, /SignedHeaders=content-type;host;x-cnc-timestamp,/);
  const request = new Request(URL_, { method: "POST", headers, body });
  assert.equal((await verifyRequest(request, lookup, { now: NOW })).ok, true);
  // The same names reordered and upper-cased still name what was signed.
  headers.set(
    "authorization",
    headers.get("authorization")!.replace(
      "content-type;host;x-cnc-timestamp",
      "X-CNC-Timestamp;HOST;content-type",
    ),
  );
  const reordered = new Request(URL_, { method: "POST", headers, body });
  assert.equal((await verifyRequest(reordered, lookup, { now: NOW })).ok, true);
});

// Header values as a server can receive them: any Latin-1 character but NUL, CR and LF.
const headerText = fc.oneof(
  fc.string({
    unit: fc.integer({ min: 1, max: 255 }).filter((c) => c != 10 && c != 13).map((c) =>
      String.fromCharCode(c)
    ),
    maxLength: 80,
  }),
  fc.constantFrom("", ";", "host", "host;", "a;;b", "bad name", "=", ",", "CNC-HMAC-SHA256"),
);
const signedHeaderList = fc.oneof(
  headerText,
  fc.array(fc.oneof(headerText, fc.constantFrom("host", "content-type", "x-extra")), {
    maxLength: 8,
  }).map((names) => names.join(";")),
  fc.nat({ max: 6_000 }).map((n) => "x".repeat(n)),
);
const authorization = fc.oneof(
  headerText,
  fc.record({
    scheme: fc.oneof(fc.constant("CNC-HMAC-SHA256"), headerText),
    credential: fc.oneof(fc.constant(key.accessKey), headerText),
    signedHeaders: signedHeaderList,
    signature: fc.oneof(
      fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 }),
      headerText,
    ),
    separator: fc.constantFrom(", ", ",", " , ", ";"),
  }).map(({ scheme, credential, signedHeaders, signature, separator }) =>
    `${scheme} Credential=${credential}${separator}SignedHeaders=${signedHeaders}` +
    `${separator}Signature=${signature}`
  ),
);

Deno.test("property: verifyRequest resolves, never rejects, on any header values", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.option(authorization, { nil: undefined }),
      fc.oneof(fc.constant(String(NOW)), fc.constant(String(NOW + 400)), headerText),
      fc.array(fc.tuple(fc.constantFrom("content-type", "x-extra", "host", "accept"), headerText), {
        maxLength: 4,
      }),
      fc.constantFrom("POST", "GET", "PUT"),
      headerText,
      async (auth, timestamp, others, method, body) => {
        const headers = new Headers();
        for (const [name, value] of others) headers.append(name, value);
        if (auth !== undefined) headers.set("authorization", auth);
        headers.set("x-cnc-timestamp", timestamp);
        const request = new Request(URL_, {
          method,
          headers,
          body: method == "GET" ? undefined : body,
        });
        const result = await verifyRequest(request, lookup, { now: NOW });
        assert.equal(typeof result.ok, "boolean");
        if (!result.ok) assert.equal(typeof result.message, "string");
      },
    ),
    { numRuns: 600 },
  );
});

Deno.test("signRequest and signRequestSync refuse a bad list, naming signedHeaders", async () => {
  const input = { method: "POST", url: URL_, body: "{}" };
  for (const list of [...HOSTILE, COMMA]) {
    const named = (error: unknown) =>
      error instanceof WangsuValidationError && error.issues[0].path == "signedHeaders" &&
      /^signedHeaders: /.test(error.issues[0].message) && !error.message.includes(key.secretKey);
    await assert.rejects(signRequest(input, key, { signedHeaders: list }), named);
    assert.throws(() => signRequestSync(input, key, { signedHeaders: list }), named);
  }
  // A caller's list is de-duplicated, as the vendor's algorithm says: that is no error.
  for (const list of DUPLICATED) {
    const headers = signRequestSync(input, key, { signedHeaders: list });
    assert.match(headers.get("authorization")!, /SignedHeaders=(content-type;)?host,/);
  }
});

Deno.test("createClient refuses a bad signedHeaders option, naming it, before any call", () => {
  for (const list of [...HOSTILE, COMMA]) {
    assert.throws(
      () => createClient({ ...key, signedHeaders: list, fetch: () => assert.fail("sent") }),
      (error) =>
        error instanceof WangsuValidationError &&
        error.issues.some((issue) => issue.path == "signedHeaders"),
      JSON.stringify(list.slice(0, 40)),
    );
  }
});

Deno.test("the simulator answers a hostile SignedHeaders with 462, the gateway with 401", async () => {
  const simulator = createSimulator({
    credentials: [key],
    rateLimit: false,
    now: () => NOW * 1000,
  });
  const caller = { accessKey: "GW_CALLER", secretKey: randomSecret("gw-caller") };
  const gateway = createGateway({
    upstream: {
      ...randomMaster(),
      endpoint: "https://upstream.test",
      fetch: () => assert.fail("nothing may be forwarded"),
    },
    keys: [{ name: "caller", ...caller, actions: ["*"] }],
    auditLog: false,
    now: () => NOW * 1000,
  });
  for (const list of [...HOSTILE, ...DUPLICATED]) {
    const label = JSON.stringify(list.slice(0, 40));
    const atSimulator = await simulator.fetch(hostileRequest(list));
    assert.equal(atSimulator.status, 462, label);
    assert.match(await atSimulator.text(), /MalformedAuthorization/, label);
    const request = hostileRequest(list, "http://gw.test/live/channelManage/getChannelList");
    request.headers.set(
      "authorization",
      request.headers.get("authorization")!.replace(key.accessKey, caller.accessKey),
    );
    const atGateway = await gateway.fetch(request);
    assert.equal(atGateway.status, 401, label);
    const text = await atGateway.text();
    assert.match(text, /SignedHeaders/, label);
    assert.ok(!/at \w+ \(|\.ts:\d+/.test(text), `no stack trace: ${text}`);
  }
});

function randomMaster() {
  return { accessKey: "AK_MASTER_SH", secretKey: randomSecret("SK_MASTER_SH") };
}
