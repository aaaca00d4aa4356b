// Signing push and play URLs offline and checking them as the edge would: the six concatenation
// orders × two time formats × three expiry modes, the refusals (expired, tampered path or time,
// wrong key, ...), the tolerance at both edges, key rotation, the client's learned clock skew, and
// each inferred option. The signature is checked against node:crypto's MD5 of the concatenation
// built here, independently of the signer.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { WangsuValidationError } from "../../src/errors.ts";
import { createClient, getChannelList } from "../../mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import {
  CIPHER_COMBINATIONS,
  type EffectiveTimeMode,
  type TimeFormat,
  type TimestampAntiLeechRule,
} from "../../src/url_signing/rule.ts";
import { signLiveUrl } from "../../src/url_signing/sign.ts";
import { verifyLiveUrl } from "../../src/url_signing/verify.ts";

const T = 1_790_000_000; // Unix seconds
const md5 = (text: string) => createHash("md5").update(text).digest("hex");
const key = () => `k_${crypto.randomUUID()}`;
const PUSH = "rtmp://push.example.com/live/stream1";
const rule = (changes: Partial<TimestampAntiLeechRule> = {}): TimestampAntiLeechRule => ({
  secretKey: key(),
  timeFormat: "UNIX timestamp",
  effectiveTimeMode: "duration",
  effectiveTime: 1800,
  ciphe_combination: "key+path+time",
  ...changes,
});
const paramsOf = (url: string) => Object.fromEntries(new URL(url).searchParams);

/** What the signature must be: MD5 over key, path and time in the rule's order. */
const expectedSignature = (order: string, secret: string, path: string, time: string) =>
  md5(
    order.split("+").map((part) => ({ key: secret, path, time })[part as "key"]).join(""),
  );

const TIME_FORMATS: TimeFormat[] = ["UNIX timestamp", "hex"];
const MODES: EffectiveTimeMode[] = ["duration", "abstime", "no verification"];

Deno.test("6 orders × 2 time formats × 3 expiry modes: each signed as specified and verified", () => {
  let combinations = 0;
  for (const order of CIPHER_COMBINATIONS) {
    for (const timeFormat of TIME_FORMATS) {
      for (const effectiveTimeMode of MODES) {
        const what = `${order} ${timeFormat} ${effectiveTimeMode}`;
        const secretKey = key();
        const r = rule({ secretKey, ciphe_combination: order, timeFormat, effectiveTimeMode });
        const signed = signLiveUrl(
          PUSH,
          r,
          effectiveTimeMode == "abstime" ? { now: T, expiresIn: 3600 } : { now: T },
        );
        const time = effectiveTimeMode == "abstime" ? T + 3600 : T;
        const timeText = timeFormat == "hex" ? time.toString(16) : String(time);
        assert.equal(signed.time, time, what);
        assert.equal(
          signed.url,
          `${PUSH}?wsSecret=${
            expectedSignature(order, secretKey, "/live/stream1", timeText)
          }&wsTime=${timeText}`,
          what,
        );
        assert.equal(
          signed.expiresAt,
          { duration: T + 1800, abstime: T + 3600, "no verification": undefined }[
            effectiveTimeMode
          ],
          what,
        );
        const check = verifyLiveUrl(signed.url, r, { now: T + 60 });
        assert.deepEqual(check, { ok: true, keyIndex: 0, time, expiresAt: signed.expiresAt }, what);
        // Another order, or the other time format, does not accept it.
        const otherOrder = CIPHER_COMBINATIONS[(CIPHER_COMBINATIONS.indexOf(order) + 1) % 6];
        assert.equal(
          verifyLiveUrl(signed.url, { ...r, ciphe_combination: otherOrder }, { now: T }).ok,
          false,
          `${what} under ${otherOrder}`,
        );
        combinations++;
      }
    }
  }
  assert.equal(combinations, 36);
});

