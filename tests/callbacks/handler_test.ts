import assert from "node:assert/strict";
import { type CallbackEvent, createCallbackHandler } from "../../src/callbacks/mod.ts";
import { settles, until } from "../helpers.ts";

Deno.test("the handler answers before the user's work runs, then hands it the event", async () => {
  const seen: CallbackEvent[] = [];
  let release!: () => void;
  const slow = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const handed = new Promise<void>((resolve) => (arrived = resolve));
  const waits: Promise<unknown>[] = [];
  const handler = createCallbackHandler({
    async onEvent(event) {
      seen.push(event);
      arrived();
      await slow;
    },
  });
  const response = await handler(
    new Request("https://h.example/cb?action=publish&pullId=p1&time=1767225600"),
    { waitUntil: (promise) => waits.push(promise) },
  );
  assert.equal(response.status, 200);
  assert.equal(seen.length, 0, "answered first");
  assert.equal((await response.json()).code, 200);
  await settles(handed, "onEvent to be called");
  assert.equal(seen.length, 1);
  assert.equal(seen[0].type, "push.started");
  assert.equal(waits.length, 1, "the work is handed to waitUntil");
  release();
  await waits[0];
});

Deno.test("malformed callbacks get 400 with the issues; failures in onEvent never become 500", async () => {
  const errors: unknown[] = [];
  const handler = createCallbackHandler({
    onEvent() {
      throw new Error("user bug");
    },
    onError: (error) => errors.push(error),
  });
  const bad = await handler(new Request("https://h.example/cb?action=publish&pullId=%ZZ"));
  assert.equal(bad.status, 400);
  assert.deepEqual((await bad.json()).issues.map((i: { rule: string }) => i.rule), ["encoding"]);
  const ok = await handler(new Request("https://h.example/cb?action=publish&pullId=p"));
  assert.equal(ok.status, 200);
  // No waitUntil given: the work still runs after the answer, and its failure is reported.
  await until(() => errors.length >= 2, "onEvent's failure to be reported");
  assert.equal(errors.length, 2);
  assert.match(String(errors[1]), /user bug/);
  const put = await handler(new Request("https://h.example/cb", { method: "PUT" }));
  assert.equal(put.status, 405);
  assert.equal(put.headers.get("allow"), "GET, POST");
});
