// Issue 25, item 14: the local demo (`deno task start` without credentials) must not hand its
// token to another origin, its encoder buttons' routes must need that token, and it must answer
// only to a loopback Host (a DNS-rebinding page reaches 127.0.0.1 under its own name). Driven
// through a real demo process, with raw HTTP for the Host header (fetch sets its own), and in
// headless Chromium: a page on another origin, and a page reached by a rebound name.
import assert from "node:assert/strict";
import { freePort } from "../../scripts/wrangler.ts";
import { openChromium, openChromiumDriven } from "../browser/chromium.ts";

/** A response read off a raw socket. */
interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

/** Sends `head` (CRLF-joined, then a blank line) to 127.0.0.1:`port` and reads to the end. */
async function raw(port: number, head: string[], body = ""): Promise<RawResponse> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  const bytes = new TextEncoder().encode(
    [...head, `content-length: ${body.length}`, "connection: close", "", body].join("\r\n"),
  );
  await connection.write(bytes);
  let text = "";
  for await (const chunk of connection.readable.pipeThrough(new TextDecoderStream())) {
    text += chunk;
  }
  const [top, ...rest] = text.split("\r\n\r\n");
  const [statusLine, ...lines] = top.split("\r\n");
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers.append(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: rest.join("\r\n\r\n") };
}