Deno.test("refused: expired, tampered path, tampered time, wrong key, missing or repeated parameter", () => {
  const secretKey = key();
  const r = rule({ secretKey, timeFormat: "hex", effectiveTimeMode: "abstime" });
  const { url } = signLiveUrl(PUSH, r, { now: T, expiresIn: 600 });
  const reason = (candidate: string, now = T, against = r) => {
    const check = verifyLiveUrl(candidate, against, { now });
    return check.ok ? "ok" : check.reason;
  };
  assert.equal(reason(url), "ok");
  assert.equal(reason(url, T + 601), "expired");
  assert.equal(reason(url.replace("stream1", "stream2")), "bad-signature");
  const time = paramsOf(url).wsTime;
  assert.equal(
    reason(url.replace(`wsTime=${time}`, `wsTime=${(parseInt(time, 16) + 3600).toString(16)}`)),
    "bad-signature",
  );
  assert.equal(reason(url, T, { ...r, secretKey: key() }), "bad-signature");
  assert.equal(reason(url.replace(/&wsTime=[^&]*/, "")), "missing-parameter");
  assert.equal(reason(url.replace(/wsSecret=[^&]*&/, "")), "missing-parameter");
  assert.equal(reason(`${url}&wsTime=${time}`), "duplicate-parameter");
  assert.equal(
    reason(url.replace(`wsTime=${time}`, `wsTime=${time.toUpperCase()}`)),
    "malformed-time",
  );
  assert.equal(reason(url.replace(`wsTime=${time}`, "wsTime=12z")), "malformed-time");
  assert.equal(reason("not a url"), "malformed-url");
  // The message says why, and holds no key.
  const check = verifyLiveUrl(url, r, { now: T + 601 });
  assert.ok(!check.ok && /expired/.test(check.message) && !check.message.includes(secretKey));
});

Deno.test("duration mode: not yet valid before the signed time, expired after effectiveTime", () => {
  const r = rule({ effectiveTime: 300 });
  const { url } = signLiveUrl(PUSH, r, { now: T });
  const reason = (now: number) => {
    const check = verifyLiveUrl(url, r, { now });
    return check.ok ? "ok" : check.reason;
  };
  assert.equal(reason(T - 1), "not-yet-valid");
  assert.equal(reason(T), "ok");
  assert.equal(reason(T + 300), "ok");
  assert.equal(reason(T + 301), "expired");
});

Deno.test("tolerantTime is honoured at both edges, to the second", () => {
  const duration = rule({ effectiveTime: 300, tolerantTime: 30 });
  const signed = signLiveUrl(PUSH, duration, { now: T }).url;
  const reason = (url: string, r: TimestampAntiLeechRule, now: number) => {
    const check = verifyLiveUrl(url, r, { now });
    return check.ok ? "ok" : check.reason;
  };
  // A signer whose clock runs 30 s fast: its time is 30 s ahead of the edge's.
  assert.equal(reason(signed, duration, T - 30), "ok");
  assert.equal(reason(signed, duration, T - 31), "not-yet-valid");
  assert.equal(reason(signed, duration, T + 330), "ok");
  assert.equal(reason(signed, duration, T + 331), "expired");
  const abstime = rule({ effectiveTimeMode: "abstime", tolerantTime: 30 });
  const absolute = signLiveUrl(PUSH, abstime, { now: T, expiresIn: 60 }).url;
  assert.equal(reason(absolute, abstime, T + 90), "ok");
  assert.equal(reason(absolute, abstime, T + 91), "expired");
  // The inferred option: the allowance only before the start, the expiry exact.
  const startOnly = { ...duration, inferred: { tolerance: "start-only" as const } };
  assert.equal(reason(signed, startOnly, T - 30), "ok");
  assert.equal(reason(signed, startOnly, T + 300), "ok");
  assert.equal(reason(signed, startOnly, T + 301), "expired");
  // No verification: any time at all.
  const none = rule({ effectiveTimeMode: "no verification" });
  const forever = signLiveUrl(PUSH, none, { now: T }).url;
  assert.equal(reason(forever, none, T + 10 * 365 * 86400), "ok");
  assert.equal(reason(forever, none, 0), "ok");
});

Deno.test("abstime: an expiry beyond 3652 days is refused, by the signer and by the check", () => {
  const r = rule({ effectiveTimeMode: "abstime" });
  const limit = 3652 * 86400;
  assert.equal(signLiveUrl(PUSH, r, { now: T, expiresIn: limit }).expiresAt, T + limit);
  assert.throws(
    () => signLiveUrl(PUSH, r, { now: T, expiresIn: limit + 1 }),
    (error: WangsuValidationError) => error.issues[0].path == "expiresIn",
  );
  // Milliseconds by mistake are caught by the same limit.
  assert.throws(
    () => signLiveUrl(PUSH, r, { now: T, expiresAt: (T + 60) * 1000 }),
    (error: WangsuValidationError) => error.issues[0].path == "expiresAt",
  );
  const far = signLiveUrl(PUSH, r, { now: T + 100 * 86400, expiresIn: limit }).url;
  const check = verifyLiveUrl(far, r, { now: T });
  assert.equal(check.ok ? "ok" : check.reason, "expiry-too-far");
  assert.equal(verifyLiveUrl(far, r, { now: T + 100 * 86400 }).ok, true);
});

