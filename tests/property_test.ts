// Property tests (fast-check): random values never get past validation unless the schema
// accepts them, and the signer's invariants hold for any header list and any body.
import assert from "node:assert/strict";
import fc from "fast-check";
import * as v from "valibot";
import * as sdk from "../mod.ts";
import { actions } from "../src/actions/table.ts";
import facts from "./fixtures/spec_facts.json" with { type: "json" };
import { envelope, recordingFetch, testCredentials } from "./helpers.ts";

type ActionFunction = (client: sdk.WangsuClient, input: unknown) => Promise<unknown>;
const functions = sdk as unknown as Record<string, ActionFunction>;

for (const action of actions) {
  const fields = facts.actions.find((a) => a.fn == action.name)!.request.map((f) => f.name);
  // Plain random JSON, and objects made of the action's own field names with random values,
  // which come much closer to valid input.
  const input = fc.oneof(
    fc.jsonValue(),
    fc.dictionary(fc.constantFrom(...fields), fc.jsonValue(), { minKeys: 1 }),
    fc.dictionary(fc.constantFrom(...fields), fc.oneof(fc.string(), fc.integer(), fc.boolean()), {
      minKeys: 1,
    }),
  );
  Deno.test(`${action.name}: random input is refused before fetch unless the schema accepts it`, async () => {
    await fc.assert(
      fc.asyncProperty(input, async (value) => {
        const fetch = recordingFetch(() => envelope({}));
        const client = sdk.createClient({ ...testCredentials, fetch, retries: 0 });
        const valid = v.safeParse(action.input as unknown as v.GenericSchema, value).success;
        const error = await functions[action.name](client, value).then(() => undefined, (e) => e);
        if (error instanceof sdk.WangsuValidationError) {
          assert.equal(valid, false);
          assert.equal(fetch.requests.length, 0);
          assert.ok(error.issues.length > 0 && error.issues.every((i) => i.message.includes(": ")));
        } else {
          assert.equal(valid, true, `got past validation: ${JSON.stringify(value)}`);
          assert.equal(fetch.requests.length, 1);
          assert.ok(error === undefined || error instanceof sdk.WangsuApiError, String(error));
        }
      }),
      { numRuns: 150 },
    );
  });
}

const names = ["content-type", "host", "x-cnc-timestamp", "x-cnc-accesskey", "accept"];
const credentials = { accessKey: "AK_PROP", secretKey: "SK_PROP_secret" };
const sign = (body: string, signedHeaders?: string) =>
  sdk.signRequest(
    { method: "POST", url: "https://open.chinanetcenter.com/live/x", body },
    credentials,
    { timestamp: 1_764_000_000, signedHeaders },
  ).then((headers) => headers.get("authorization")!.replace(/SignedHeaders=[^,]*, /, ""));

Deno.test("signer: the order and case of signed header names never change the signature", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.shuffledSubarray(names, { minLength: 1 }),
      fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
      fc.string(),
      async (subset, upper, body) => {
        const canonical = await sign(body, [...subset].sort().join(";"));
        const shuffled = subset.map((n, i) => (upper[i] ? n.toUpperCase() : n)).join(";");
        const repeated = `${shuffled};${subset[0]}`;
        assert.equal(await sign(body, shuffled), canonical);
        assert.equal(await sign(body, repeated), canonical);
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("signer: any change to the body changes the signature", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.string({ minLength: 1 }),
      fc.nat(),
      fc.string({ minLength: 1, maxLength: 1, unit: "grapheme" }),
      async (body, at, replacement) => {
        const index = at % body.length;
        const changed = body.slice(0, index) + replacement + body.slice(index + 1);
        fc.pre(changed != body);
        assert.notEqual(await sign(changed), await sign(body));
      },
    ),
    { numRuns: 300 },
  );
});