/** Starts the demo as a newcomer would, and reads what it prints. */
async function startDemo() {
  const port = freePort();
  const env: Record<string, string> = { ...Deno.env.toObject(), PORT: String(port) };
  delete env.WANGSU_ACCESS_KEY; // the demo runs when no credentials are set
  const child = new Deno.Command(Deno.execPath(), {
    args: ["task", "start"],
    cwd: new URL("../../", import.meta.url).pathname,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  // Bounds a hang only: the demo prints its last line within a few seconds.
  const hang = setTimeout(() => child.kill("SIGKILL"), 60_000);
  let printed = "";
  while (!printed.includes("Stop with Ctrl+C.")) {
    const { value, done } = await reader.read();
    if (done) break;
    printed += value;
  }
  clearTimeout(hang);
  const token = printed.match(/Demo bearer token, read-only actions:\n\s+(\S+)/)?.[1];
  const simulator = printed.match(/curl -s -X POST (http:\/\/[^/]+)\/_sim\/streams/)?.[1];
  const pullId = printed.match(/\/_sim\/streams\/(\w+)\/start/)?.[1];
  const secretKey = printed.match(/secret key (\S+)/)?.[1];
  if (!token || !simulator || !pullId || !secretKey) {
    child.kill("SIGKILL");
    throw new Error(`the demo did not start:\n${printed}\n${await stderr}`);
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    simulatorPort: Number(new URL(simulator).port),
    token,
    secretKey,
    pullId,
    async stop() {
      child.kill("SIGTERM");
      await reader.cancel();
      await child.status;
      await stderr;
    },
  };
}

type Demo = Awaited<ReturnType<typeof startDemo>>;

/** The demo channel's live state as the simulator reports it (1 live, 2 idle). */
const liveState = async (demo: Demo) => {
  const state = await raw(demo.simulatorPort, [
    "GET /_sim/state HTTP/1.1",
    `host: 127.0.0.1:${demo.simulatorPort}`,
  ]);
  assert.equal(state.status, 200, state.body);
  const channels: { pullId: string; liveState: number }[] = JSON.parse(state.body).channels;
  return channels.find((channel) => channel.pullId == demo.pullId)?.liveState;
};

Deno.test({
  name: "item 14: the demo answers only to a loopback Host, sends no CORS on / or the console, " +
    "and its encoder routes need the demo token",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const demo = await startDemo();
    try {
      await t.step("a loopback Host with the demo's port is served", async () => {
        for (const host of ["127.0.0.1", "localhost", "[::1]", "LocalHost"]) {
          const ok = await raw(demo.port, ["GET /healthz HTTP/1.1", `host: ${host}:${demo.port}`]);
          assert.equal(ok.status, 200, `${host}: ${ok.body}`);
        }
      });

      await t.step("any other Host is refused, with a message and without the page", async () => {
        const others = [
          `evil.example:${demo.port}`,
          `127.0.0.1.nip.io:${demo.port}`,
          `localhost.evil.example:${demo.port}`,
          `localhost:${demo.port + 7}`,
          "localhost",
          `127.0.0.2:${demo.port}`,
          `0.0.0.0:${demo.port}`,
        ];
        for (const host of others) {
          for (const path of ["/", "/healthz", "/_console/swagger-ui.css"]) {
            const refused = await raw(demo.port, [`GET ${path} HTTP/1.1`, `host: ${host}`]);
            assert.equal(refused.status, 421, `${host} ${path}: ${refused.status}`);
            assert.match(JSON.parse(refused.body).message, /loopback|127\.0\.0\.1/, refused.body);
            assert.ok(!refused.body.includes(demo.token), "no token in the refusal");
          }
        }
        const encoder = await raw(demo.port, [
          `POST /_console/demo/${demo.pullId}/start HTTP/1.1`,
          `host: evil.example:${demo.port}`,
          `authorization: Bearer ${demo.token}`,
        ]);
        assert.equal(encoder.status, 421);
        const noHost = await raw(demo.port, ["GET / HTTP/1.0"]);
        assert.ok(noHost.status >= 400, `no Host header: ${noHost.status}`);
        assert.ok(!noHost.body.includes(demo.token));
        // The simulator the demo serves as its upstream refuses a foreign Host too: its /_sim
        // routes hold no credentials.
        const simulator = await raw(demo.simulatorPort, [
          "GET /_sim/notifications HTTP/1.1",
          `host: evil.example:${demo.simulatorPort}`,
        ]);
        assert.equal(simulator.status, 421, simulator.body);
      });

      await t.step("no CORS headers on / and the console routes", async () => {
        const origin = "http://evil.example";
        const host = `host: 127.0.0.1:${demo.port}`;
        for (
          const path of ["/", "/_console/swagger-ui.css", `/_console/demo/${demo.pullId}/start`]
        ) {
          const preflight = await raw(demo.port, [
            `OPTIONS ${path} HTTP/1.1`,
            host,
            `origin: ${origin}`,
            "access-control-request-method: POST",
            "access-control-request-headers: authorization",
          ]);
          assert.equal(preflight.headers.get("access-control-allow-origin"), null, `${path}`);
        }
        for (const path of ["/", "/_console/swagger-ui.css"]) {
          const got = await raw(demo.port, [`GET ${path} HTTP/1.1`, host, `origin: ${origin}`]);
          assert.equal(got.status, 200);
          assert.equal(got.headers.get("access-control-allow-origin"), null, path);
        }
      });

      await t.step("the encoder routes need the demo token", async () => {
        const host = `host: 127.0.0.1:${demo.port}`;
        const start = `POST /_console/demo/${demo.pullId}/start HTTP/1.1`;
        assert.equal(await liveState(demo), 2, "idle at first");
        for (
          const authorization of [[], ["authorization: Bearer wrong-token"], [
            `authorization: Bearer ${demo.secretKey}`,
          ], [`authorization: ${demo.token}`]]
        ) {
          const refused = await raw(demo.port, [start, host, ...authorization]);
          assert.equal(refused.status, 401, `${authorization}: ${refused.body}`);
          assert.match(JSON.parse(refused.body).message, /token/);
        }
        const query = await raw(demo.port, [
          `POST /_console/demo/${demo.pullId}/start?access_token=${demo.token} HTTP/1.1`,
          host,
        ]);
        assert.equal(
          query.status,
          401,
          "the token in the URL is not enough (a form could send it)",
        );
        assert.equal(await liveState(demo), 2, "nothing refused started the encoder");
        const allowed = await raw(demo.port, [start, host, `authorization: Bearer ${demo.token}`]);
        assert.equal(allowed.status, 200, allowed.body);
        assert.equal(await liveState(demo), 1, "the token starts it");
        const stop = await raw(demo.port, [
          `POST /_console/demo/${demo.pullId}/stop HTTP/1.1`,
          host,
          `authorization: Bearer ${demo.token}`,
        ]);
        assert.equal(stop.status, 200);
        assert.equal(await liveState(demo), 2);
      });

      await t.step("in Chromium: another origin reads nothing and starts nothing", async () => {
        let report!: (result: Record<string, string>) => void;
        const reported = new Promise<Record<string, string>>((resolve) => report = resolve);
        const attacker = Deno.serve(
          { hostname: "127.0.0.1", port: 0, onListen() {} },
          async (r) => {
            if (r.method == "POST") report(await r.json());
            return new Response(
              `<!doctype html><script type="module">
const target = ${JSON.stringify(demo.url)};
const result = {};
await fetch(target + "/").then((r) => r.text()).then(
  (text) => result.page = text.slice(0, 200), (e) => result.page = "refused: " + e.name);
await fetch(target + "/_console/demo/${demo.pullId}/start", { method: "POST", mode: "no-cors" })
  .then(() => result.encoder = "sent", (e) => result.encoder = "refused: " + e.name);
fetch("/report", { method: "POST", body: JSON.stringify(result) });
</script>`,
              { headers: { "content-type": "text/html" } },
            );
          },
        );
        const browser = await openChromium(`http://127.0.0.1:${attacker.addr.port}/`);
        try {
          const result = await deadline(reported, 30_000, "the attacker page's report");
          assert.equal(result.page, "refused: TypeError", "the page at / is not readable");
          assert.equal(await liveState(demo), 2, "the encoder route did nothing without the token");
        } finally {
          await browser.close();
          await attacker.shutdown();
        }
      });

      await t.step("in Chromium: a rebound name reaching 127.0.0.1 is refused", async () => {
        // The attacker's name now resolves to 127.0.0.1, as after a DNS rebinding: the page is
        // same-origin with it, so only the Host header tells the demo apart.
        const page = `http://rebound.example:${demo.port}/`;
        const browser = await openChromiumDriven(page, {
          flags: ["--host-resolver-rules=MAP rebound.example 127.0.0.1"],
        });
        try {
          const text = String(await browser.until(`document.body && document.body.innerText`));
          assert.match(text, /421|loopback/, text);
          assert.ok(!text.includes(demo.token));
          const status = await browser.evaluate(
            `fetch("/_console/demo/${demo.pullId}/start", { method: "POST" }).then((r) => r.status)`,
          );
          assert.equal(status, 421);
          const home = String(await browser.evaluate(`fetch("/").then((r) => r.text())`));
          assert.ok(!home.includes(demo.token), "the token is not readable under the rebound name");
          assert.equal(await liveState(demo), 2);
        } finally {
          await browser.close();
        }
      });
    } finally {
      await demo.stop();
    }
  },
});

/** `promise`, or a failure naming `what` once `ms` pass (bounds a hang only). */
function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
