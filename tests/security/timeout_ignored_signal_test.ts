// Item 11: `timeoutMs` bounds the wait for the headers and the body whatever the fetch does: a
// fetch that ignores its AbortSignal and never answers, or answers with a body that never ends,
// still ends the call with a WangsuTimeoutError in about `timeoutMs`, and the gateway answers 504.
import assert from "node:assert/strict";
import { createClient } from "../../src/client.ts";
import { invoke } from "../../src/invoke.ts";
import { getChannelList } from "../../src/actions/channels/get_channel_list.ts";
import { WangsuTimeoutError } from "../../src/errors.ts";
import { createGateway } from "../../src/gateway/mod.ts";
import { signRequestSync } from "../../src/signer.ts";

/** A secret no entropy check refuses: 32 random hex digits after a label. */
const randomSecret = (label: string) => `${label}-${crypto.randomUUID().replaceAll("-", "")}`;

const credentials = { accessKey: "AK_TIMEOUT", secretKey: randomSecret("SK_TIMEOUT") };
const TIMEOUT_MS = 150;
/** Only bounds a hang: far above TIMEOUT_MS, it is never what the test waits for. */
const OUTER_DEADLINE_MS = 10_000;

/** Waits for `pending` to settle, or for the outer deadline, whichever comes first. */
async function settles<T>(pending: Promise<T>) {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<{ hung: true }>((resolve) => {
    timer = setTimeout(() => resolve({ hung: true }), OUTER_DEADLINE_MS);
  });
  const outcome = await Promise.race([
    pending.then((value) => ({ value }), (error) => ({ error })),
    hung,
  ]);
  clearTimeout(timer);
  return { ...outcome, elapsedMs: performance.now() - started } as {
    value?: T;
    error?: unknown;
    hung?: true;
    elapsedMs: number;
  };
}

/** Fetches that ignore the signal they are given. */
const deaf: Record<string, typeof fetch> = {
  "never answers": () => new Promise<Response>(() => {}),
  "answers headers, then a body that never ends": () =>
    Promise.resolve(
      new Response(new ReadableStream({ pull: () => new Promise<void>(() => {}) }), {
        headers: { "x-cnc-request-id": "req-stalled" },
      }),
    ),
  "answers headers, part of a body, then nothing": () =>
    Promise.resolve(
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"code":200,"data":'));
          },
          pull: () => new Promise<void>(() => {}),
        }),
      ),
    ),
};

for (const [name, fetch] of Object.entries(deaf)) {
  Deno.test(`a fetch that ignores its signal and ${name}: timeoutMs still ends the call`, async () => {
    const client = createClient({ ...credentials, fetch, timeoutMs: TIMEOUT_MS, retries: 0 });
    const outcome = await settles(invoke(client, { path: "/live/x", body: {} }));
    assert.ok(!outcome.hung, `still pending after ${OUTER_DEADLINE_MS} ms`);
    assert.ok(outcome.error instanceof WangsuTimeoutError, String(outcome.error));
    assert.equal(outcome.error.timeoutMs, TIMEOUT_MS);
    assert.ok(outcome.elapsedMs >= TIMEOUT_MS - 20, `settled early: ${outcome.elapsedMs} ms`);
  });
}

for (const [name, fetch] of Object.entries(deaf)) {
  Deno.test(`no fetch option, and a wrapped global fetch that ignores its signal and ${name}`, async () => {
    // Instrumentation often wraps `globalThis.fetch`; the client's default calls whatever is there.
    const original = globalThis.fetch;
    globalThis.fetch = fetch;
    try {
      const client = createClient({ ...credentials, timeoutMs: TIMEOUT_MS, retries: 0 });
      const outcome = await settles(invoke(client, { path: "/live/x", body: {} }));
      assert.ok(!outcome.hung, `still pending after ${OUTER_DEADLINE_MS} ms`);
      assert.ok(outcome.error instanceof WangsuTimeoutError, String(outcome.error));
    } finally {
      globalThis.fetch = original;
    }
  });
}

Deno.test("a deaf fetch under retries: every attempt is bounded, the call ends by its deadline", async () => {
  let attempts = 0;
  const client = createClient({
    ...credentials,
    fetch: () => (attempts++, new Promise<Response>(() => {})),
    timeoutMs: TIMEOUT_MS,
    retries: 2,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 1,
  });
  // A read-only action: timeouts are retried.
  const outcome = await settles(getChannelList(client, {}));
  assert.ok(!outcome.hung, `still pending after ${OUTER_DEADLINE_MS} ms`);
  assert.ok(outcome.error instanceof WangsuTimeoutError, String(outcome.error));
  assert.equal(attempts, 3);
});

Deno.test("the gateway answers 504 when its upstream fetch ignores the signal", async () => {
  const caller = { accessKey: "GW_TIMEOUT", secretKey: randomSecret("gw-timeout") };
  const gateway = createGateway({
    upstream: {
      accessKey: "AK_MASTER_TIMEOUT",
      secretKey: randomSecret("SK_MASTER_TIMEOUT"),
      endpoint: "https://upstream.test",
      fetch: deaf["never answers"],
      timeoutMs: TIMEOUT_MS,
      retries: 0,
    },
    keys: [{ name: "caller", ...caller, actions: ["*"] }],
    auditLog: false,
  });
  const url = "http://gw.test/live/channelManage/getChannelList";
  const body = "{}";
  const headers = signRequestSync({ method: "POST", url, body }, caller);
  const outcome = await settles(gateway.fetch(new Request(url, { method: "POST", headers, body })));
  assert.ok(!outcome.hung, `the gateway had not answered after ${OUTER_DEADLINE_MS} ms`);
  assert.equal(outcome.value?.status, 504);
  assert.match(await outcome.value!.text(), new RegExp(`${TIMEOUT_MS} ms`));
});
