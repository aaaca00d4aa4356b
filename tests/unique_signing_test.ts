import assert from "node:assert/strict";
import { planSignature, type SigningMemory } from "../src/unique_signing.ts";

const request = { method: "POST", url: "https://api.test/x", body: '{"pageSize":10}', json: true };

Deno.test("a thousand identical JSON requests in one second: distinct bodies, same JSON, short", () => {
  const memory: SigningMemory = new Map();
  const bodies = Array.from({ length: 1000 }, () => planSignature(memory, 1_764_000_000, request));
  assert.ok(bodies.every((plan) => plan.timestamp == 1_764_000_000), "no timestamp moved");
  assert.equal(new Set(bodies.map((plan) => plan.body)).size, 1000);
  for (const { body } of bodies) assert.deepEqual(JSON.parse(body), { pageSize: 10 });
  const added = bodies.map(({ body }) => body.length - request.body.length);
  assert.equal(added[0], 0, "the first is sent as it is");
  // Base 3: repeats 1 and 2 take 1 character, up to 8 take 2, ... up to 728 take 6, and the
  // 999th takes 7 (one space per repeat would have taken 999).
  assert.equal(Math.max(...added), 7);
  assert.ok(bodies.every(({ body }) => /^\{"pageSize":10\}[ \t\n]*$/.test(body)));
});

Deno.test("a new second starts again from the body as it is", () => {
  const memory: SigningMemory = new Map();
  planSignature(memory, 100, request);
  assert.equal(planSignature(memory, 100, request).body, request.body + "\t");
  assert.equal(planSignature(memory, 101, request).body, request.body);
});

Deno.test("a request that signs a value of its own needs no memory: its body as it is, its timestamp no earlier than asked", () => {
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(planSignature(undefined, 100, request), {
      timestamp: 100,
      body: request.body,
    });
  }
  assert.deepEqual(planSignature(undefined, 100, request, 101), {
    timestamp: 101,
    body: request.body,
  });
});
