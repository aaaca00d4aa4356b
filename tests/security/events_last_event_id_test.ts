// Security review, item 4: `/events` took a `Last-Event-ID` (or `?lastEventId=`) of any length
// (200 KB was accepted and handed to the hub). Like a malformed `?access_token=`, an id that no
// position of the hub could be (longer than 128 characters, or other than visible ASCII) is now
// refused before anything is built from it: 400 `invalid-last-event-id`, no subscription.
import assert from "node:assert/strict";
import { eventsGateway, tokens } from "./events_fixture.ts";

const request = (headers: Record<string, string>, query = "") =>
  new Request(`http://gateway.test/events${query}`, {
    headers: { authorization: `Bearer ${tokens.reader}`, ...headers },
  });

Deno.test("a Last-Event-ID no position could be is 400, and nothing subscribes", async () => {
  const { gateway, hub } = eventsGateway();
  for (
    const [headers, query] of [
      [{ "last-event-id": "a".repeat(200_000) }, ""],
      [{ "last-event-id": "a".repeat(129) }, ""],
      [{}, `?lastEventId=${"b".repeat(129)}`],
      [{}, `?lastEventId=${encodeURIComponent("id with spaces")}`],
      [{}, `?lastEventId=${encodeURIComponent("idé")}`],
    ] as const
  ) {
    const response = await gateway.fetch(request(headers, query));
    assert.equal(response.status, 400, JSON.stringify(query || headers).slice(0, 80));
    const body = await response.json();
    assert.equal(body.reason, "invalid-last-event-id");
    assert.match(body.message, /Last-Event-ID/);
  }
  assert.equal(hub.subscribers, 0);
});

Deno.test("an id of 128 visible characters still resumes (a reset for an unknown one)", async () => {
  const { gateway } = eventsGateway();
  const controller = new AbortController();
  const response = await gateway.fetch(
    new Request("http://gateway.test/events", {
      headers: { authorization: `Bearer ${tokens.reader}`, "last-event-id": "c".repeat(128) },
      signal: controller.signal,
    }),
  );
  assert.equal(response.status, 200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("event: reset")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  assert.match(text, /event: reset/);
  controller.abort();
  await reader.cancel();
});