Deno.test("expiresAt and expiresIn: what each mode takes, and bad values named", () => {
  const abstime = rule({ effectiveTimeMode: "abstime" });
  assert.equal(signLiveUrl(PUSH, abstime, { now: T, expiresAt: T + 90 }).time, T + 90);
  const problem = (r: TimestampAntiLeechRule, options: Parameters<typeof signLiveUrl>[2]) => {
    try {
      signLiveUrl(PUSH, r, options);
    } catch (error) {
      assert.ok(error instanceof WangsuValidationError);
      return error.issues.map(({ path, rule }) => `${path}:${rule}`).join(",");
    }
    return "signed";
  };
  assert.equal(problem(abstime, { now: T }), "expiresIn:required");
  assert.equal(
    problem(abstime, { now: T, expiresIn: 60, expiresAt: T + 60 }),
    "expiresAt:exclusive",
  );
  assert.equal(problem(abstime, { now: T, expiresIn: 0 }), "expiresIn:min_value");
  assert.equal(problem(abstime, { now: T, expiresIn: 1.5 }), "expiresIn:integer");
  assert.equal(problem(abstime, { now: T, expiresAt: T }), "expiresAt:min_value");
  // In duration mode the rule sets the life; with no verification there is none.
  assert.equal(problem(rule(), { now: T, expiresIn: 60 }), "expiresIn:mode");
  assert.equal(
    problem(rule({ effectiveTimeMode: "no verification" }), { now: T, expiresAt: T + 9 }),
    "expiresAt:mode",
  );
  assert.equal(problem(rule(), { now: Number.NaN }), "now:type");
});

Deno.test("rotation: signed with the first key, accepted with any key still listed", () => {
  const [old, current] = [key(), key()];
  const before = rule({ secretKey: old });
  const during = rule({ secretKey: current, signKeys: [old] });
  const after = rule({ signKeys: [current] });
  const issuedBefore = signLiveUrl(PUSH, before, { now: T }).url;
  const issuedDuring = signLiveUrl(PUSH, during, { now: T }).url;
  assert.deepEqual(verifyLiveUrl(issuedBefore, during, { now: T }), {
    ok: true,
    keyIndex: 1,
    time: T,
    expiresAt: T + 1800,
  });
  assert.equal(
    paramsOf(issuedDuring).wsSecret,
    expectedSignature("key+path+time", current, "/live/stream1", String(T)),
  );
  assert.equal(verifyLiveUrl(issuedDuring, after, { now: T }).ok, true);
  const retired = verifyLiveUrl(issuedBefore, after, { now: T });
  assert.equal(retired.ok ? "ok" : retired.reason, "bad-signature");
});

Deno.test("the URL: other query parameters kept, old signature replaced, names from the rule", () => {
  const r = rule({ cipherParam: "sign", timeParam: "wsABStime", effectiveTimeMode: "abstime" });
  const first = signLiveUrl(`${PUSH}?vhost=a%20b&x=1`, r, { now: T, expiresIn: 60 }).url;
  assert.match(
    first,
    /^rtmp:\/\/push\.example\.com\/live\/stream1\?vhost=a%20b&x=1&sign=[0-9a-f]{32}&wsABStime=\d+$/,
  );
  const again = signLiveUrl(first, r, { now: T + 5, expiresIn: 60 }).url;
  assert.equal(again.split("sign=").length, 2, "one signature");
  assert.equal(paramsOf(again).wsABStime, String(T + 65));
  assert.equal(verifyLiveUrl(again, r, { now: T }).ok, true);
  const play = signLiveUrl("https://play.example.com/live/stream1.flv#t=1", r, {
    now: T,
    expiresIn: 60,
  }).url;
  assert.match(
    play,
    /^https:\/\/play\.example\.com\/live\/stream1\.flv\?sign=\w+&wsABStime=\d+#t=1$/,
  );
  assert.equal(verifyLiveUrl(new URL(play), r, { now: T }).ok, true, "a URL object is taken too");
  for (const bad of ["nonsense", "srt://push.example.com:9000?streamid=#!::r=live/s,m=publish"]) {
    assert.throws(
      () => signLiveUrl(bad, r, { now: T, expiresIn: 60 }),
      (error: WangsuValidationError) => error.issues[0].path == "url",
      bad,
    );
  }
});

