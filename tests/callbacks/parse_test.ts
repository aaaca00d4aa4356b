import assert from "node:assert/strict";
import fc from "fast-check";
import {
  callbackUrl,
  MAX_QUERY_LENGTH,
  parseCallback,
  WangsuCallbackError,
} from "../../src/callbacks/mod.ts";
import { WangsuValidationError } from "../../src/errors.ts";

const T = 1767225600; // 2026-01-01T00:00:00Z
const hook = "https://hooks.example.com/wangsu?source=cdn";

const issuesOf = (input: string) => {
  try {
    parseCallback(input);
  } catch (error) {
    assert.ok(error instanceof WangsuCallbackError, `typed error for ${input}`);
    assert.ok(error instanceof WangsuValidationError);
    return error.issues.map((issue) => `${issue.path} ${issue.rule}`);
  }
  assert.fail(`accepted ${input}`);
};

Deno.test("every event kind, as the simulator writes it", () => {
  const started = parseCallback(
    callbackUrl(hook, "publish", {
      pullId: "p1",
      pushDomain: "push.example.com",
      channelType: "live",
      pushId: "s1",
      time: T,
    }),
  );
  assert.equal(started.type, "push.started");
  assert.ok(started.type == "push.started");
  assert.equal(started.pullId, "p1");
  assert.equal(started.pushDomain, "push.example.com");
  assert.equal(started.time, "2026-01-01T00:00:00.000Z");
  assert.deepEqual(started.extra, { source: "cdn" }, "the notifyUrl's own parameters are kept");

  const stopped = parseCallback(
    callbackUrl(hook, "publish_done", { pullId: "p1", reason: "forbid", time: T }),
  );
  assert.ok(stopped.type == "push.stopped");
  assert.equal(stopped.reason, "forbid");
  assert.equal(parseCallback(`?action=forbid&pullId=p1&time=${T}`).type, "channel.banned");
  assert.equal(parseCallback(`?action=resume&pullId=p1&time=${T}`).type, "channel.reopened");

  for (const [code, status] of ["pending", "recording", "finished", "stopped"].entries()) {
    const event = parseCallback(
      `?action=record&taskId=t1&pullId=p1&transNo=n9&status=${code}&time=${T}`,
    );
    assert.ok(event.type == "record.status");
    assert.deepEqual([event.taskId, event.pullId, event.transNo, event.status, event.statusCode], [
      "t1",
      "p1",
      "n9",
      status,
      code,
    ]);
  }
  for (const [code, status] of ["pending", "forwarding", "ended", "failed"].entries()) {
    const event = parseCallback(`?action=forward&taskId=t2&status=${code}&time=${T}`);
    assert.ok(event.type == "forward.status");
    assert.deepEqual([event.taskId, event.status, event.pullId], ["t2", status, undefined]);
  }
});

Deno.test("times: seconds, milliseconds, China time; absent means now", () => {
  const at = (time: string) => parseCallback(`?action=publish&pullId=p&time=${time}`).time;
  assert.equal(at(String(T)), "2026-01-01T00:00:00.000Z");
  assert.equal(at(String(T * 1000 + 5)), "2026-01-01T00:00:00.005Z");
  assert.equal(at("2026-01-01%2008:00:00"), "2026-01-01T00:00:00.000Z", "UTC+8, as the API writes");
  const now = parseCallback("?action=publish&pullId=p", { now: () => T * 1000 });
  assert.equal(now.time, "2026-01-01T00:00:00.000Z");
  assert.deepEqual(issuesOf("?action=publish&pullId=p&time=yesterday"), ["time format"]);
});

Deno.test("lenient: unknown parameters kept, unknown kinds kept, input as Request, URL or query", () => {
  const event = parseCallback(new Request(`https://x.example/cb?action=transcode&job=7&time=${T}`));
  assert.equal(event.type, "unknown");
  assert.ok(event.type == "unknown");
  assert.equal(event.action, "transcode");
  assert.deepEqual(event.extra, { job: "7" });
  const url = new URL(`https://x.example/cb?action=publish&pullId=p&a=1&a=2&flag`);
  const fromUrl = parseCallback(url);
  assert.deepEqual(fromUrl.extra, { a: "1", flag: "" }, "an unknown repeat keeps its first value");
  assert.equal(parseCallback("action=publish&pullId=p&b=x+y%20z").extra.b, "x y z");
});

