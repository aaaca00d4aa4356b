// Golden vectors computed by an independent tool (Python's hashlib, from the rule's description
// alone: tests/fixtures/url_signing_vectors.py): the signer reproduces each signed URL byte for
// byte and the check accepts it; when python3 is present the script is run again and must give
// the checked-in data.
import assert from "node:assert/strict";
import { md5Hex } from "../../src/url_signing/md5.ts";
import type { TimestampAntiLeechRule } from "../../src/url_signing/rule.ts";
import { signLiveUrl } from "../../src/url_signing/sign.ts";
import { verifyLiveUrl } from "../../src/url_signing/verify.ts";

interface Vector {
  name: string;
  rule: TimestampAntiLeechRule;
  url: string;
  now: number;
  expiresIn?: number;
  hashed: string;
  signed: string;
}

const fixture = new URL("../fixtures/url_signing_vectors.json", import.meta.url);
const script = new URL("../fixtures/url_signing_vectors.py", import.meta.url);
const vectors: Vector[] = JSON.parse(await Deno.readTextFile(fixture));

Deno.test("the vectors cover the 36 combinations, the documented case and each inferred option", () => {
  const combinations = new Set(
    vectors.map((v) =>
      `${v.rule.ciphe_combination} ${v.rule.timeFormat} ${v.rule.effectiveTimeMode}`
    ),
  );
  assert.ok(combinations.size >= 36, `${combinations.size} combinations`);
  assert.ok(vectors.some((v) => v.rule.timeParam == "wsABStime"));
  const options = new Set(vectors.flatMap((v) => Object.keys(v.rule.inferred ?? {})));
  assert.deepEqual([...options].sort(), [
    "digestCase",
    "hexTimeCase",
    "pathEncoding",
    "pathExtension",
    "pathLeadingSlash",
    "pathQuery",
  ]);
});

for (const vector of vectors) {
  Deno.test(`golden vector: ${vector.name}`, () => {
    const options = vector.expiresIn === undefined
      ? { now: vector.now }
      : { now: vector.now, expiresIn: vector.expiresIn };
    assert.equal(signLiveUrl(vector.url, vector.rule, options).url, vector.signed);
    const signature = new URL(vector.signed).searchParams.get(
      vector.rule.cipherParam ?? "wsSecret",
    );
    assert.equal(signature!.toLowerCase(), md5Hex(vector.hashed));
    const check = verifyLiveUrl(vector.signed, vector.rule, { now: vector.now });
    assert.ok(check.ok, JSON.stringify(check));
  });
}

const hasPython = await new Deno.Command("python3", { args: ["--version"] }).output().then(
  (output) => output.success,
  () => false,
);

Deno.test({
  name: "the Python script gives the checked-in vectors again",
  ignore: !hasPython,
  async fn() {
    const { code, stdout, stderr } = await new Deno.Command("python3", {
      args: [script.pathname],
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    assert.deepEqual(JSON.parse(new TextDecoder().decode(stdout)), vectors);
  },
});
