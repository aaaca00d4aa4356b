// What already held must stay (issue 25): no event can add a line of its own to an /events
// stream. Data is one JSON line (JSON holds no raw line break), an id that could end its line
// drops the event, and a key's name is kept to its comment line. Events are put straight into
// the hub, as a hostile isolate on a shared BroadcastChannel or Durable Object could.
import assert from "node:assert/strict";
import { createGateway, createMemoryHub } from "../../src/gateway/mod.ts";
import { type CallbackEvent, parseCallback } from "../../src/callbacks/mod.ts";
import { ingressToken, master, tokens } from "./events_fixture.ts";

Deno.test("no event field and no key name can start a line of the stream", async () => {
  const hub = createMemoryHub();
  const gateway = createGateway({
    upstream: master,
    keys: [
      // An operator's key: the events are about channels nobody owns.
      {
        name: 'reader\r\ndata: {"forged":1}\n',
        token: tokens.reader,
        actions: ["read"],
        objects: "all",
      },
    ],
    callbacks: { token: ingressToken, hub },
    auditLog: false,
  });
  const response = await gateway.fetch(
    new Request("http://gateway.test/events", {
      headers: { authorization: `Bearer ${tokens.reader}` },
    }),
  );
  assert.equal(response.status, 200);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const base = parseCallback("?action=publish&pullId=p1&time=1767225600");
  const hostile = '\r\n\r\ndata: {"forged":2}\n\nevent: push.stopped\r\u2028\u2029\u0085';
  await hub.publish({ ...base, id: 'id-1\ndata: {"forged":3}' } as CallbackEvent);
  await hub.publish({ ...base, id: "id-2\r" } as CallbackEvent);
  await hub.publish({ ...base, id: "id-3", pullId: hostile } as CallbackEvent);
  await hub.publish({ ...base, id: "id-4", pullId: "last" } as CallbackEvent);
  let text = "";
  while (!text.includes('"last"')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  await reader.cancel();
  const lines = text.split(/\r\n|\r|\n/);
  const fields = lines.filter((line) => line && !line.startsWith(":"));
  assert.deepEqual(
    fields.map((line) => line.slice(0, line.indexOf(":"))),
    ["retry", "id", "event", "data", "id", "event", "data"],
    `only the two well-formed events, each of three lines:\n${text}`,
  );
  const data = fields.filter((line) => line.startsWith("data: ")).map((line) =>
    JSON.parse(line.slice(6))
  );
  assert.deepEqual(data.map((event) => event.pullId), [hostile, "last"]);
  // The key's name stays in its comment line; the hostile pullId stays inside its JSON string.
  const named = lines.filter((line) => line.includes("forged") && !line.startsWith("data: "));
  assert.equal(named.length, 1, `one comment line names the key:\n${text}`);
  assert.match(named[0], /^: subscribed as reader data: \{"forged":1\} +to /);
});