Deno.test("the client's learned clock skew applies to the signing time", async () => {
  const clientMs = T * 1000;
  const serviceMs = clientMs + 20 * 60_000; // the service's clock is 20 minutes ahead
  const simulator = createSimulator({ now: () => serviceMs, callbacks: false });
  const client = createClient({
    ...simulator.credentials[0],
    fetch: simulator.fetch,
    now: () => clientMs,
  });
  const r = rule();
  assert.equal(signLiveUrl(PUSH, r, { client }).time, T, "nothing learned yet");
  await getChannelList(client); // refused once for its clock, then corrected
  assert.equal(signLiveUrl(PUSH, r, { client }).time, T + 1200);
  assert.equal(signLiveUrl(PUSH, r, { client, now: T + 7 }).time, T + 1207);
  assert.equal(signLiveUrl(PUSH, r, { now: T }).time, T, "no client, no correction");
});

Deno.test("each inferred option changes exactly what it names", () => {
  const secretKey = key();
  const sign = (
    url: string,
    inferred: TimestampAntiLeechRule["inferred"],
    timeFormat: TimeFormat = "UNIX timestamp",
  ) => paramsOf(signLiveUrl(url, rule({ secretKey, timeFormat, inferred }), { now: T }).url);
  const FLV = "http://play.example.com/live/stream1.flv?vhost=v1";
  const order = "key+path+time";
  const expect = (path: string, time = String(T)) =>
    expectedSignature(order, secretKey, path, time);
  assert.equal(sign(FLV, {}).wsSecret, expect("/live/stream1.flv"));
  assert.equal(
    sign(FLV, { digestCase: "upper" }).wsSecret,
    expect("/live/stream1.flv").toUpperCase(),
  );
  assert.equal(sign(FLV, { pathLeadingSlash: false }).wsSecret, expect("live/stream1.flv"));
  assert.equal(sign(FLV, { pathExtension: "strip" }).wsSecret, expect("/live/stream1"));
  assert.equal(sign(FLV, { pathQuery: "include" }).wsSecret, expect("/live/stream1.flv?vhost=v1"));
  const accented = "http://play.example.com/live/%C3%A9t%C3%A9";
  assert.equal(sign(accented, {}).wsSecret, expect("/live/%C3%A9t%C3%A9"));
  assert.equal(sign(accented, { pathEncoding: "decoded" }).wsSecret, expect("/live/été"));
  const hexLower = T.toString(16);
  assert.equal(sign(FLV, {}, "hex").wsTime, hexLower);
  assert.equal(sign(FLV, { hexTimeCase: "upper" }, "hex").wsTime, hexLower.toUpperCase());
  assert.equal(
    sign(FLV, { hexTimeCase: "upper" }, "hex").wsSecret,
    expect("/live/stream1.flv", hexLower.toUpperCase()),
  );
  // Each option is honoured by the check as well.
  for (
    const inferred of [
      { digestCase: "upper" },
      { pathLeadingSlash: false },
      { pathExtension: "strip" },
      { pathQuery: "include" },
      { pathEncoding: "decoded" },
      { hexTimeCase: "upper" },
    ] as TimestampAntiLeechRule["inferred"][]
  ) {
    const r = rule({ secretKey, timeFormat: "hex", inferred });
    const { url } = signLiveUrl(`${accented}.flv?vhost=v1`, r, { now: T });
    assert.equal(verifyLiveUrl(url, r, { now: T }).ok, true, JSON.stringify(inferred));
    assert.equal(
      verifyLiveUrl(url, rule({ secretKey, timeFormat: "hex" }), { now: T }).ok,
      false,
      `${JSON.stringify(inferred)} differs from the default`,
    );
  }
});

Deno.test("the check never throws on what a URL holds", () => {
  const r = rule({ effectiveTimeMode: "abstime" });
  const { url } = signLiveUrl(`${PUSH}?constructor=1&__proto__=x&toString`, r, {
    now: T,
    expiresIn: 60,
  });
  assert.equal(verifyLiveUrl(url, r, { now: T }).ok, true);
  for (
    const candidate of [
      `${PUSH}?wsSecret=%E0%A4%A&wsTime=1`,
      `${PUSH}?wsSecret&wsTime`,
      `${PUSH}?=&&&wsTime=%`,
      "http://[::1",
      `${PUSH}/%FF?wsSecret=x&wsTime=1`,
    ]
  ) {
    const check = verifyLiveUrl(candidate, { ...r, inferred: { pathEncoding: "decoded" } });
    assert.equal(check.ok, false, candidate);
  }
});
