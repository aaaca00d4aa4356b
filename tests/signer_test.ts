import assert from "node:assert/strict";
import {
  buildStringToSign,
  normalizeSignedHeaders,
  signRequest,
  signRequestSync,
} from "../src/signer.ts";
import { verifyRequest } from "../src/verifier.ts";
import vectors from "./fixtures/signing_vectors.json" with { type: "json" };

interface Vector {
  method: string;
  uri: string;
  host: string;
  body: string;
  accessKey: string;
  secretKey: string;
  timestamp: number;
  signedHeaders: string | null;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

const urlOf = (v: Vector) => `https://${v.host}${v.uri}`;
const sign = (v: Vector) =>
  signRequest(
    { method: v.method, url: urlOf(v), body: v.body },
    { accessKey: v.accessKey, secretKey: v.secretKey },
    { timestamp: v.timestamp, signedHeaders: v.signedHeaders ?? undefined },
  );
const requestOf = (v: Vector, headers: Headers, change: Partial<Vector> = {}) => {
  const w = { ...v, ...change };
  return new Request(urlOf(w), {
    method: w.method,
    headers,
    body: w.method == "GET" ? undefined : w.body,
  });
};

for (const [i, vector] of (vectors as Vector[]).entries()) {
  Deno.test(`vector ${i + 1}: intermediate strings match byte for byte`, async () => {
    const url = new URL(urlOf(vector));
    const headers = new Headers({
      "content-type": "application/json",
      "x-cnc-timestamp": String(vector.timestamp),
    });
    const result = await buildStringToSign(
      vector.method,
      url,
      url.host,
      headers,
      vector.body,
      normalizeSignedHeaders(vector.signedHeaders ?? undefined),
      String(vector.timestamp),
    );
    assert.equal(result.canonicalRequest, vector.canonicalRequest);
    assert.equal(result.stringToSign, vector.stringToSign);
  });

  Deno.test(`vector ${i + 1}: signRequest reproduces the Authorization header`, async () => {
    const headers = await sign(vector);
    assert.equal(headers.get("authorization"), vector.authorization);
    assert.equal(headers.get("x-cnc-timestamp"), String(vector.timestamp));
    assert.equal(headers.get("x-cnc-accesskey"), vector.accessKey);
    assert.equal(headers.get("x-cnc-auth-method"), "AKSK");
    assert.equal(headers.get("content-type"), "application/json");
    assert.equal(headers.get("accept"), "application/json");
  });

  Deno.test(`vector ${i + 1}: verifyRequest accepts it and rejects one-character changes`, async () => {
    const headers = await sign(vector);
    const lookup = (key: string) => key == vector.accessKey ? vector.secretKey : undefined;
    const now = vector.timestamp + 10;
    const accepted = await verifyRequest(requestOf(vector, headers), lookup, { now });
    assert.deepEqual(accepted, {
      ok: true,
      accessKey: vector.accessKey,
      timestamp: vector.timestamp,
      signature: vector.signature,
    });

    const flip = (s: string, at: number) =>
      s.slice(0, at) + (s[at] == "a" ? "b" : "a") + s.slice(at + 1);
    const changed: Partial<Vector>[] = [
      { uri: flip(vector.uri, 3) },
      vector.method == "GET" ? { uri: vector.uri + "x" } : { body: flip(vector.body, 5) },
    ];
    for (const change of changed) {
      const result = await verifyRequest(requestOf(vector, headers, change), lookup, { now });
      assert.equal(result.ok, false, JSON.stringify(change));
      assert.equal(!result.ok && result.reason, "bad-signature");
    }

    const laterHeaders = new Headers(headers);
    laterHeaders.set("x-cnc-timestamp", String(vector.timestamp + 1));
    const timestampChanged = await verifyRequest(requestOf(vector, laterHeaders), lookup, { now });
    assert.equal(!timestampChanged.ok && timestampChanged.reason, "bad-signature");

    const otherSecret = await verifyRequest(
      requestOf(vector, headers),
      () => flip(vector.secretKey, 2),
      { now },
    );
    assert.equal(!otherSecret.ok && otherSecret.reason, "bad-signature");
  });
}

Deno.test("verifyRequest names each failure reason", async () => {
  const v = (vectors as Vector[])[0];
  const headers = await sign(v);
  const lookup = (key: string) => key == v.accessKey ? v.secretKey : undefined;
  const now = v.timestamp;
  const reasonOf = async (h: Headers, options = { now }) => {
    const result = await verifyRequest(requestOf(v, h), lookup, options);
    return result.ok ? "ok" : result.reason;
  };
  const without = (name: string) => {
    const h = new Headers(headers);
    h.delete(name);
    return h;
  };
  const withHeader = (name: string, value: string) => {
    const h = new Headers(headers);
    h.set(name, value);
    return h;
  };
  assert.equal(await reasonOf(headers), "ok");
  assert.equal(await reasonOf(without("authorization")), "missing-header");
  assert.equal(await reasonOf(without("x-cnc-timestamp")), "missing-header");
  assert.equal(await reasonOf(withHeader("authorization", "Bearer abc")), "malformed");
  assert.equal(await reasonOf(withHeader("x-cnc-timestamp", "soon")), "malformed");
  assert.equal(
    await reasonOf(
      withHeader("authorization", headers.get("authorization")!.replace(v.accessKey, "AK_NOPE")),
    ),
    "unknown-key",
  );
  assert.equal(await reasonOf(headers, { now: now + 301 }), "skew");
  assert.equal(await reasonOf(headers, { now: now - 301 }), "skew");
  assert.equal(await reasonOf(headers, { now: now + 300 }), "ok");
  assert.equal(
    await reasonOf(
      withHeader(
        "authorization",
        headers.get("authorization")!.replace(/Signature=.*/, "Signature=zz"),
      ),
    ),
    "bad-signature",
  );
});

Deno.test("verifyRequest leaves the body readable", async () => {
  const v = (vectors as Vector[])[1];
  const request = requestOf(v, await sign(v));
  await verifyRequest(request, () => v.secretKey, { now: v.timestamp });
  assert.equal(await request.text(), v.body);
});

Deno.test("verifyRequest takes a body already read, and checks the signature over it", async () => {
  const v = (vectors as Vector[])[1];
  const request = requestOf(v, await sign(v));
  const body = await request.text(); // the request's own body is now used up
  const options = { now: v.timestamp };
  assert.equal((await verifyRequest(request, () => v.secretKey, { ...options, body })).ok, true);
  const bytes = new TextEncoder().encode(body);
  assert.equal(
    (await verifyRequest(request, () => v.secretKey, { ...options, body: bytes })).ok,
    true,
  );
  const other = await verifyRequest(request, () => v.secretKey, { ...options, body: body + " " });
  assert.equal(other.ok || other.reason, "bad-signature");
});

Deno.test("signed-header lists are normalised: order, case and repeats do not matter", async () => {
  assert.equal(normalizeSignedHeaders("Host;content-type;HOST"), "content-type;host");
  assert.equal(normalizeSignedHeaders(), "content-type;host");
  const v = (vectors as Vector[])[2];
  const a = await sign({ ...v, signedHeaders: "x-cnc-timestamp;HOST;Content-Type" });
  assert.equal(a.get("authorization"), v.authorization);
});

Deno.test("the signer keeps the caller's headers and signs their values", async () => {
  const base = {
    method: "POST",
    url: "https://open.chinanetcenter.com/live/x",
    body: "{}",
  };
  const credentials = { accessKey: "ak", secretKey: "sk" };
  const a = await signRequest({ ...base, headers: { "x-trace": "One" } }, credentials, {
    timestamp: 1,
    signedHeaders: "x-trace;host",
  });
  const b = await signRequest({ ...base, headers: { "x-trace": "Two" } }, credentials, {
    timestamp: 1,
    signedHeaders: "x-trace;host",
  });
  assert.equal(a.get("x-trace"), "One");
  assert.notEqual(a.get("authorization"), b.get("authorization"));
  // Values are lower-cased before signing, as the vendor does.
  const c = await signRequest({ ...base, headers: { "x-trace": "ONE" } }, credentials, {
    timestamp: 1,
    signedHeaders: "x-trace;host",
  });
  assert.equal(a.get("authorization"), c.get("authorization"));
});

Deno.test("the signer returns new headers and leaves the caller's as they were", () => {
  const own = new Headers({ "x-trace": "one" });
  const signed = signRequestSync(
    { method: "POST", url: "https://open.chinanetcenter.com/live/x", headers: own, body: "{}" },
    { accessKey: "ak", secretKey: "sk" },
    { timestamp: 1 },
  );
  assert.notEqual(signed, own);
  assert.equal(signed.get("x-trace"), "one");
  assert.match(signed.get("authorization")!, /^CNC-HMAC-SHA256 Credential=ak, /);
  assert.deepEqual([...own], [["x-trace", "one"]]);
});

Deno.test("GET and HEAD sign the empty payload whatever body they are handed", async () => {
  const credentials = { accessKey: "AK_GET", secretKey: "SK_GET_secret" };
  for (const method of ["GET", "HEAD", "get"]) {
    const url = "https://open.chinanetcenter.com/api/thing?a=1";
    const options = { timestamp: 1764000000 };
    const withBody = await signRequest(
      { method, url, body: '{"ignored":true}' },
      credentials,
      options,
    );
    const without = await signRequest({ method, url }, credentials, options);
    assert.equal(withBody.get("authorization"), without.get("authorization"), method);
    // And the server, which receives no body, agrees.
    const verified = await verifyRequest(
      new Request(url, { method: method.toUpperCase(), headers: withBody }),
      () => credentials.secretKey,
      { now: 1764000000 },
    );
    assert.equal(verified.ok, true, method);
  }
  const post = (body: string) =>
    signRequest({ method: "POST", url: "https://h.example/p", body }, credentials, {
      timestamp: 1764000000,
    });
  assert.notEqual((await post("{}")).get("authorization"), (await post("")).get("authorization"));
});

Deno.test("signRequestSync gives what signRequest resolves to; a bad URL rejects", async () => {
  const input = { method: "POST", url: "https://h.example/p", body: "{}" };
  const credentials = { accessKey: "AK", secretKey: "SK_secret" };
  assert.equal(
    signRequestSync(input, credentials, { timestamp: 1 }).get("authorization"),
    (await signRequest(input, credentials, { timestamp: 1 })).get("authorization"),
  );
  await assert.rejects(signRequest({ ...input, url: "not a url" }, credentials), TypeError);
});
