// Every action, checked against the vendor's own spec (shared/wangsu-api/channels.spec.json, next
// to the project and read apart from ours): the request it sends, the input it refuses, and the
// response it accepts; and the facts of our spec (src/actions/spec.json, which the actions are
// generated from) against the vendor's.
import assert from "node:assert/strict";
import * as sdk from "../../mod.ts";
import { actions } from "../../src/actions/table.ts";
import { verifyRequest } from "../../src/verifier.ts";
import vendor from "../../../shared/wangsu-api/channels.spec.json" with { type: "json" };
import spec from "../../src/actions/spec.json" with { type: "json" };
import { examples } from "../fixtures/examples.ts";
import { envelope, recordingFetch, testCredentials } from "../helpers.ts";

interface Field {
  name: string;
  type: string;
  required: boolean;
  fields?: Field[];
  items?: { type: string; fields?: Field[] };
}
interface Fact {
  fn: string;
  method: string;
  path: string;
  request: Field[];
  response: Field[];
}

type ActionFunction = (
  client: sdk.WangsuClient,
  input: unknown,
  options?: sdk.CallOptions,
) => Promise<unknown>;
const functions = sdk as unknown as Record<string, ActionFunction>;
const specActions = vendor.actions as Fact[];
const byName = new Map(actions.map((action) => [action.name, action]));

// Response payloads built from the spec: integers are sent as strings, and every object carries
// a field the spec does not know, to prove both are tolerated.
const EXTRA = "vendorAddedLater";
// The spec types `forwardTastList` as one object; the SDK always hands out an array.
const LISTS_IN_SPEC_AS_OBJECT = new Set(["forwardTastList"]);
const wire = (field: Pick<Field, "type" | "fields" | "items">): unknown => {
  if (field.type == "string") return "text";
  if (field.type == "integer") return "7";
  if (field.type == "boolean") return true;
  if (field.type == "array") return [wire(field.items ?? { type: "string" })];
  const out: Record<string, unknown> = { [EXTRA]: "kept" };
  for (const f of field.fields ?? []) out[f.name] = wire(f);
  return out;
};
const parsed = (field: Pick<Field, "type" | "fields" | "items" | "name">): unknown => {
  if (field.type == "integer") return 7;
  if (field.type == "array") return [parsed({ name: "", ...(field.items ?? { type: "string" }) })];
  if (field.type != "object") return wire(field);
  const out: Record<string, unknown> = { [EXTRA]: "kept" };
  for (const f of field.fields ?? []) {
    out[f.name] = LISTS_IN_SPEC_AS_OBJECT.has(f.name) ? [parsed(f)] : parsed(f);
  }
  return out;
};
const dataOf = (fact: Fact) => fact.response.find((f) => f.name == "data")!;

const client = (fetch: typeof globalThis.fetch) =>
  sdk.createClient({ ...testCredentials, endpoint: "https://api.test", fetch });

Deno.test("the table holds exactly the vendor spec's actions, each exported as a function", () => {
  assert.equal(actions.length, spec.actions.length);
  assert.deepEqual(
    actions.map((a) => a.name).sort(),
    specActions.map((a) => a.fn).sort(),
  );
  for (const fact of specActions) {
    const action = byName.get(fact.fn)!;
    assert.equal(action.path, fact.path, fact.fn);
    assert.equal(fact.method, "POST");
    assert.equal(typeof functions[fact.fn], "function", fact.fn);
    assert.equal(typeof examples[fact.fn], "object", `example for ${fact.fn}`);
  }
});

Deno.test("input schemas have the spec's wire names and required flags", () => {
  for (const fact of specActions) {
    const schema = byName.get(fact.fn)!.input as unknown as {
      entries?: Record<string, { type: string }>;
      pipe?: { entries: Record<string, { type: string }> }[];
    };
    const entries = schema.entries ?? schema.pipe![0].entries;
    assert.deepEqual(Object.keys(entries).sort(), fact.request.map((f) => f.name).sort(), fact.fn);
    for (const field of fact.request) {
      assert.equal(
        entries[field.name].type != "optional",
        field.required,
        `${fact.fn}.${field.name}`,
      );
    }
  }
});

