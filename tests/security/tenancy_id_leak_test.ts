// The review's finding: refusals named another tenant's task id. Team B querying a recording by
// team A's `transNo`, or creating one with it (the service answers A's existing task), was
// refused with 403 naming A's taskId. Now the refusal names no id the request did not contain.
import assert from "node:assert/strict";
import { tokens, twoTenants } from "./tenancy_fixture.ts";

Deno.test("a refusal names no id of another tenant that the request did not name", async () => {
  const { call, create } = twoTenants();
  const ofA = await create(tokens.a);
  const ofB = await create(tokens.b);
  const endTime = Math.floor(Date.now() / 1000) + 3600;
  const transNo = `o${crypto.randomUUID().slice(0, 20)}`;
  const task = { quickStart: true, endTime, transNo };
  const made = await call(tokens.a, "/live/channelManage/createRecordTask", {
    ...task,
    pullId: ofA,
  });
  assert.equal(made.status, 200, JSON.stringify(made.body));
  const taskOfA = String(made.body.data.taskId);
  for (
    const [path, input] of [
      ["/live/channelManage/recordTaskQuery", { transNo }],
      ["/live/channelManage/createRecordTask", { ...task, pullId: ofB }],
    ] as const
  ) {
    const refused = await call(tokens.b, path, input);
    assert.equal(refused.status, 403, path);
    assert.equal(refused.body.reason, "not-owned", path);
    assert.ok(
      !JSON.stringify(refused.body).includes(taskOfA),
      `${path}: ${JSON.stringify(refused.body)}`,
    );
  }
});
