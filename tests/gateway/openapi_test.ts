// The gateway's OpenAPI document: each action's request body schema carries its fields' docs.
import assert from "node:assert/strict";
import { createGateway } from "../../src/gateway/mod.ts";
import { createSimulator } from "../../src/simulator/mod.ts";
import spec from "../../src/actions/spec.json" with { type: "json" };

const master = { accessKey: "AK_MASTER", secretKey: `SK_MASTER_${crypto.randomUUID()}` };

type Schema = { properties?: Record<string, { description?: string }> };
type Fields = Record<string, { doc: string }>;
/** The spec's actions, as far as this test reads them. */
const actions = spec.actions as unknown as {
  name: string;
  path: string;
  input: { extends?: string; fields: Fields };
}[];
const groups = spec.groups as unknown as Record<string, { fields: Fields }>;

Deno.test("each request body's fields carry their descriptions from the spec", async () => {
  const simulator = createSimulator({ credentials: [master] });
  const gateway = createGateway({
    upstream: { ...master, endpoint: "http://upstream.test", fetch: simulator.fetch },
    keys: [{ name: "viewer", token: `viewer-${crypto.randomUUID()}`, actions: ["read"] }],
    auditLog: false,
  });
  const document = await (await gateway.fetch(new Request("http://gw.test/openapi.json"))).json();
  let described = 0;
  for (const action of actions) {
    const schema: Schema =
      document.paths[action.path].post.requestBody.content["application/json"].schema;
    const fields: Fields = {
      ...(action.input.extends ? groups[action.input.extends].fields : {}),
      ...action.input.fields,
    };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      assert.equal(property.description, fields[name].doc, `${action.name}.${name}`);
      described++;
    }
  }
  assert.ok(described > 50, `${described} fields described`);
  const pageSize = document.paths["/live/channelManage/getChannelList"].post.requestBody
    .content["application/json"].schema.properties.pageSize;
  assert.match(pageSize.description, /Items per page/);
});
