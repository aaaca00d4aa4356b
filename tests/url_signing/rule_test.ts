// The domain's timestamp anti-leech rule, as the vendor's API spells it: defaults, several keys,
// the inferred options, and a typed error naming the field and the rule for every bad value,
// never repeating a key. A parsed rule never shows its keys.
import assert from "node:assert/strict";
import { WangsuValidationError } from "../../src/errors.ts";
import {
  CIPHER_COMBINATIONS,
  INFERRED_DEFAULTS,
  parseLiveUrlRule,
  type TimestampAntiLeechRule,
} from "../../src/url_signing/rule.ts";

const key = () => `k_${crypto.randomUUID()}`;
const base = (): TimestampAntiLeechRule => ({
  secretKey: key(),
  timeFormat: "hex",
  effectiveTimeMode: "abstime",
  ciphe_combination: "time+path+key",
});

/** The issues of the error parsing `rule` throws. */
const issuesOf = (rule: unknown) => {
  try {
    parseLiveUrlRule(rule as TimestampAntiLeechRule);
  } catch (error) {
    assert.ok(error instanceof WangsuValidationError, String(error));
    return error.issues.map(({ path, rule }) => `${path}:${rule}`);
  }
  assert.fail(`accepted ${JSON.stringify(rule)}`);
};

Deno.test("a rule as the vendor returns it: the documented defaults apply", () => {
  const rule = parseLiveUrlRule(base());
  assert.equal(rule.cipherParam, "wsSecret");
  assert.equal(rule.timeParam, "wsTime");
  assert.equal(rule.tolerantTime, 0);
  assert.equal(rule.timeFormat, "hex");
  assert.equal(rule.effectiveTimeMode, "abstime");
  assert.equal(rule.ciphe_combination, "time+path+key");
  assert.equal(rule.keyCount, 1);
  assert.deepEqual(rule.inferred, INFERRED_DEFAULTS);
  assert.deepEqual(INFERRED_DEFAULTS, {
    digestCase: "lower",
    hexTimeCase: "lower",
    pathLeadingSlash: true,
    pathExtension: "keep",
    pathQuery: "exclude",
    pathEncoding: "as-sent",
    tolerance: "both-ends",
  });
  assert.equal(CIPHER_COMBINATIONS.length, 6);
});

Deno.test("numbers may come as the vendor's strings; the JSON text itself is accepted", () => {
  const raw = {
    ...base(),
    effectiveTimeMode: "duration",
    effectiveTime: "1800",
    tolerantTime: "10",
    cipherParam: "sign",
    timeParam: "wsABStime",
    // The vendor's answer holds more than the rule: unknown fields are left alone.
    domainName: "play.example.com",
  };
  const rule = parseLiveUrlRule(JSON.stringify(raw));
  assert.equal(rule.effectiveTime, 1800);
  assert.equal(rule.tolerantTime, 10);
  assert.equal(rule.cipherParam, "sign");
  assert.equal(rule.timeParam, "wsABStime");
  assert.equal(parseLiveUrlRule(rule), rule, "a parsed rule is taken as it is");
});

Deno.test("several keys: secretKey first, then signKeys; duplicates once", () => {
  const [a, b, c] = [key(), key(), key()];
  assert.equal(parseLiveUrlRule({ ...base(), secretKey: undefined, signKeys: [a, b] }).keyCount, 2);
  assert.equal(parseLiveUrlRule({ ...base(), secretKey: c, signKeys: [a, b, c] }).keyCount, 3);
});

Deno.test("each bad field is a WangsuValidationError naming the field and the rule", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ ciphe_combination: undefined }, "ciphe_combination:required"],
    [{ ciphe_combination: "key+time" }, "ciphe_combination:picklist"],
    [{ ciphe_combination: 1 }, "ciphe_combination:picklist"],
    [{ timeFormat: "unix" }, "timeFormat:picklist"],
    [{ timeFormat: undefined }, "timeFormat:required"],
    [{ effectiveTimeMode: "forever" }, "effectiveTimeMode:picklist"],
    [{ effectiveTimeMode: "duration" }, "effectiveTime:required"],
    [{ effectiveTimeMode: "duration", effectiveTime: 0 }, "effectiveTime:min_value"],
    [{ effectiveTimeMode: "duration", effectiveTime: 1.5 }, "effectiveTime:integer"],
    [{ effectiveTimeMode: "duration", effectiveTime: "30m" }, "effectiveTime:integer"],
    [{ tolerantTime: -1 }, "tolerantTime:min_value"],
    [{ tolerantTime: true }, "tolerantTime:integer"],
    [{ secretKey: undefined }, "secretKey:required"],
    [{ secretKey: "" }, "secretKey:non_empty"],
    [{ secretKey: 42 }, "secretKey:type"],
    [{ signKeys: "one" }, "signKeys:type"],
    [{ signKeys: [key(), ""] }, "signKeys.1:non_empty"],
    [{ cipherParam: "ws Secret" }, "cipherParam:query_name"],
    [{ timeParam: "" }, "timeParam:query_name"],
    [{ timeParam: "wsSecret" }, "timeParam:distinct"],
    [{ inferred: { digestCase: "mixed" } }, "inferred.digestCase:picklist"],
    [{ inferred: { pathLeadingSlash: "yes" } }, "inferred.pathLeadingSlash:type"],
    [{ inferred: { pathExtention: "strip" } }, "inferred.pathExtention:unknown"],
    [{ inferred: [] }, "inferred:type"],
  ];
  for (const [change, expected] of cases) {
    assert.deepEqual(issuesOf({ ...base(), ...change }), [expected], JSON.stringify(change));
  }
  assert.deepEqual(issuesOf(null), [":type"]);
  assert.deepEqual(issuesOf([base()]), [":type"]);
  assert.deepEqual(issuesOf("{not json"), [":json"]);
  assert.deepEqual(
    issuesOf({ ...base(), timeFormat: "x", effectiveTimeMode: "y" }),
    ["timeFormat:picklist", "effectiveTimeMode:picklist"],
    "every problem is listed",
  );
});

Deno.test("the messages say what is allowed, and never repeat a key", () => {
  const secret = key();
  const error = (() => {
    try {
      parseLiveUrlRule({
        ...base(),
        secretKey: secret,
        signKeys: [secret, 7 as unknown as string],
      });
    } catch (error) {
      return error as WangsuValidationError;
    }
  })();
  assert.ok(error instanceof WangsuValidationError);
  assert.match(error.message, /signKeys\.1: must be a non-empty string/);
  assert.ok(!error.message.includes(secret));
  assert.ok(!JSON.stringify(error).includes(secret));
  try {
    parseLiveUrlRule({ ...base(), ciphe_combination: "path+key" as "key+path+time" });
  } catch (error) {
    assert.match(String(error), /ciphe_combination: must be one of key\+path\+time, /);
  }
});

Deno.test("a parsed rule hides its keys from JSON, String() and the console", () => {
  const [a, b] = [key(), key()];
  const rule = parseLiveUrlRule({ ...base(), secretKey: a, signKeys: [b] });
  for (const shown of [JSON.stringify(rule), String(rule), Deno.inspect(rule), `${rule}`]) {
    assert.ok(!shown.includes(a) && !shown.includes(b), shown);
    assert.match(shown, /redacted/);
  }
  assert.ok(!Object.values(rule).some((value) => value === a || value === b));
  assert.ok(Object.isFrozen(rule));
});
