// Item 18 (bodies): a top-level JSON array and an integer beyond 2^53 are refused with 400 and
// never reach the service (they were forwarded as {} and as a rounded number).
import assert from "node:assert/strict";
import { LIST, randomSecret, securedGateway } from "./gateway_fixture.ts";

const token = randomSecret("token");
const keys = [{ name: "alice", token, actions: ["*"] }];
const bearer = { authorization: `Bearer ${token}` };

Deno.test("a top-level JSON array, string, number or null is refused with 400", async () => {
  const { post, simulator } = securedGateway({ keys });
  for (const body of ["[]", '[{"pageIndex":1}]', '"text"', "42", "null"]) {
    const response = await post(LIST, body, bearer);
    assert.equal(response.status, 400, body);
    assert.equal((await response.json()).message, "The body must be a JSON object");
  }
  assert.equal(simulator.stats.requests, 0);
});

Deno.test("an integer beyond 2^53 is refused with 400 naming the field, not rounded", async () => {
  const { post, simulator } = securedGateway({ keys });
  const response = await post(LIST, '{"pageIndex": 9007199254740993}', bearer);
  assert.equal(response.status, 400);
  const json = await response.json();
  assert.deepEqual(json.issues, [{
    path: "pageIndex",
    rule: "safe_integer",
    message: "pageIndex: must be a whole number (at most 2^53)",
  }]);
  assert.equal(simulator.stats.requests, 0);
  // Long digit runs inside strings and safe integers still pass.
  const fine = await post(
    LIST,
    '{"pageIndex": 9007199254740991, "pageSize": 10, "channelName": "12345678901234567890"}',
    bearer,
  );
  assert.notEqual(fine.status, 500);
  assert.ok(
    fine.status == 200 || (await fine.json()).issues?.every(
      (issue: { rule: string }) => issue.rule != "safe_integer",
    ),
  );
});
