// Events read back from JSON (an `/events` message, a webhook body) are checked field by field.
import assert from "node:assert/strict";
import { callbackUrl, parseCallback, readEvent } from "../../src/callbacks/mod.ts";
import { WangsuValidationError } from "../../src/errors.ts";

const T = 1767225600;
const hook = "https://hooks.example.com/wangsu?source=cdn";
const kinds = [
  callbackUrl(hook, "publish", { pullId: "p1", pushDomain: "push.example.com", time: T }),
  callbackUrl(hook, "publish_done", { pullId: "p1", reason: "forbid", time: T }),
  callbackUrl(hook, "forbid", { pullId: "p1", time: T }),
  callbackUrl(hook, "resume", { pullId: "p1", time: T }),
  callbackUrl(hook, "record", { taskId: "t1", pullId: "p1", transNo: "n9", status: 3, time: T }),
  callbackUrl(hook, "forward", { taskId: "t1", status: 1, time: T }),
  `${hook}&action=transcode&time=${T}`,
].map((url) => parseCallback(url));

const issuesOf = (value: unknown) => {
  try {
    readEvent(value);
  } catch (error) {
    assert.ok(error instanceof WangsuValidationError);
    return error.issues.map((issue) => `${issue.path} ${issue.rule}`);
  }
  assert.fail(`accepted ${JSON.stringify(value)}`);
};

Deno.test("every event the parser makes reads back from its JSON, unchanged", () => {
  assert.deepEqual(kinds.map((event) => event.type), [
    "push.started",
    "push.stopped",
    "channel.banned",
    "channel.reopened",
    "record.status",
    "forward.status",
    "unknown",
  ]);
  for (const event of kinds) assert.deepEqual(readEvent(JSON.parse(JSON.stringify(event))), event);
  const newer = { ...kinds[0], region: "eu" }; // a field a newer gateway adds is kept
  assert.deepEqual(readEvent(newer), newer);
});

Deno.test("what is not an event is refused, naming each field and rule", () => {
  const [started, , , , recorded, , unknown] = kinds;
  assert.deepEqual(issuesOf(null), [" type"]);
  assert.deepEqual(issuesOf("push.started"), [" type"]);
  assert.deepEqual(issuesOf({ ...started, pullId: undefined }), ["pullId required"]);
  assert.deepEqual(issuesOf({ ...started, pullId: "a b" }), ["pullId format"]);
  assert.deepEqual(issuesOf({ ...started, reason: 3 }), ["reason type"]);
  assert.deepEqual(issuesOf({ ...started, id: "" }), ["id format"]);
  assert.deepEqual(issuesOf({ ...started, time: "2026-01-01 00:00:00" }), ["time format"]);
  assert.deepEqual(issuesOf({ ...started, time: "2026-02-31T00:00:00Z" }), ["time format"]);
  assert.deepEqual(issuesOf({ ...started, params: { n: 1 } }), ["params type"]);
  assert.deepEqual(issuesOf({ ...started, type: "push.paused" }), ["type picklist"]);
  assert.deepEqual(issuesOf({ ...recorded, status: "done" }), ["status picklist"]);
  assert.deepEqual(issuesOf({ ...recorded, statusCode: 2 }), ["statusCode value"]);
  assert.deepEqual(issuesOf({ ...recorded, taskId: undefined, transNo: 1 }), [
    "taskId required",
    "transNo type",
  ]);
  assert.deepEqual(issuesOf({ ...unknown, action: undefined }), ["action required"]);
});