Deno.test("ids: a redelivery has the same id, any change gives another", () => {
  const one = parseCallback(`?action=publish&pullId=p&time=${T}`);
  const again = parseCallback(`?time=${T}&pullId=p&action=publish`);
  const other = parseCallback(`?action=publish&pullId=p&time=${T + 1}`);
  assert.equal(one.id, again.id, "parameter order does not matter");
  assert.notEqual(one.id, other.id);
  assert.match(one.id, /^[0-9a-f]{16}$/);
});

Deno.test("malformed and hostile input: typed errors naming the parameter and rule", () => {
  assert.deepEqual(issuesOf("?pullId=p"), ["action required"]);
  assert.deepEqual(issuesOf(`?action=publish&time=${T}`), ["pullId required"]);
  assert.deepEqual(issuesOf("?action=publish&pullId=%3Cscript%3E"), ["pullId format"]);
  assert.deepEqual(issuesOf("?action=record&status=1"), ["taskId required"]);
  assert.deepEqual(issuesOf("?action=record&taskId=t&status=7"), ["status picklist"]);
  assert.deepEqual(issuesOf("?action=forward&taskId=t&status=4"), ["status picklist"]);
  assert.deepEqual(issuesOf("?action=forward&taskId=t"), ["status required"]);
  assert.deepEqual(issuesOf("?action=publish&pullId=a&pullId=b"), ["pullId repeated"]);
  assert.deepEqual(issuesOf("?action=publish&pullId=%E0%A4%A"), ["pullId encoding"]);
  assert.deepEqual(issuesOf("?action=publish&pullId=%C3%28"), ["pullId encoding"], "bad UTF-8");
  assert.deepEqual(issuesOf(`?action=publish&pullId=p&x=${"a".repeat(3000)}`), ["x max_length"]);
  assert.deepEqual(issuesOf(`?${"a".repeat(MAX_QUERY_LENGTH + 1)}`), [" max_length"]);
  assert.deepEqual(
    issuesOf(`?${Array.from({ length: 65 }, (_, i) => `p${i}=1`).join("&")}`),
    [" max_parameters"],
  );
  assert.deepEqual(issuesOf("?action=record&taskId=t&status=9&time=x"), [
    "time format",
    "status picklist",
  ], "every issue at once");
  assert.deepEqual(issuesOf("http://[bad"), [" url"]);
  // Prototype pollution: names that would reach a prototype if assigned naively, or expanded as
  // nested keys (`a[b]=c`, `a.b=c`), are kept as plain values of the parsed objects.
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype);
  const polluted = parseCallback(
    "?action=publish&pullId=p&__proto__=x&constructor=y" +
      "&__proto__%5Bpolluted%5D=1&constructor.prototype.polluted=1",
  );
  const names = [
    "__proto__",
    "constructor",
    "__proto__[polluted]",
    "constructor.prototype.polluted",
  ];
  assert.deepEqual(Object.keys(polluted.extra), names);
  assert.deepEqual(Object.keys(polluted.params), ["action", "pullId", ...names]);
  for (const object of [polluted.extra, polluted.params]) {
    assert.equal(Object.getPrototypeOf(object), Object.prototype, "the prototype is not set");
    assert.deepEqual(
      Object.getOwnPropertyDescriptor(object, "__proto__"),
      { value: "x", writable: true, enumerable: true, configurable: true },
      "__proto__ is an own value",
    );
    assert.equal(Object.hasOwn(object, "constructor") && object.constructor, "y");
  }
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype), prototypeNames, "no pollution");
  assert.equal(({} as Record<string, unknown>).polluted, undefined, "no pollution");
});

Deno.test("property: any query either parses or throws WangsuCallbackError, never anything else", () => {
  const piece = fc.oneof(
    fc.string(),
    fc.constantFrom(
      "action=publish",
      "action=record",
      "pullId=p",
      "status=1",
      "taskId=t",
      "%",
      "%ZZ",
      "%C3",
      "=",
      "&&",
      "+",
    ),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      const query = pieces.join("&");
      try {
        const event = parseCallback(`?${query}`);
        assert.equal(typeof event.id, "string");
        JSON.stringify(event);
      } catch (error) {
        assert.ok(error instanceof WangsuCallbackError, String(error));
        assert.ok(error.issues.length > 0);
        assert.ok(error.message.length < 2_000, "messages stay short whatever the input");
      }
    }),
    { numRuns: 2_000 },
  );
});