for (const fact of specActions) {
  const call = (fetch: typeof globalThis.fetch, input: unknown) =>
    functions[fact.fn](client(fetch), input);

  Deno.test(`${fact.fn}: sends a signed POST of the input to ${fact.path}`, async () => {
    const fetch = recordingFetch(() => envelope(wire(dataOf(fact))));
    const before = Math.floor(Date.now() / 1000);
    await call(fetch, examples[fact.fn]);
    const after = Math.floor(Date.now() / 1000);
    assert.equal(fetch.requests.length, 1);
    const [request] = fetch.requests;
    assert.equal(request.method, "POST");
    assert.equal(request.url, `https://api.test${fact.path}`);
    assert.equal(request.headers.get("content-type"), "application/json");
    assert.equal(request.headers.get("accept"), "application/json");
    assert.equal(request.headers.get("x-cnc-auth-method"), "AKSK");
    assert.equal(request.headers.get("x-cnc-accesskey"), testCredentials.accessKey);
    const timestamp = Number(request.headers.get("x-cnc-timestamp"));
    // Between the clock's seconds before and after the call (not a fixed "before + 2", which a
    // call slowed down on a loaded machine would overrun).
    assert.ok(timestamp >= before && timestamp <= after, `timestamp ${timestamp}`);
    assert.match(
      request.headers.get("authorization")!,
      /^CNC-HMAC-SHA256 Credential=AK_TEST, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$/,
    );
    assert.deepEqual(JSON.parse(fetch.bodies[0]), examples[fact.fn]);
    const verified = await verifyRequest(request, () => testCredentials.secretKey);
    assert.equal(verified.ok, true);
  });

  Deno.test(`${fact.fn}: parses the spec's response, coercing numbers sent as strings`, async () => {
    const fetch = recordingFetch(() => envelope(wire(dataOf(fact))));
    const data = dataOf(fact);
    const expected = data.type == "array" && fact.fn == "getDirectoryList"
      ? [parsed({ name: "", ...data.items! })]
      : parsed(data);
    assert.deepEqual(await call(fetch, examples[fact.fn]), expected);
  });

  for (const field of fact.request.filter((f) => f.required)) {
    Deno.test(`${fact.fn}: refuses a missing ${field.name} without sending`, async () => {
      const fetch = recordingFetch();
      const input = { ...examples[fact.fn] };
      delete input[field.name];
      const error = await call(fetch, input).catch((e) => e);
      assert.ok(error instanceof sdk.WangsuValidationError, String(error));
      assert.equal(error.action, fact.fn);
      assert.ok(
        error.issues.some((i: sdk.ValidationIssue) => i.path == field.name && i.rule == "required"),
        JSON.stringify(error.issues),
      );
      assert.match(error.message, new RegExp(`${field.name}: is required`));
      assert.equal(fetch.requests.length, 0);
    });
  }

  for (const field of fact.request) {
    const wrong = field.type == "string" ? 42 : field.type == "integer" ? "7" : "yes";
    Deno.test(`${fact.fn}: refuses ${field.name} of the wrong type without sending`, async () => {
      const fetch = recordingFetch();
      const error = await call(fetch, { ...examples[fact.fn], [field.name]: wrong }).catch((e) =>
        e
      );
      assert.ok(error instanceof sdk.WangsuValidationError, String(error));
      assert.ok(
        error.issues.some((i: sdk.ValidationIssue) => i.path == field.name),
        JSON.stringify(error.issues),
      );
      assert.equal(fetch.requests.length, 0);
    });
  }

  Deno.test(`${fact.fn}: refuses unknown fields and non-objects without sending`, async () => {
    const fetch = recordingFetch();
    const error = await call(fetch, { ...examples[fact.fn], pageSise: 10 }).catch((e) => e);
    assert.ok(error instanceof sdk.WangsuValidationError);
    assert.deepEqual(error.issues.map((i: sdk.ValidationIssue) => [i.path, i.rule]), [[
      "pageSise",
      "unknown_field",
    ]]);
    const notObject = await call(fetch, "pullId=1").catch((e) => e);
    assert.ok(notObject instanceof sdk.WangsuValidationError);
    assert.equal(notObject.issues[0].rule, "type");
    assert.equal(fetch.requests.length, 0);
  });
}

