// Issue 25, item 12 (the /events half): a CR/LF in `?access_token=` made the gateway build an
// Authorization header from it, which threw (500), and Hono's default error log printed the
// whole token. Now a query token that a header cannot hold (a control character, a character
// beyond ASCII, a space) or that is longer than any configured token is refused as an unknown
// token (401) before anything is built from it. Run against a real `workers/deno.ts` process,
// whose stdout and stderr must hold nothing of any token.
import assert from "node:assert/strict";
import { freePort } from "../../scripts/wrangler.ts";
import { ingressToken, master, tokens } from "./events_fixture.ts";

const entry = new URL("../../workers/deno.ts", import.meta.url).pathname;
/** In every hostile token, so that any echo of it in the output is found. */
const MARK = "QTOKENMARK";

async function startGateway() {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", entry],
    env: {
      WANGSU_ACCESS_KEY: master.accessKey,
      WANGSU_SECRET_KEY: master.secretKey,
      // Never called: /events does not go upstream.
      WANGSU_ENDPOINT: "http://127.0.0.1:9",
      GATEWAY_KEYS: JSON.stringify([{ name: "reader", token: tokens.reader, actions: ["read"] }]),
      GATEWAY_CALLBACK_TOKEN: ingressToken,
      PORT: String(port),
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  const collecting = Promise.all([child.stdout, child.stderr].map(async (stream) => {
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) output.push(chunk);
  }));
  const url = `http://127.0.0.1:${port}`;
  // Waits for the process to answer (each try is a request; the bound only ends a hang).
  const deadline = Date.now() + 30_000;
  while (true) {
    const up = await fetch(`${url}/healthz`).then((r) => r.body?.cancel().then(() => true))
      .catch(() => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`the gateway did not start:\n${output.join("")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    output: () => output.join(""),
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await collecting;
    },
  };
}

Deno.test({
  name: "a query token a header cannot hold is 401, and nothing of it reaches the log",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const gateway = await startGateway();
    const hostile: Record<string, string> = {
      "CR LF": `${tokens.reader}%0D%0A${MARK}`,
      "LF": `${MARK}%0Ainjected: yes`,
      "CR": `${MARK}%0D`,
      "NUL": `${MARK}%00`,
      "tab": `${MARK}%09x`,
      "space": `${MARK}%20x`,
      "DEL": `${MARK}%7F`,
      "a character beyond Latin-1": `${MARK}%E2%82%AC`,
      "a Latin-1 character": `${MARK}%C3%A9`,
      "a header injection": `${MARK}%0D%0Aauthorization:%20Bearer%20${tokens.reader}`,
      "600 characters": `${MARK}${"a".repeat(590)}`,
      "6,000 characters": `${MARK}${"b".repeat(5_990)}`,
    };
    try {
      for (const [what, token] of Object.entries(hostile)) {
        const response = await fetch(`${gateway.url}/events?access_token=${token}`);
        const text = await response.text();
        assert.equal(response.status, 401, `${what}: ${response.status} ${text}`);
        const body = JSON.parse(text);
        assert.equal(body.reason, "unknown-token", what);
        assert.ok(!text.includes(MARK), `${what}: the answer quotes the token`);
      }
      // A well-formed query token still subscribes.
      const good = await fetch(`${gateway.url}/events?access_token=${tokens.reader}`);
      assert.equal(good.status, 200);
      await good.body!.cancel();
    } finally {
      await gateway.stop();
    }
    const output = gateway.output();
    assert.match(output, /"path":"\/events"/, "the audit lines were written");
    for (const secret of [MARK, tokens.reader, master.secretKey, ingressToken]) {
      assert.ok(!output.includes(secret), `the output holds ${secret.slice(0, 6)}...:\n${output}`);
    }
    assert.doesNotMatch(output, /\n\s+at /, "no stack trace");
  },
});