// Our spec's facts in the vendor's terms: a field's wire name, type, required flag and nesting.
interface OurField {
  type: unknown;
  required?: boolean;
  nullable?: boolean;
}
interface OurObject {
  extends?: string;
  fields: Record<string, OurField>;
}
const groups = spec.groups as unknown as Record<string, OurObject>;
const fieldsOf = (type: OurObject): [string, OurField][] => [
  ...(type.extends ? fieldsOf(groups[type.extends]) : []),
  ...Object.entries(type.fields),
];

/** Where our type (a response's) and the vendor's field differ, one line each. */
const differences = (
  ours: unknown,
  theirs: Pick<Field, "type" | "fields" | "items">,
  at: string,
): string[] => {
  const type = typeof ours == "string" && groups[ours] ? groups[ours] : ours;
  if (typeof type == "string") {
    const wire = type == "object" ? "object" : type;
    return wire == theirs.type && (type != "object" || !theirs.fields?.length)
      ? []
      : [`${at}: ${type}, the vendor says ${theirs.type}`];
  }
  const shape = type as { list?: unknown; oneOrMany?: unknown } & Partial<OurObject>;
  if (shape.list !== undefined) {
    return theirs.type == "array"
      ? differences(shape.list, theirs.items!, `${at}[]`)
      : [`${at}: a list, the vendor says ${theirs.type}`];
  }
  // A list the vendor types as one object, or as a list: the SDK takes either.
  if (shape.oneOrMany !== undefined) {
    return differences(shape.oneOrMany, theirs.type == "array" ? theirs.items! : theirs, `${at}[]`);
  }
  if (theirs.type != "object") return [`${at}: an object, the vendor says ${theirs.type}`];
  const own: [string, OurField][] = fieldsOf(shape as OurObject);
  const names = own.map(([name]) => name).sort();
  const theirNames = (theirs.fields ?? []).map((f) => f.name).sort();
  if (names.join() != theirNames.join()) {
    return [`${at}: fields ${names.join(", ")}; the vendor's ${theirNames.join(", ")}`];
  }
  return own.flatMap(([name, field]) =>
    differences(field.type, theirs.fields!.find((f) => f.name == name)!, `${at}.${name}`)
  );
};

Deno.test("our spec's facts are the vendor's: paths, request fields, response fields", () => {
  const ours = spec.actions as unknown as {
    name: string;
    path: string;
    input: OurObject;
    output: unknown;
  }[];
  assert.deepEqual(ours.map((a) => a.name).sort(), specActions.map((a) => a.fn).sort());
  const found: string[] = [];
  for (const action of ours) {
    const fact = specActions.find((a) => a.fn == action.name)!;
    if (action.path != fact.path) found.push(`${action.name}: path ${action.path}`);
    const request = fieldsOf(action.input).map(([name, field]) =>
      `${name} ${field.type} ${field.required ?? false}`
    );
    const theirs = fact.request.map((field) => `${field.name} ${field.type} ${field.required}`);
    if (request.sort().join() != theirs.sort().join()) {
      found.push(
        `${action.name} request: ${request.join(", ")}; the vendor's ${theirs.join(", ")}`,
      );
    }
    found.push(...differences(action.output, dataOf(fact), `${action.name} data`));
  }
  assert.deepEqual(found, [], found.join("\n"));
});
